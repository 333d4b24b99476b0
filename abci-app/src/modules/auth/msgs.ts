import type { MsgHandler } from "../../sdk/module.ts";

/**
 * x/auth's message server. The SDK's only auth message, MsgUpdateParams, is signed by the governance authority;
 * TrustNet has no governance module, so auth params change only through genesis and this server is empty.
 * A message added here follows docs/ARCHITECTURE.md "Module shape" (msgServerMethod, with its authority rule).
 */
export function authMsgs(): MsgHandler<never>[] {
  return [];
}
