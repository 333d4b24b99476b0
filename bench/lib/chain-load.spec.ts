import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { CommitWatcher, txHash } from "./chain-load.ts";

/** A CometBFT JSON-RPC stand-in: height 1 empty, height 2 holds two txs (the second failed); counts calls by method. */
async function fakeNode(txs: readonly Uint8Array[]): Promise<{ rpc: string; calls: Map<string, number>; close: () => void }> {
  const calls = new Map<string, number>();
  let height = 1;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: { height?: string } };
      calls.set(method, (calls.get(method) ?? 0) + 1);
      const h = Number(params.height ?? height);
      const result =
        method === "status" ? { sync_info: { latest_block_height: String(height) } }
        : method === "block" ? { block: { data: { txs: h === 2 ? txs.map((t) => Buffer.from(t).toString("base64")) : null } } }
        : { txs_results: h === 2 ? [{ code: 0 }, { code: 5 }] : null };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id, result }));
      if (method === "status" && calls.get("status")! >= 2) height = 2;
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { rpc: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls, close: () => server.close() };
}

describe("CommitWatcher", () => {
  const txs = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6])];
  const cases = [
    { results: "after", title: "after (default): block_results read only once the load is over; the failed tx is counted", duringLoad: 0, afterSettle: 1, counts: [1, 1] },
    { results: "per-block", title: "per-block: block_results read as the block is seen; the failed tx is counted", duringLoad: 1, afterSettle: 1, counts: [1, 1] },
    { results: "skip", title: "skip: never read; every included tx counts", duringLoad: 0, afterSettle: 0, counts: [2, 0] },
  ] as const;
  for (const c of cases) {
    test(c.title, async () => {
      const node = await fakeNode(txs);
      const w = new CommitWatcher(node.rpc, { results: c.results });
      try {
        await w.start();
        for (const t of txs) w.sent(txHash(t), performance.now());
        await w.drain(5_000);
        assert.equal(w.pending, 0);
        assert.equal(w.included, 2);
        assert.equal(node.calls.get("block_results") ?? 0, c.duringLoad, "block_results calls while the load runs");
        await w.settle();
        assert.equal(node.calls.get("block_results") ?? 0, c.afterSettle, "block_results calls in all");
        assert.deepEqual([w.latencies.length, w.failed, w.blocks, w.maxPerBlock], [...c.counts, 1, 2]);
      } finally {
        await w.stop();
        node.close();
      }
    });
  }
  test("default is after", async () => {
    const node = await fakeNode(txs);
    const w = new CommitWatcher(node.rpc);
    try {
      await w.start();
      w.sent(txHash(txs[1]!), performance.now());
      await w.drain(5_000);
      assert.equal(node.calls.get("block_results") ?? 0, 0);
      await w.settle();
      assert.deepEqual([w.latencies.length, w.failed], [0, 1]);
    } finally {
      await w.stop();
      node.close();
    }
  });
});
