// A load generator over CometBFT's JSON-RPC `broadcast_tx_sync`, with a fixed number of requests in flight.
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

/** One JSON-RPC call. A network-level failure (e.g. a kept-alive socket the server closed while the client was busy
 * pre-signing) is retried up to 3 times; a JSON-RPC error is not. */
export async function rpcCall<T>(rpc: string, method: string, params: Record<string, unknown>): Promise<T> {
  let res: Response | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      res = await fetch(rpc, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }), signal: AbortSignal.timeout(30_000) });
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)));
    }
  }
  const body = (await res.json()) as { result?: T; error?: { message: string; data?: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message} ${body.error.data ?? ""}`);
  return body.result as T;
}

export async function latestHeight(rpc: string): Promise<number> {
  return Number((await rpcCall<{ sync_info: { latest_block_height: string } }>(rpc, "status", {})).sync_info.latest_block_height);
}

export async function waitForHeight(rpc: string, h: number, timeoutMs = 120_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const cur = await latestHeight(rpc).catch(() => 0);
    if (cur >= h) return cur;
    if (Date.now() > end) throw new Error(`height ${h} not reached`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

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
