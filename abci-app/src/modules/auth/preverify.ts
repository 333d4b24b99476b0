// The signatures of a decoded tx as the ante handler will verify them, worked out ahead of time from the committed
// state (account number, recorded key) so a SigVerifyPool can verify them before the tx's turn. A guess, never a
// decision: a triple computed here that the ante would not use (the account changes first, a key is recorded in
// between) is simply never looked up, and the ante verifies what it needs itself.
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import type { KVReader } from "../../store/index.ts";
import { addressFromPubkey } from "../../sdk/address.ts";
import { type DecodedTx, txSigners } from "../../sdk/tx/decode.ts";
import type { AuthViewKeeper } from "./keeper.ts";
import { PUBKEY_TYPE_SECP256K1 } from "./keeper.ts";
import type { SigTriple } from "./sig-verify-batch.ts";
import { isRemembered, wellFormed } from "./sig-verify.ts";
import { directSignHash } from "./sign-doc.ts";

/** The key a signer info offers, if it is a well-formed secp256k1 key of `signer` (the ante's own checks). */
function offeredKey(info: DecodedTx["authInfo"]["signerInfos"][number], signer: string): Uint8Array | undefined {
  if (info.publicKey?.typeUrl !== PUBKEY_TYPE_SECP256K1) return undefined;
  try {
    const key = PubKey.decode(info.publicKey.value).key;
    return key.length === 33 && addressFromPubkey(key) === signer ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The (signature, sign hash, key) triples of `tx` that are well formed and not yet verified, for the signers whose
 * account exists in `committed`. Reads only; never throws for a bad tx (it yields fewer triples).
 */
export function pendingSignatures(tx: DecodedTx, committed: KVReader, chainId: string, auth: AuthViewKeeper): SigTriple[] {
  const out: SigTriple[] = [];
  let signers: string[];
  try {
    signers = txSigners(tx);
  } catch {
    return out;
  }
  signers.forEach((signer, i) => {
    const info = tx.authInfo.signerInfos[i];
    const sig = tx.raw.signatures[i];
    if (info === undefined || sig === undefined) return;
    try {
      const acc = auth.getAccount(committed, signer);
      if (acc === undefined) return;
      const pubkey = auth.pubkeyOf(acc) ?? offeredKey(info, signer); // the ante prefers the recorded key
      if (pubkey === undefined) return;
      const hash = directSignHash(tx.raw, chainId, acc.accountNumber);
      if (wellFormed(sig, hash, pubkey) && !isRemembered(sig, hash, pubkey)) out.push({ sig, hash, pubkey });
    } catch {
      // a state or key the ante will refuse: nothing to verify ahead
    }
  });
  return out;
}
