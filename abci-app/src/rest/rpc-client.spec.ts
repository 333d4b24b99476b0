// The REST server's CometBFT client against a real HTTP JSON-RPC endpoint (loopback, ephemeral port): however many
// calls its routes make at once, at most MAX_RPC_IN_FLIGHT reach the node together, and every call is answered; an
// answer past its method's byte cap is dropped while it streams in, and the route says so.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { Grpc, RestError } from "../sdk/client/rest-errors.ts";
import { createMetrics } from "./metrics.ts";
import { BLOCK_ANSWERS_BUDGET_BYTES, blockAnswerMaxBytes, blockMaxBytesOf, cometRpc, DEFAULT_BLOCK_MAX_BYTES, MAX_BLOCK_IN_FLIGHT, MAX_RPC_IN_FLIGHT, RPC_ANSWER_MAX_BYTES, SMALL_RPC_ANSWER_MAX_BYTES, weightLimit } from "./rpc-client.ts";
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

/**
 * The size of an answer a test expects the client to stop reading part-way (`seen.finished` stays false): past every
 * cap under test (16 MiB at most) plus all that loopback socket buffers can hold (a send buffer of up to 4 MiB and an
 * autotuned receive buffer of up to 32 MiB with Linux's default tcp_wmem/tcp_rmem). With 8 MiB against a 5.3 MiB cap,
 * the node could hand its whole answer to the kernel before the client let go: a race that failed one CI.
 */
const PAST_CAP_AND_SOCKET_BUFFERS = 64 * 1024 * 1024;

/** The largest send buffer the kernel gives a TCP socket (the third field of net.ipv4.tcp_wmem); 4 MiB if unreadable. */
function tcpSendBufferMax(): number {
  try {
    const max = Number(readFileSync("/proc/sys/net/ipv4/tcp_wmem", "utf8").trim().split(/\s+/u)[2]);
    return Number.isSafeInteger(max) && max > 0 ? max : 4 * 1024 * 1024;
  } catch {
    return 4 * 1024 * 1024;
  }
}

setFlagsFromString("--expose-gc");
/** A full garbage collection (node:test runs the file without --expose-gc; the flag set at run time exposes it to a new context). */
const collectGarbage = runInNewContext("gc") as () => void;

/**
 * A fake CometBFT whose answer to `method` is a JSON-RPC reply with one tx of `txBytes` base64 characters, streamed in
 * 1 MiB chunks as fast as the client reads them (Content-Length declared when `declareLength`); `consensus_params`
 * answers `seen.maxBytes` as block.max_bytes (an array: one per ask, the last repeated; counted in `seen.paramAsks`);
 * every other method answers a small
 * status. It records how much of the big answer it wrote and when the client closed the connection.
 */
async function streamingNode(method: string, txBytes: number, declareLength = false) {
  let socketClosed = (): void => undefined;
  const seen = { written: 0, total: 0, finished: false, closed: new Promise<void>((r) => (socketClosed = r)), maxBytes: String(DEFAULT_BLOCK_MAX_BYTES) as unknown, paramAsks: 0 };
  const node = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const { id, method: m } = JSON.parse(body) as { id: number; method: string };
      res.setHeader("content-type", "application/json");
      if (m === "consensus_params") {
        const maxBytes = Array.isArray(seen.maxBytes) ? seen.maxBytes[Math.min(seen.paramAsks, seen.maxBytes.length - 1)] : seen.maxBytes;
        seen.paramAsks++;
        return void res.end(JSON.stringify({ jsonrpc: "2.0", id, result: { block_height: "7", consensus_params: { block: { max_bytes: maxBytes, max_gas: "-1" } } } }));
      }
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
    const node = await streamingNode("tx_search", PAST_CAP_AND_SOCKET_BUFFERS);
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
      // What the node wrote past the cap sits in its socket's send buffer (the kernel's tcp_wmem max, 4 MiB by default)
      // and the client's last reads: the slack follows this host's setting.
      const slack = 4 * MiB + tcpSendBufferMax();
      assert.ok(node.seen.written < cap + slack, `${node.seen.written} bytes written to the client (cap ${cap}, slack ${slack})`);
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
    const node = await streamingNode("status", PAST_CAP_AND_SOCKET_BUFFERS, true);
    try {
      const rpc = cometRpc(node.url);
      await assert.rejects(rpc("status", {}), (e: unknown) => e instanceof RestError && e.status === 503 && e.message === `the answer from CometBFT to status is more than ${SMALL_RPC_ANSWER_MAX_BYTES} bytes`);
      await node.seen.closed;
      assert.equal(node.seen.finished, false);
    } finally {
      node.close();
    }
  });

  test(`a full block of CometBFT's default block.max_bytes (${DEFAULT_BLOCK_MAX_BYTES}) fits the block cap`, async () => {
    const node = await streamingNode("block", Math.ceil(DEFAULT_BLOCK_MAX_BYTES / 3) * 4);
    try {
      const r = await cometRpc(node.url)<{ txs: { tx: string }[] }>("block", {});
      assert.equal(r.txs[0]?.tx.length, Math.ceil(DEFAULT_BLOCK_MAX_BYTES / 3) * 4);
      assert.ok(blockAnswerMaxBytes(DEFAULT_BLOCK_MAX_BYTES) >= node.seen.total + 2 * MiB, "with room for the header, commit and evidence");
    } finally {
      node.close();
    }
  });
});

describe("the block cap follows the chain's block.max_bytes (CometBFT's consensus_params)", () => {
  const MiB = 1024 * 1024;
  const fullBlockTx = (maxBytes: number): number => Math.ceil(maxBytes / 3) * 4;

  test("a chain of 40 MiB blocks: a full block is read whole; consensus_params is asked once for all block calls", async () => {
    const maxBytes = 40 * MiB;
    const node = await streamingNode("block", fullBlockTx(maxBytes));
    node.seen.maxBytes = String(maxBytes);
    try {
      const rpc = cometRpc(node.url);
      const r = await rpc<{ txs: { tx: string }[] }>("block", {});
      assert.equal(r.txs[0]?.tx.length, fullBlockTx(maxBytes));
      await Promise.all([rpc("block", { height: "3" }), rpc("block", {})]);
      assert.equal(node.seen.paramAsks, 1, "the chain's params are kept");
    } finally {
      node.close();
    }
  });

  test("a chain of 1 MiB blocks: a block answer past that chain's cap is refused (503) as it streams in", async () => {
    const node = await streamingNode("block", PAST_CAP_AND_SOCKET_BUFFERS);
    node.seen.maxBytes = String(MiB);
    try {
      const cap = blockAnswerMaxBytes(MiB);
      await assert.rejects(cometRpc(node.url)("block", {}), (e: unknown) => e instanceof RestError && e.status === 503 && e.message === `the answer from CometBFT to block is more than ${cap} bytes`);
      assert.equal(node.seen.finished, false);
      assert.equal(node.seen.paramAsks, 2, "a block past the kept cap has the params asked again (they had not grown)");
    } finally {
      node.close();
    }
  });

  test("params that grew after they were kept: the block past the old cap is asked again under the new one", async () => {
    const node = await streamingNode("block", 8 * MiB);
    node.seen.maxBytes = [String(MiB), String(16 * MiB)];
    try {
      const r = await cometRpc(node.url)<{ txs: { tx: string }[] }>("block", {});
      assert.equal(r.txs[0]?.tx.length, 8 * MiB);
      assert.equal(node.seen.paramAsks, 2);
    } finally {
      node.close();
    }
  });

  test("a consensus_params answer past its own cap fails the block call naming it, and is not kept: the next call asks again", async () => {
    const node = await streamingNode("block", 1000);
    node.seen.maxBytes = ["9".repeat(2 * MiB), String(DEFAULT_BLOCK_MAX_BYTES)];
    try {
      const rpc = cometRpc(node.url);
      await assert.rejects(rpc("block", {}), (e: unknown) => e instanceof RestError && e.status === 503 && e.message === `the answer from CometBFT to consensus_params is more than ${SMALL_RPC_ANSWER_MAX_BYTES} bytes`);
      await rpc("block", {});
      assert.equal(node.seen.paramAsks, 2);
    } finally {
      node.close();
    }
  });

  test("a hostile or unusable block.max_bytes keeps the cap bounded; no usable value falls back to the default, saying why", async () => {
    const largest = blockAnswerMaxBytes(104_857_600);
    assert.equal(blockAnswerMaxBytes(-1), largest, "-1 is CometBFT's MaxBlockSizeBytes, 100 MiB");
    assert.equal(blockAnswerMaxBytes(1e12), largest, "past CometBFT's own cap");
    assert.equal(blockMaxBytesOf({ consensus_params: { block: { max_bytes: "-1" } } }), -1);
    assert.equal(blockAnswerMaxBytes(blockMaxBytesOf({ consensus_params: { block: { max_bytes: "9".repeat(400) } } })), largest);
    for (const bad of [{}, null, { consensus_params: { block: { max_bytes: "0" } } }, { consensus_params: { block: { max_bytes: 5 } } }, { consensus_params: { block: { max_bytes: "-2" } } }]) {
      assert.throws(() => blockMaxBytesOf(bad), /CometBFT's consensus_params answer has no usable block.max_bytes/);
    }
    const node = await streamingNode("block", 1000);
    node.seen.maxBytes = "0";
    const warned: string[] = [];
    try {
      await cometRpc(node.url, 10_000, MAX_RPC_IN_FLIGHT, (m) => warned.push(m))("block", {});
      assert.deepEqual(warned, [`CometBFT's consensus_params answer has no usable block.max_bytes ("0", not -1 or a positive integer): block answers are read up to CometBFT's default block.max_bytes, ${DEFAULT_BLOCK_MAX_BYTES}`]);
    } finally {
      node.close();
    }
  });
});

/** A fake CometBFT whose block.max_bytes is `maxBytes` and whose small `block` answers each take 30 ms; it counts the block calls open at once. */
async function slowBlockNode(maxBytes: string) {
  const seen = { open: 0, most: 0, blocks: 0 };
  const node = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      res.setHeader("content-type", "application/json");
      if (method === "consensus_params") return void res.end(JSON.stringify({ jsonrpc: "2.0", id, result: { block_height: "7", consensus_params: { block: { max_bytes: maxBytes, max_gas: "-1" } } } }));
      seen.open++;
      seen.most = Math.max(seen.most, seen.open);
      setTimeout(() => {
        seen.open--;
        seen.blocks++;
        res.end(JSON.stringify({ jsonrpc: "2.0", id, result: { block: { data: { txs: [] } } } }));
      }, 30);
    });
  });
  await new Promise<void>((r) => node.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(node.address() as AddressInfo).port}`, seen, close: () => (node.closeAllConnections(), node.close()) };
}

describe("block answers read at once are bounded in bytes", () => {
  for (const [name, maxBytes, most] of [
    ["CometBFT's default", String(DEFAULT_BLOCK_MAX_BYTES), MAX_BLOCK_IN_FLIGHT],
    ["1 MiB (smaller blocks: still at most MAX_BLOCK_IN_FLIGHT)", String(1 << 20), MAX_BLOCK_IN_FLIGHT],
    ["44,040,192 (twice the default: half as many)", String(2 * DEFAULT_BLOCK_MAX_BYTES), 2],
    ["-1 (100 MiB): one at a time", "-1", 1],
  ] as const) {
    test(`block.max_bytes ${name}: at most ${most} block calls at once; all 12 answered`, async () => {
      const node = await slowBlockNode(maxBytes);
      try {
        const rpc = cometRpc(node.url);
        await Promise.all(Array.from({ length: 12 }, (_, i) => rpc("block", { height: String(i + 1) })));
        assert.equal(node.seen.blocks, 12);
        assert.equal(node.seen.most, most);
      } finally {
        node.close();
      }
    });
  }

  test("weightLimit: weights up to the budget run together, in order; one past it runs alone", async () => {
    const limit = weightLimit(10);
    const log: string[] = [];
    const job = (name: string, weight: number) => limit(weight, async () => {
      log.push(`+${name}`);
      await new Promise((r) => setTimeout(r, 10));
      log.push(`-${name}`);
    });
    await Promise.all([job("a", 4), job("b", 6), job("c", 30), job("d", 1)]);
    assert.deepEqual(log, ["+a", "+b", "-a", "-b", "+c", "-c", "+d", "-d"]);
    assert.ok(BLOCK_ANSWERS_BUDGET_BYTES === MAX_BLOCK_IN_FLIGHT * blockAnswerMaxBytes(DEFAULT_BLOCK_MAX_BYTES));
  });
});
