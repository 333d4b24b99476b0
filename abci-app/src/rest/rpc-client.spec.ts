// The REST server's CometBFT client against a real HTTP JSON-RPC endpoint (loopback, ephemeral port): however many
// calls its routes make at once, at most MAX_RPC_IN_FLIGHT reach the node together, and every call is answered.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { cometRpc, MAX_RPC_IN_FLIGHT } from "./rpc-client.ts";

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
