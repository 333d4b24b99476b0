import { registerError } from "../../../sdk/errors.ts";

export const ErrInvalidIncrement = registerError("counter", 2, "invalid increment");
