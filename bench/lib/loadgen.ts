// A load generator over CometBFT's JSON-RPC `broadcast_tx_sync`, with a fixed number of requests in flight.
import { CometRpc } from "@trustnet/abci-app";
export interface LoadResult {
  readonly sent: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly errors: number;
  readonly startHeight: number;
  readonly endHeight: number;
  readonly committed: number;
  readonly seconds: number;
  readonly latenciesMs: readonly number[];
}

/** One JSON-RPC call through the chain client (which retries a kept-alive socket the server closed meanwhile). */
export const rpcCall = <T>(rpc: string, method: string, params: Record<string, unknown>): Promise<T> => new CometRpc(rpc, 30_000).call<T>(method, params);

export const latestHeight = (rpc: string): Promise<number> => new CometRpc(rpc, 30_000).height();

export const waitForHeight = (rpc: string, h: number, timeoutMs = 120_000): Promise<number> => new CometRpc(rpc, 30_000).waitForHeight(h, { timeoutMs });

/** Txs in blocks (from, to], from the block metadata. */
export async function txsInBlocks(rpc: string, from: number, to: number): Promise<number> {
  let n = 0;
  for (let min = from + 1; min <= to; min += 20) {
    const max = Math.min(to, min + 19);
    const r = await rpcCall<{ block_metas: { num_txs: string }[] }>(rpc, "blockchain", { minHeight: String(min), maxHeight: String(max) });
    for (const m of r.block_metas) n += Number(m.num_txs);
  }
  return n;
}

/**
 * Sends `makeTx(i)` for `seconds` with `concurrency` requests in flight; then counts what the chain committed
 * in the blocks produced meanwhile (plus a short drain).
 */
export async function runLoad(o: {
  rpc: string;
  seconds: number;
  concurrency: number;
  makeTx: (i: number) => Uint8Array;
  onProgress?: (line: string) => void;
}): Promise<LoadResult> {
  const startHeight = await latestHeight(o.rpc);
  const t0 = performance.now();
  const deadline = t0 + o.seconds * 1000;
  let next = 0;
  let accepted = 0;
  let rejected = 0;
  let errors = 0;
  const latenciesMs: number[] = [];
  let lastReport = t0;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const i = next++;
      const tx = Buffer.from(o.makeTx(i)).toString("base64");
      const s = performance.now();
      try {
        const r = await rpcCall<{ code: number }>(o.rpc, "broadcast_tx_sync", { tx });
        if (r.code === 0) accepted++;
        else rejected++;
        latenciesMs.push(performance.now() - s);
      } catch {
        errors++;
      }
      if (o.onProgress && performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        o.onProgress(`  ${Math.round((lastReport - t0) / 1000)}s: ${accepted} accepted, ${rejected} rejected, ${errors} errors`);
      }
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const endHeight = await latestHeight(o.rpc);
  const committed = await txsInBlocks(o.rpc, startHeight, endHeight);
  return { sent: next, accepted, rejected, errors, startHeight, endHeight, committed, seconds, latenciesMs };
}
