// Chain-neutral load for the throughput benchmarks: JSON-RPC `broadcast_tx_sync` over kept-alive HTTP connections
// (batched over one connection, or many in flight), and a commit watcher that times each tx from broadcast to the
// block that holds it. Works unchanged against any CometBFT RPC (TrustNet's and simd's).
import { createHash } from "node:crypto";
import { CometRpcPool } from "@trustnet/abci-app";

export const txHash = (tx: Uint8Array): string => createHash("sha256").update(tx).digest("hex").toUpperCase();

/** The p-th percentile (nearest rank) of `xs`; 0 for an empty list. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

/** JSON-RPC over at most `sockets` kept-alive connections (1 = everything over one connection). */
export const rpcClient = (rpc: string, sockets: number): CometRpcPool => new CometRpcPool(rpc, sockets, 60_000);

/** broadcast_tx_sync for each tx in one JSON-RPC batch; the CheckTx code 0, or why the tx was refused, per tx in order. */
export async function broadcastBatch(client: CometRpcPool, txs: readonly Uint8Array[]): Promise<(0 | string)[]> {
  return (await client.broadcastBatch(txs)).map((a) => {
    if (a.error) return `${a.error.message} ${a.error.data ?? ""}`.trim();
    if (!a.result) return a.unreadable ?? "no reply";
    return a.result.code === 0 ? 0 : `code ${a.result.code}: ${a.result.log ?? ""}`;
  });
}

/**
 * When the watcher reads each block's `block_results` to count txs that failed in their block. CometBFT JSON-encodes
 * every tx result with its events for it (gogoproto jsonpb: ~0.13 ms of its CPU per SDK-shaped send, ~130 ms per
 * 1,000-tx block), work of the measurement, not of the chain. "after" (default): once the load is over, so it does
 * not compete with the chain for the cores during the run; "per-block": as each block is seen (the bench before
 * 2026-12-05: 5–30 % fewer tx/s); "skip": never (failed txs are then counted as committed).
 */
export type ResultsMode = "after" | "per-block" | "skip";
export const RESULTS_MODES: readonly ResultsMode[] = ["after", "per-block", "skip"];
export interface WatchOptions {
  readonly results?: ResultsMode;
}

/** A watched tx seen in a block whose result code is read later ("after"). */
interface Held { readonly height: number; readonly index: number; readonly latency: number }

/**
 * Watches new blocks and records, for every tx it was told about, when its block was seen (its latency ends there,
 * before any result is read) and its result code (see ResultsMode).
 */
export class CommitWatcher {
  readonly #rpc: CometRpcPool;
  readonly #sentAt = new Map<string, number>();
  /** Latencies of the txs that succeeded in their block (complete after settle()). */
  readonly latencies: number[] = [];
  /** Watched txs seen in a block so far, failed or not. */
  included = 0;
  failed = 0;
  lastCommitAt = 0;
  /** Blocks that held at least one watched tx, and the most watched txs one of them held. */
  blocks = 0;
  maxPerBlock = 0;
  #height = 0;
  #stopped = false;
  #loop: Promise<void> | undefined;
  readonly #results: ResultsMode;
  readonly #held: Held[] = [];
  constructor(rpcUrl: string, { results = "after" }: WatchOptions = {}) {
    this.#rpc = rpcClient(rpcUrl, 2);
    this.#results = results;
  }
  get pending(): number {
    return this.#sentAt.size;
  }
  #error: unknown;
  async start(): Promise<void> {
    this.#height = Number((await this.#rpc.call<{ sync_info: { latest_block_height: string } }>("status", {})).sync_info.latest_block_height);
    // A failure ends the watch; drain() and stop() report it (never an unhandled rejection that skips clean-up).
    this.#loop = this.#run().catch((err: unknown) => { this.#error = err; this.#stopped = true; });
  }
  sent(hash: string, at: number): void {
    this.#sentAt.set(hash, at);
  }
  forget(hash: string): void {
    this.#sentAt.delete(hash);
  }
  /** The newest block's results can lag its header by a moment: retry rather than lose the block. */
  async #retry<T>(f: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try { return await f(); } catch (err) {
        if (attempt >= 100) throw err;
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  }
  #codes(height: number): Promise<{ txs_results: { code: number }[] | null }> {
    return this.#retry(() => this.#rpc.call<{ txs_results: { code: number }[] | null }>("block_results", { height: String(height) }));
  }
  #settleOne(code: number, latency: number): void {
    if (code !== 0) this.failed++;
    else this.latencies.push(latency);
  }
  async #run(): Promise<void> {
    while (!this.#stopped) {
      const cur = Number((await this.#rpc.call<{ sync_info: { latest_block_height: string } }>("status", {}).catch(() => ({ sync_info: { latest_block_height: String(this.#height) } }))).sync_info.latest_block_height);
      for (let h = this.#height + 1; h <= cur; h++) {
        const b = await this.#retry(() => this.#rpc.call<{ block: { data: { txs: string[] | null } } }>("block", { height: String(h) }));
        const now = performance.now();
        const r = this.#results === "per-block" ? await this.#codes(h) : undefined;
        const txs = b.block.data.txs ?? [];
        let mine = 0;
        txs.forEach((t64, i) => {
          const k = txHash(Buffer.from(t64, "base64"));
          const s = this.#sentAt.get(k);
          if (s === undefined) return;
          this.#sentAt.delete(k);
          mine++;
          this.included++;
          this.lastCommitAt = now;
          if (this.#results === "after") this.#held.push({ height: h, index: i, latency: now - s });
          else this.#settleOne(r?.txs_results?.[i]?.code ?? 0, now - s);
        });
        if (mine > 0) { this.blocks++; this.maxPerBlock = Math.max(this.maxPerBlock, mine); }
        this.#height = h;
      }
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  /** Waits until every sent tx is in a block, or `idleMs` pass without one more being included. */
  async drain(idleMs: number): Promise<void> {
    let last = this.included;
    let lastChange = performance.now();
    while (this.#sentAt.size > 0 && performance.now() - lastChange < idleMs) {
      if (this.#error !== undefined) throw this.#error;
      await new Promise((res) => setTimeout(res, 100));
      if (this.included !== last) { last = this.included; lastChange = performance.now(); }
    }
  }
  /** "after": reads the result codes of the blocks that held watched txs (once the load is over). */
  async settle(): Promise<void> {
    const held = this.#held.splice(0);
    for (const height of [...new Set(held.map((x) => x.height))]) {
      const r = await this.#codes(height);
      for (const x of held.filter((y) => y.height === height)) this.#settleOne(r.txs_results?.[x.index]?.code ?? 0, x.latency);
    }
  }
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
    this.#rpc.close();
    if (this.#error !== undefined) throw this.#error;
  }
}

export interface ShapeResult {
  readonly sent: number;
  readonly accepted: number;
  readonly refused: number;
  readonly firstRefusal?: string;
  /** First broadcast → last CheckTx reply. */
  readonly acceptSeconds: number;
  /** Committed with code 0. */
  readonly committed: number;
  readonly failedInBlock: number;
  /** First broadcast → the block holding the last committed tx was seen. */
  readonly commitSeconds: number;
  readonly p50: number;
  readonly p99: number;
  /** Blocks that held the load, and the fullest of them. */
  readonly blocks: number;
  readonly maxPerBlock: number;
}

/** What a shape's sender counts as CheckTx answers come back. */
interface Tally {
  sent: number;
  accepted: number;
  refused: number;
  firstRefusal?: string;
}

function summarise(w: CommitWatcher, t0: number, acceptedAt: number, t: Tally): ShapeResult {
  return {
    sent: t.sent, accepted: t.accepted, refused: t.refused, firstRefusal: t.firstRefusal, acceptSeconds: (acceptedAt - t0) / 1000,
    committed: w.latencies.length, failedInBlock: w.failed, commitSeconds: ((w.lastCommitAt || acceptedAt) - t0) / 1000,
    p50: percentile(w.latencies, 50), p99: percentile(w.latencies, 99), blocks: w.blocks, maxPerBlock: w.maxPerBlock,
  };
}

/** A CheckTx answer: 0 counts as accepted; anything else as refused, and the tx is no longer watched. */
function record(t: Tally, w: CommitWatcher, hash: string, code: 0 | string): void {
  if (code === 0) t.accepted++;
  else { t.refused++; t.firstRefusal ??= code; w.forget(hash); }
}

/**
 * One load shape: `send` broadcasts over a pool of `sockets` connections while a watcher times each tx to its block,
 * with progress every 5 s; then waits for the accepted txs to commit (or `idleMs` without one) and sums up.
 */
async function runShape(rpc: string, label: string, sockets: number, idleMs: number, watch: WatchOptions, send: (client: CometRpcPool, w: CommitWatcher, t: Tally, t0: number) => Promise<void>): Promise<ShapeResult> {
  const client = rpcClient(rpc, sockets);
  const w = new CommitWatcher(rpc, watch);
  const t: Tally = { sent: 0, accepted: 0, refused: 0 };
  let tick: NodeJS.Timeout | undefined;
  try {
    await w.start();
    const t0 = performance.now();
    tick = setInterval(() => process.stderr.write(`  ${label}: ${Math.round((performance.now() - t0) / 1000)}s accepted ${t.accepted}, in blocks ${w.included}\n`), 5000);
    await send(client, w, t, t0);
    const acceptedAt = performance.now();
    await w.drain(idleMs);
    await w.settle();
    return summarise(w, t0, acceptedAt, t);
  } finally {
    clearInterval(tick);
    await w.stop();
    client.close();
  }
}

/** Shape (a): txs in order, `batch` broadcast_tx_sync per JSON-RPC batch, one batch at a time over one connection. */
export async function runInOrder(rpc: string, label: string, txs: readonly Uint8Array[], batch: number, idleMs = 30_000, watch: WatchOptions = {}): Promise<ShapeResult> {
  return runShape(rpc, label, 1, idleMs, watch, async (client, w, t) => {
    for (let i = 0; i < txs.length && t.refused === 0; i += batch) {
      const chunk = txs.slice(i, i + batch);
      const now = performance.now();
      const hashes = chunk.map(txHash);
      for (const h of hashes) w.sent(h, now);
      t.sent += chunk.length;
      (await broadcastBatch(client, chunk)).forEach((c, j) => record(t, w, hashes[j]!, c));
    }
  });
}

/**
 * Shape (b): many keys, `inFlight` single broadcast_tx_sync requests outstanding; a key has at most one tx in
 * flight, so each key's txs reach CheckTx in sequence order. A refused tx ends its key's queue. With
 * `ratePerSecond` > 0 the sends are paced to that rate (the latency-at-half-the-peak-rate shape).
 */
export async function runConcurrent(rpc: string, label: string, queues: readonly (readonly Uint8Array[])[], inFlight: number, idleMs = 30_000, ratePerSecond = 0, watch: WatchOptions = {}): Promise<ShapeResult> {
  const next = queues.map(() => 0);
  const busy = queues.map(() => false);
  let cursor = 0;
  const take = (): number | undefined => {
    for (let n = 0; n < queues.length; n++) {
      const k = (cursor + n) % queues.length;
      if (!busy[k] && next[k]! < queues[k]!.length) { cursor = k + 1; return k; }
    }
    return undefined;
  };
  return runShape(rpc, label, inFlight, idleMs, watch, async (client, w, t, t0) => {
    await Promise.all(Array.from({ length: inFlight }, async () => {
      for (let k = take(); k !== undefined; k = take()) {
        busy[k] = true;
        if (ratePerSecond > 0) {
          // Paced: the n-th tx starts no earlier than n / rate seconds after the first.
          const wait = t0 + (t.sent / ratePerSecond) * 1000 - performance.now();
          if (wait > 0) await new Promise((res) => setTimeout(res, wait));
        }
        const tx = queues[k]![next[k]!++]!;
        const h = txHash(tx);
        w.sent(h, performance.now());
        t.sent++;
        const [c = "no reply"] = await broadcastBatch(client, [tx]).catch((err: unknown) => [(err as Error).message]);
        record(t, w, h, c);
        if (c !== 0) next[k] = queues[k]!.length;
        busy[k] = false;
      }
    }));
  });
}
