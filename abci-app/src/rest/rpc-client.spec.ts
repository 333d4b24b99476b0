// The REST server's CometBFT client against a real HTTP JSON-RPC endpoint (loopback, ephemeral port): however many
// calls its routes make at once, at most MAX_RPC_IN_FLIGHT reach the node together, and every call is answered; an
// answer past its method's byte cap is dropped while it streams in, and the route says so.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { Grpc, RestError } from "../sdk/client/rest-errors.ts";
import { createMetrics } from "./metrics.ts";
import { BLOCK_MAX_BYTES, cometRpc, MAX_RPC_IN_FLIGHT, RPC_ANSWER_MAX_BYTES, rpcAnswerMaxBytes, SMALL_RPC_ANSWER_MAX_BYTES } from "./rpc-client.ts";
import { createRestApp } from "./server.ts";

test(`a burst of calls reaches CometBFT at most ${MAX_RPC_IN_FLIGHT} at a time, and all are answered`, async () => {
  let open = 0;
  let most = 0;
  const node = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      open++;
      most = Math.max(most, open);
      const { id, params } = JSON.parse(body) as { id: number; params: { height: string } };
      setTimeout(() => {
        open--;
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ jsonrpc: "2.0", id, result: { header: { time: `t${params.height}` } } }));
      }, 50);
    });
  });
  await new Promise<void>((r) => node.listen(0, "127.0.0.1", r));
  try {
    const rpc = cometRpc(`http://127.0.0.1:${(node.address() as AddressInfo).port}`);
    const heights = Array.from({ length: 200 }, (_, i) => String(i + 1));
    const times = await Promise.all(heights.map((h) => rpc<{ header: { time: string } }>("header", { height: h })));
    assert.deepEqual(times.map((t) => t.header.time), heights.map((h) => `t${h}`));
    assert.ok(most <= MAX_RPC_IN_FLIGHT, `${most} calls reached the node at once`);
    assert.ok(most >= 2, "calls still run side by side");
  } finally {
    node.closeAllConnections();
    node.close();
  }
});

setFlagsFromString("--expose-gc");
/** A full garbage collection (node:test runs the file without --expose-gc; the flag set at run time exposes it to a new context). */
const collectGarbage = runInNewContext("gc") as () => void;

/**
 * A fake CometBFT whose answer to `method` is a JSON-RPC reply with one tx of `txBytes` base64 characters, streamed in
 * 1 MiB chunks as fast as the client reads them (Content-Length declared when `declareLength`); every other method
 * answers a small status. It records how much of the big answer it wrote and when the client closed the connection.
 */
async function streamingNode(method: string, txBytes: number, declareLength = false) {
  let socketClosed = (): void => undefined;
  const seen = { written: 0, total: 0, finished: false, closed: new Promise<void>((r) => (socketClosed = r)) };
  const node = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const { id, method: m } = JSON.parse(body) as { id: number; method: string };
      res.setHeader("content-type", "application/json");
      if (m !== method) return void res.end(JSON.stringify({ jsonrpc: "2.0", id, result: { node_info: { network: "n", version: "0.38", moniker: "m" }, sync_info: { latest_block_height: "7", latest_block_time: "t", catching_up: false } } }));
      const head = `{"jsonrpc":"2.0","id":${id},"result":{"total_count":"1","block_id":{"hash":"","parts":{"total":1,"hash":""}},"txs":[{"hash":"AB","height":"1","index":0,"tx_result":{"code":0,"events":[]},"tx":"`;
      const tail = `"}]}}`;
      seen.total = head.length + txBytes + tail.length;
      if (declareLength) res.setHeader("content-length", seen.total);
      res.socket?.on("close", () => socketClosed());
      const chunk = Buffer.alloc(1024 * 1024, "A");
      let left = txBytes;
      const write = (): void => {
        while (left > 0 && !res.destroyed) {
          const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
          left -= part.length;
          seen.written += part.length;
          if (!res.write(part)) return void res.once("drain", write);
        }
        if (left === 0 && !res.destroyed) {
          seen.finished = true;
          res.end(tail);
        }
      };
      res.write(head);
      write();
    });
  });
  await new Promise<void>((r) => node.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(node.address() as AddressInfo).port}`, seen, close: () => (node.closeAllConnections(), node.close()) };
}

describe("a CometBFT answer past its byte cap is dropped while it streams in", () => {
  const MiB = 1024 * 1024;

  test("a tx search page past the cap: 400 'ask for fewer', the connection to the node closed, the rest never read", async () => {
    const cap = RPC_ANSWER_MAX_BYTES.tx_search as number;
    const node = await streamingNode("tx_search", 64 * MiB);
    const { app } = createRestApp({ query: () => ({ code: 6 }), rpcUrl: node.url, metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test" });
    const rest = createServer(app);
    await new Promise<void>((r) => rest.listen(0, "127.0.0.1", r));
    try {
      collectGarbage();
      const before = process.memoryUsage().arrayBuffers;
      const res = await fetch(`http://127.0.0.1:${(rest.address() as AddressInfo).port}/cosmos/tx/v1beta1/txs?query=${encodeURIComponent("message.module='bank'")}`);
      const body = (await res.json()) as { code: number; message: string };
      assert.equal(res.status, 400);
      assert.deepEqual(body, { code: Grpc.OutOfRange, message: `the answer from CometBFT is more than ${cap} bytes; ask for fewer (pagination.limit)`, details: [] });
      await node.seen.closed; // the node's socket closed: the answer is not read on
      assert.equal(node.seen.finished, false, "the node never got to write its whole answer");
      assert.ok(node.seen.written < cap + 8 * MiB, `${node.seen.written} bytes written to the client`);
      // The chunks read before the cap are let go (fetch's body is torn down a few milliseconds after the cancel).
      let held = Infinity;
      for (let i = 0; i < 20 && held >= 8 * MiB; i++) {
        await new Promise((r) => setTimeout(r, 50));
        collectGarbage();
        held = process.memoryUsage().arrayBuffers - before;
      }
      assert.ok(held < 8 * MiB, `${held} bytes of buffers still held 1 s after the answer was dropped`);
    } finally {
      rest.close();
      node.close();
    }
  });

  test("a Content-Length past the cap is refused before the body is read; small calls have a small cap", async () => {
    const node = await streamingNode("status", 4 * MiB, true);
    try {
      const rpc = cometRpc(node.url);
      await assert.rejects(rpc("status", {}), (e: unknown) => e instanceof RestError && e.status === 503 && e.message === `the answer from CometBFT to status is more than ${SMALL_RPC_ANSWER_MAX_BYTES} bytes`);
      await node.seen.closed;
      assert.equal(node.seen.finished, false);
    } finally {
      node.close();
    }
  });

  test(`a full block (block.max_bytes ${BLOCK_MAX_BYTES} of txs) still fits the block cap`, async () => {
    const node = await streamingNode("block", Math.ceil(BLOCK_MAX_BYTES / 3) * 4);
    try {
      const r = await cometRpc(node.url)<{ txs: { tx: string }[] }>("block", {});
      assert.equal(r.txs[0]?.tx.length, Math.ceil(BLOCK_MAX_BYTES / 3) * 4);
      assert.ok(rpcAnswerMaxBytes("block") >= node.seen.total + 2 * MiB, "with room for the header, commit and evidence");
    } finally {
      node.close();
    }
  });
});
