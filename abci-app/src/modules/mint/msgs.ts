import type { MsgHandler } from "../../sdk/module.ts";

/**
 * x/mint's message server, empty: no mint message exists, so no account may send one. The SDK's only mint message,
 * MsgUpdateParams, may be sent only by the governance authority (the x/gov module account); TrustNet has no
 * governance module, so mint params and the minter change only through genesis (docs/distribution.md).
 * A message added here follows docs/ARCHITECTURE.md "Module shape" (msgServerMethod, with its authority rule).
 */
export function mintMsgs(): MsgHandler<never>[] {
  return [];
}
