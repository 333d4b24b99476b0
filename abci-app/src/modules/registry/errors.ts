import { registerError } from "../../sdk/errors.ts";

export const ErrInvalidName = registerError("registry", 2, "invalid name");
export const ErrNamespaceTaken = registerError("registry", 3, "namespace already claimed");
export const ErrNamespaceNotFound = registerError("registry", 4, "namespace not found");
export const ErrNotOwner = registerError("registry", 5, "not the namespace owner");
export const ErrNotOperator = registerError("registry", 6, "not a registered registry operator");
export const ErrInvalidDigest = registerError("registry", 7, "invalid digest");
export const ErrTagNotFound = registerError("registry", 8, "tag not found");
export const ErrInvalidEndpoint = registerError("registry", 9, "invalid endpoint");
export const ErrNotAuthorized = registerError("registry", 10, "registry operator not authorised by the namespace owner");
export const ErrNotMember = registerError("registry", 11, "pusher is neither the namespace owner nor a member");
export const ErrAlreadyDone = registerError("registry", 12, "already in that state");
export const ErrTooMany = registerError("registry", 13, "per-namespace limit reached");
