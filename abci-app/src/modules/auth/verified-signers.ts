// Signers whose signature verified, by decoded tx (the ante's signature step, ante.ts). FinalizeBlock runs the very
// DecodedTx object that CheckTx decoded and verified (the decode cache keeps it by tx hash), so a signer whose chain
// id, account number and public key are the ones CheckTx verified against needs neither the sign-doc hash nor the
// verified-triple memory's lookup again (~8–11 µs a send in FinalizeBlock). Sound for the same reason as that
// memory (sig-verify.ts): the sign bytes are a pure function of the tx's bytes, the chain id and the account number,
// and the signature is the tx's own, so it is the same triple with the same answer. Only successes are kept; a tx
// decoded afresh (a cache miss, another process) verifies as before. Held weakly: it goes with its decoded tx.
import type { DecodedTx } from "../../sdk/tx/decode.ts";

/** What signer i's signature was verified against: with the tx's own bytes, these fix the sign bytes and the key. */
interface VerifiedAs {
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly pubkey: Uint8Array;
}

const verified = new WeakMap<DecodedTx, (VerifiedAs | undefined)[]>();
let hits = 0;

/** Whether signer `i` of `tx` verified before against exactly this chain id, account number and key. */
export function verifiedBefore(tx: DecodedTx, i: number, chainId: string, accountNumber: bigint, pubkey: Uint8Array): boolean {
  const v = verified.get(tx)?.[i];
  const same = v !== undefined && v.chainId === chainId && v.accountNumber === accountNumber && Buffer.compare(v.pubkey, pubkey) === 0;
  if (same) hits += 1;
  return same;
}

/** Records that signer `i`'s signature verified against these (call only after a successful verification). */
export function markVerified(tx: DecodedTx, i: number, chainId: string, accountNumber: bigint, pubkey: Uint8Array): void {
  let list = verified.get(tx);
  if (list === undefined) verified.set(tx, (list = []));
  list[i] = { chainId, accountNumber, pubkey: pubkey.slice() };
}

/** Signer checks answered by `verifiedBefore` since the start (for tests). */
export function verifiedSignerHits(): number {
  return hits;
}
