// Each tx is decoded once: CheckTx decodes it (strict scan, protobuf, validateBasic, declared gas) and keeps the
// result here by tx hash; PrepareProposal, FinalizeBlock and RECHECK reuse it. Safe for consensus because the
// result is a pure function of the bytes (and the fixed message router): a miss decodes again and gets the same
// answer. Decoded txs are shared read-only between the phases. Bounded (BoundedMap: what has not been used for
// the longest goes first). A result that is a bug (not an AppError) is never kept.
import { hash } from "node:crypto";
import { BoundedMap } from "../../store/index.ts";
import { AppError } from "../../sdk/errors.ts";
import { decodeTxOnce, type MsgRouter, type TxDecodeResult } from "../../sdk/tx/decode.ts";

/** Entries kept: a full mempool's worth of the benchmark's load (CometBFT's default mempool.size is 5,000). */
export const DECODE_CACHE_ENTRIES = 25_000;

/** The CometBFT tx hash (upper-case hex of sha256 in CometBFT; lower-case here), the cache key. */
export const txHash = (tx: Uint8Array): string => hash("sha256", tx, "hex");

export class DecodeCache {
  readonly #router: MsgRouter;
  readonly #entries: BoundedMap<string, TxDecodeResult>;
  #hits = 0;
  #misses = 0;

  constructor(router: MsgRouter, max = DECODE_CACHE_ENTRIES) {
    this.#router = router;
    this.#entries = new BoundedMap(max);
  }

  /** The decode of `tx`, whose hash is `hash`: the cached one, or a fresh decode that is then kept. */
  decode(tx: Uint8Array, hash: string): TxDecodeResult {
    const hit = this.#entries.get(hash);
    if (hit !== undefined) {
      this.#hits += 1;
      return hit;
    }
    this.#misses += 1;
    // A copy: `tx` is usually a view into a socket read or a whole FinalizeBlock request, which a kept decode
    // (its byte fields are views too) would otherwise keep alive.
    const result = decodeTxOnce(tx.slice(), this.#router);
    if (result.error === undefined || result.error instanceof AppError) this.#entries.set(hash, result);
    return result;
  }

  /** Whether `hash` was decoded before (so CheckTx or a preparation has seen this tx). Not a lookup: no stats. */
  has(hash: string): boolean {
    return this.#entries.has(hash);
  }

  /** Drops a tx that a block has executed (it cannot be valid again: its sequence is spent). */
  forget(hash: string): void {
    this.#entries.delete(hash);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Lookups answered from the cache and decodes done, since the start (for metrics and tests). */
  get stats(): { readonly hits: number; readonly misses: number } {
    return { hits: this.#hits, misses: this.#misses };
  }
}
