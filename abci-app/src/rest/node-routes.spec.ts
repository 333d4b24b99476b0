// cosmos.base.node's REST routes against the real app (real SQLite, a staking genesis) and a fake CometBFT RPC
// that serves the block header the status route asks for.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { harness, operator, T0, type Harness } from "../app/testing/staking.ts";
import { createMetrics } from "./metrics.ts";
import { createRestApp } from "./server.ts";

const APP_HASH = "AB".repeat(32);
const NEXT_VALS = "0C".repeat(32);

describe("REST /cosmos/base/node/v1beta1", () => {
  let url = "";
  let h: Harness;
  let dir = "";
  let server: Server;
  let rpc: Server;
  const asked: Record<string, string>[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "tn-rest-node-"));
    let dbs = 0;
    h = await harness({ dbPath: () => join(dir, `state-${dbs++}.db`), validators: [await operator(1)], funded: [] });
    h.block();
    h.block(undefined, 2n);
    rpc = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const { method, params } = JSON.parse(body) as { method: string; params: Record<string, string> };
        res.setHeader("content-type", "application/json");
        if (method !== "header") return void res.end(JSON.stringify({ error: { code: -32601, message: "Method not found" } }));
        asked.push(params);
        res.end(JSON.stringify({ result: { header: { height: params.height, time: `2026-01-0${params.height}T00:00:00.1234Z`, app_hash: APP_HASH, next_validators_hash: NEXT_VALS } } }));
      });
    });
    await new Promise<void>((r) => rpc.listen(0, "127.0.0.1", r));
    const { app } = createRestApp({ query: (req) => h.app.query(req), rpcUrl: `http://127.0.0.1:${(rpc.address() as AddressInfo).port}`, metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test" });
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.close();
    rpc.close();
    h.store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(url + path);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  test("config: the chain's minimum gas price as the SDK's DecCoin, the kept heights, no halt height", async () => {
    const r = await get("/cosmos/base/node/v1beta1/config");
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { minimum_gas_price: "0.025000000000000000utrust", pruning_keep_recent: "100", pruning_interval: "1", halt_height: "0" });
  });

  test("status: the committed height, the earliest queryable one, the last block's time, and CometBFT's header hashes at that height (base64)", async () => {
    const r = await get("/cosmos/base/node/v1beta1/status");
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, {
      earliest_store_height: "1", height: "2", timestamp: new Date(Number(T0 + 3n) * 1000).toISOString().replace(".000Z", "Z"),
      app_hash: Buffer.from(APP_HASH, "hex").toString("base64"), validator_hash: Buffer.from(NEXT_VALS, "hex").toString("base64"),
    });
    assert.deepEqual(asked.at(-1), { height: "2" });
  });

  test("status at a past height (x-cosmos-block-height): that height, its header's time and hashes", async () => {
    const r = await fetch(`${url}/cosmos/base/node/v1beta1/status`, { headers: { "x-cosmos-block-height": "1" } });
    const body = (await r.json()) as Record<string, unknown>;
    assert.equal(r.status, 200, JSON.stringify(body));
    assert.deepEqual(body, {
      earliest_store_height: "1", height: "1", timestamp: "2026-01-01T00:00:00.123400Z",
      app_hash: Buffer.from(APP_HASH, "hex").toString("base64"), validator_hash: Buffer.from(NEXT_VALS, "hex").toString("base64"),
    });
    assert.deepEqual(asked.at(-1), { height: "1" });
  });

  test("the app's node queries decode strictly: an unknown field is refused", () => {
    for (const m of ["Config", "Status"]) assert.equal(h.queryCode(`/cosmos.base.node.v1beta1.Service/${m}`, Uint8Array.from([0x08, 0x01])), 2, m);
    assert.equal(h.queryCode("/cosmos.base.node.v1beta1.Service/Config", new Uint8Array()), 0);
  });
});
