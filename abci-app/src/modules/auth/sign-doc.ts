// SIGN_MODE_DIRECT: what a signer signs is sha256(SignDoc{body_bytes, auth_info_bytes, chain_id, account_number}).
// One function, used by the ante handler and by the signature pool's pre-verification, so both hash the same bytes.
import { hash } from "node:crypto";
import { SignDoc } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";

export function directSignHash(raw: TxRaw, chainId: string, accountNumber: bigint): Uint8Array {
  const signBytes = SignDoc.encode({ bodyBytes: raw.bodyBytes, authInfoBytes: raw.authInfoBytes, chainId, accountNumber }).finish();
  return hash("sha256", signBytes, "buffer");
}
