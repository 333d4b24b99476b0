// The tx service's GetBlockWithTxs, TxDecode, TxEncode and the amino pair on the REST server, against a fake CometBFT
// JSON-RPC that answers `block` and `consensus_params` as CometBFT 0.38 does (a height past the latest is its error),
// with txs signed as cosmjs signs them.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { signTx, sendMsg, testKey } from "../app/testing/tx-builder.ts";
import { createMetrics } from "./metrics.ts";
import { createRestApp } from "./server.ts";
import { txJson } from "./tx-json.ts";

type Json = Record<string, unknown>;
const LATEST = 3;
const id = (h: number) => ({ hash: h.toString(16).toUpperCase().padStart(64, "0"), parts: { total: 1, hash: "CD".repeat(32) } });

/** CometBFT's `block` result at height `h` holding `txs` (base64). */
function cometBlock(h: number, txs: string[] | null): Json {
  const header = {
    version: { block: "11", app: "1" }, chain_id: "trustnet-local-1", height: String(h), time: "2026-12-07T00:00:00Z", last_block_id: id(h - 1),
    last_commit_hash: "", data_hash: "EE".repeat(32), validators_hash: "", next_validators_hash: "", consensus_hash: "", app_hash: "FF".repeat(32),
    last_results_hash: "", evidence_hash: "", proposer_address: "AA".repeat(20),
  };
  const last_commit = { height: String(h - 1), round: 0, block_id: id(h - 1), signatures: [{ block_id_flag: 2, validator_address: "AA".repeat(20), timestamp: "2026-12-07T00:00:00Z", signature: "c2ln" }] };
  return { block_id: id(h), block: { header, data: { txs }, evidence: { evidence: [] }, last_commit } };
}

async function listen(s: Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe("tx service: GetBlockWithTxs", () => {
  let rpc: Server;
  let rest: Server;
  let url: string;
  let txs: string[];
  const asked: string[] = [];

  before(async () => {
    const alice = await testKey(71);
    const bob = await testKey(72);
    txs = await Promise.all([1, 2, 3, 4, 5].map(async (n) => Buffer.from(await signTx(alice, [sendMsg(alice.address, bob.address, String(n))], { chainId: "trustnet-local-1", accountNumber: 0n, sequence: BigInt(n) })).toString("base64")));
    // Block 1 holds no txs, block 2 five, block 3 one that is not a tx.
    const blocks = new Map<number, string[] | null>([[1, null], [2, txs], [3, [Buffer.from("not a tx").toString("base64")]]]);
    rpc = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const { id: rid, method, params } = JSON.parse(body) as { id: number; method: string; params: Record<string, string> };
        asked.push(method);
        res.setHeader("content-type", "application/json");
        if (method === "consensus_params") return void res.end(JSON.stringify({ jsonrpc: "2.0", id: rid, result: { block_height: String(LATEST), consensus_params: { block: { max_bytes: "22020096", max_gas: "-1" } } } }));
        if (method === "block") {
          const h = Number(params.height ?? LATEST);
          if (h > LATEST) return void res.end(JSON.stringify({ jsonrpc: "2.0", id: rid, error: { code: -32603, message: "Internal error", data: `height ${h} must be less than or equal to the current blockchain height ${LATEST}` } }));
          return void res.end(JSON.stringify({ jsonrpc: "2.0", id: rid, result: cometBlock(h, blocks.get(h) ?? []) }));
        }
        res.end(JSON.stringify({ jsonrpc: "2.0", id: rid, error: { code: -32601, message: "Method not found", data: "" } }));
      });
    });
    const { app } = createRestApp({ query: () => ({ code: 6, log: "unknown query path" }), rpcUrl: await listen(rpc), metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test" });
    rest = createServer(app);
    url = await listen(rest);
  });
  after(() => {
    rest.close();
    rpc.close();
  });
  const get = async (path: string): Promise<{ status: number; body: Json }> => {
    const r = await fetch(url + path);
    return { status: r.status, body: (await r.json()) as Json };
  };

  test("{txs, block_id, block, pagination}: each tx as the tx routes print it, the block as the block routes do", async () => {
    const r = await get("/cosmos/tx/v1beta1/txs/block/2");
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(Object.keys(r.body).sort(), ["block", "block_id", "pagination", "txs"]);
    assert.deepEqual(r.body.txs, txs.map((t) => txJson(Buffer.from(t, "base64"))));
    const first = (r.body.txs as Json[])[0] as { body: { messages: Json[] } };
    assert.equal(first.body.messages[0]?.["@type"], "/cosmos.bank.v1beta1.MsgSend");
    assert.deepEqual(r.body.pagination, { next_key: null, total: "5" });
    const plain = await get("/cosmos/base/tendermint/v1beta1/blocks/2");
    assert.equal(plain.status, 200);
    assert.deepEqual(r.body.block_id, plain.body.block_id);
    assert.deepEqual(r.body.block, plain.body.block);
  });

  test("paged by offset and limit (reverse: the last first); total is the block's count", async () => {
    const page = async (q: string): Promise<unknown[]> => {
      const r = await get(`/cosmos/tx/v1beta1/txs/block/2?${q}`);
      assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body.pagination, { next_key: null, total: "5" }, q);
      return r.body.txs as unknown[];
    };
    const all = txs.map((t) => txJson(Buffer.from(t, "base64")));
    assert.deepEqual(await page("pagination.limit=2"), all.slice(0, 2));
    assert.deepEqual(await page("pagination.offset=2&pagination.limit=2"), all.slice(2, 4));
    assert.deepEqual(await page("pagination.offset=4&pagination.limit=2"), all.slice(4));
    assert.deepEqual(await page("pagination.reverse=true&pagination.limit=2"), [all[4], all[3]]);
    assert.deepEqual(await page("pagination.limit=0"), all, "limit 0 is the default, 100");
  });

  test("a block of no txs: txs [], total 0 (any offset); a tx that does not decode is null", async () => {
    for (const q of ["", "?pagination.offset=3"]) {
      const r = await get(`/cosmos/tx/v1beta1/txs/block/1${q}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.deepEqual(r.body.txs, []);
      assert.deepEqual(r.body.pagination, { next_key: null, total: "0" });
    }
    const bad = await get("/cosmos/tx/v1beta1/txs/block/3");
    assert.equal(bad.status, 200, JSON.stringify(bad.body));
    assert.deepEqual(bad.body.txs, [null]);
  });

  test("bad heights and pages: 400 with the SDK body, the same as the block routes'; CometBFT is not asked for a malformed one", async () => {
    for (const h of ["0", "-1", "1e3", "abc", "01"]) {
      const before = asked.length;
      const r = await get(`/cosmos/tx/v1beta1/txs/block/${h}`);
      const b = await get(`/cosmos/base/tendermint/v1beta1/blocks/${h}`);
      assert.equal(r.status, 400, h);
      assert.deepEqual(r.body, { code: 3, message: "invalid height: block height (a positive integer)", details: [] }, h);
      assert.deepEqual(r.body, b.body, h);
      assert.equal(asked.length, before, `${h}: nothing reached CometBFT`);
    }
    const past = await get(`/cosmos/tx/v1beta1/txs/block/${LATEST + 1}`);
    assert.equal(past.status, 400);
    assert.deepEqual(past.body, { code: 3, message: "requested height is not available on this node", details: [] });
    assert.deepEqual(past.body, (await get(`/cosmos/base/tendermint/v1beta1/blocks/${LATEST + 1}`)).body);
    const offset = await get("/cosmos/tx/v1beta1/txs/block/2?pagination.offset=5");
    assert.equal(offset.status, 400);
    assert.deepEqual(offset.body, { code: 3, message: "out of range: cannot paginate 5 txs with offset 5 and limit 100", details: [] });
    const key = await get("/cosmos/tx/v1beta1/txs/block/2?pagination.key=AAAA");
    assert.equal(key.status, 400);
    assert.deepEqual(key.body, { code: 3, message: "pagination.key is not supported by GetBlockWithTxs; use pagination.offset", details: [] });
  });

  test("the OpenAPI document lists it with its height and pagination parameters", async () => {
    const doc = (await get("/openapi.json")).body as { paths: Record<string, Record<string, { parameters: { name: string; in: string }[] }>> };
    const names = doc.paths["/cosmos/tx/v1beta1/txs/block/{height}"]?.get?.parameters.map((p) => p.name) ?? [];
    assert.ok(names.includes("height") && names.includes("pagination.offset"), JSON.stringify(names));
  });
});
