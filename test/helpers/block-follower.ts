// Follows a real chain block by block for tests that load it: each awaited tx's result as its block recorded it
// (`block` + `block_results`), and a chain that stopped reported as such (the height it stopped at and CometBFT's
// last words about it) within a bounded time, never a hang.
import { createHash } from "node:crypto";
import type { CometRpcPool } from "@trustnet/abci-app";
import { sleep } from "./devnet.ts";

export const txHash = (tx: Uint8Array): string => createHash("sha256").update(tx).digest("hex").toUpperCase();

export interface TxOutcome {
  readonly height: number;
  /** The tx's place in its block. */
  readonly index: number;
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
}

interface BlockJson { block: { data: { txs: string[] | null } } }
interface BlockResultsJson { txs_results: { code?: number; codespace?: string; log?: string }[] | null }

export class BlockFollower {
  readonly #rpc: CometRpcPool;
  readonly #stallMs: number;
  readonly #why: () => string;
  /**
   * `stallMs`: how long without a new block counts as a stopped chain; `why` adds the node's own explanation
   * (e.g. its log's CONSENSUS FAILURE line) to that error.
   */
  constructor(rpc: CometRpcPool, o: { stallMs: number; why: () => string }) {
    this.#rpc = rpc;
    this.#stallMs = o.stallMs;
    this.#why = o.why;
  }

  /**
   * The last height the app committed (`abci_info`). Not `status`: CometBFT stores a block before it executes it,
   * so a block whose FinalizeBlock failed counts there, and has no results.
   */
  async height(): Promise<number> {
    return Number((await this.#rpc.call<{ response: { last_block_height?: string } }>("abci_info")).response.last_block_height ?? 0);
  }

  /**
   * Whether CometBFT has yet to propose block `height`: it still waits out timeout_commit (RoundStepNewHeight, 1)
   * or just began the round (RoundStepNewRound, 2), so the next proposal reaps the mempool as it is now.
   */
  async beforeProposal(height: number): Promise<{ ok: boolean; state: string }> {
    const state = (await this.#rpc.call<{ round_state: { "height/round/step": string } }>("consensus_state")).round_state["height/round/step"];
    const [h, round, step] = state.split("/").map(Number);
    return { ok: h === height && round === 0 && (step === 1 || step === 2), state };
  }

  /** Waits for a block above `after` (default: the latest now) and returns its height; throws when the chain stalls. */
  async nextBlock(after?: number): Promise<number> {
    const from = after ?? (await this.height());
    const since = performance.now();
    for (;;) {
      const h = await this.height();
      if (h > from) return h;
      if (performance.now() - since > this.#stallMs) throw this.#stuck(h);
      await sleep(200);
    }
  }

  /**
   * Reads every block from `fromHeight` on until each of `hashes` was seen in one, and returns their outcomes.
   * Throws when the chain makes no block for the stall time, or when `deadlineMs` passes first.
   */
  async awaitTxs(hashes: ReadonlySet<string>, fromHeight: number, deadlineMs: number): Promise<Map<string, TxOutcome>> {
    const found = new Map<string, TxOutcome>();
    const end = performance.now() + deadlineMs;
    let next = fromHeight;
    while (found.size < hashes.size) {
      const latest = await this.nextBlock(next - 1);
      for (; next <= latest; next++) {
        for (const [hash, o] of await this.blockTxs(next)) if (hashes.has(hash)) found.set(hash, o);
      }
      if (found.size < hashes.size && performance.now() > end) {
        throw new Error(`${hashes.size - found.size} of ${hashes.size} txs not in any block up to height ${latest} after ${deadlineMs / 1000} s`);
      }
    }
    return found;
  }

  /** The txs of block `height` by hash, with their results. */
  async blockTxs(height: number): Promise<Map<string, TxOutcome>> {
    const block = await this.#rpc.call<BlockJson>("block", { height: String(height) });
    const results = await this.#rpc.call<BlockResultsJson>("block_results", { height: String(height) });
    const txs = block.block.data.txs ?? [];
    const rs = results.txs_results ?? [];
    if (rs.length !== txs.length) throw new Error(`block ${height} holds ${txs.length} txs but block_results answers ${rs.length}`);
    return new Map(txs.map((b64, index) => {
      const r = rs[index] ?? {};
      return [txHash(Buffer.from(b64, "base64")), { height, index, code: r.code ?? 0, codespace: r.codespace ?? "", log: r.log ?? "" }];
    }));
  }

  #stuck(h: number): Error {
    return new Error(`the chain is stuck at height ${h}: block ${h + 1} was not executed and committed within ${this.#stallMs / 1000} s${this.#why()}`);
  }
}
