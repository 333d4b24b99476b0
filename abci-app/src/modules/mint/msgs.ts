import type { MsgHandler } from "../../sdk/module.ts";

/**
 * x/mint has no user messages: its params are set in genesis (the SDK's MsgUpdateParams needs governance, which
 * TrustNet does not have). Kept for the module's uniform file layout.
 */
export function mintMsgs(): MsgHandler<never>[] {
  return [];
}
