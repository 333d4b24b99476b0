// nodeAnswers (what `trustnet query txs|block|blocks`, `tx <hash>` and `status` print with -o json) answers what the REST server
// answers for the same read: the tx search page, the blocks by height (and by hash, the same block; a block search's
// blocks as the block route's `block`), CometBFT's status; and
// reports the route's own refusals (a query without an exact condition, one CometBFT cannot parse, an unknown hash)
// as RestErrors. Both run against one fake CometBFT JSON-RPC that answers as CometBFT 0.38 does.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { sendMsg, signTx, testKey } from "../app/testing/tx-builder.ts";
import { Grpc, RestError } from "../sdk/client/rest-errors.ts";
import { createMetrics } from "./metrics.ts";
import { nodeAnswers } from "./node-answers.ts";
import { createRestApp } from "./server.ts";

type Json = Record<string, unknown>;
const LATEST = 3;
const hashOf = (h: number): string => h.toString(16).toUpperCase().padStart(64, "0");
const id = (h: number) => ({ hash: hashOf(h), parts: { total: 1, hash: "CD".repeat(32) } });

function cometBlock(h: number, txs: string[]): Json {
  const header = {
    version: { block: "11", app: "1" }, chain_id: "trustnet-local-1", height: String(h), time: `2026-12-07T00:00:0${h}Z`, last_block_id: id(h - 1),
    last_commit_hash: "", data_hash: "EE".repeat(32), validators_hash: "", next_validators_hash: "", consensus_hash: "", app_hash: "FF".repeat(32),
    last_results_hash: "", evidence_hash: "", proposer_address: "AA".repeat(20),
  };
  const last_commit = { height: String(h - 1), round: 0, block_id: id(h - 1), signatures: [{ block_id_flag: 2, validator_address: "AA".repeat(20), timestamp: "2026-12-07T00:00:00Z", signature: "c2ln" }] };
  return { block_id: id(h), block: { header, data: { txs }, evidence: { evidence: [] }, last_commit } };
}

const STATUS = {
  node_info: { protocol_version: { p2p: "8", block: "11", app: "1" }, id: "a".repeat(40), listen_addr: "tcp://0.0.0.0:26656", network: "trustnet-local-1", version: "0.38.25", channels: "40", moniker: "m", other: { tx_index: "on", rpc_address: "tcp://127.0.0.1:26657" } },
  sync_info: { latest_block_hash: hashOf(LATEST), latest_app_hash: "FF".repeat(32), latest_block_height: String(LATEST), latest_block_time: "2026-12-07T00:00:03Z", earliest_block_hash: hashOf(1), earliest_app_hash: "", earliest_block_height: "1", earliest_block_time: "2026-12-07T00:00:01Z", catching_up: false },
  validator_info: { address: "AA".repeat(20), pub_key: { type: "tendermint/PubKeyEd25519", value: Buffer.alloc(32).toString("base64") }, voting_power: "10" },
};

async function listen(s: Server): Promise<string> {
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

describe("nodeAnswers: the REST routes' bodies, read from CometBFT", () => {
  let rpc: Server;
  let rest: Server;
  let rpcUrl: string;
  let url: string;
  let txs: string[];
  const searches: Json[] = [];

  before(async () => {
    const alice = await testKey(81);
    const bob = await testKey(82);
    txs = await Promise.all([1, 2, 3].map(async (n) => Buffer.from(await signTx(alice, [sendMsg(alice.address, bob.address, String(n))], { chainId: "trustnet-local-1", accountNumber: 0n, sequence: BigInt(n) })).toString("base64")));
    // tx n is in block n; a search finds them all, in the order asked.
    const found = txs.map((tx, i) => ({ hash: String(i + 1).repeat(64), height: String(i + 1), index: 0, tx, tx_result: { code: i === 2 ? 5 : 0, log: "", gas_wanted: "100", gas_used: "50", events: [{ type: "tx", attributes: [{ key: "acc_seq", value: `${alice.address}/${i + 1}`, index: true }] }] } }));
    rpc = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const { id: rid, method, params } = JSON.parse(body) as { id: number; method: string; params: Record<string, unknown> };
        const reply = (result: unknown) => res.end(JSON.stringify({ jsonrpc: "2.0", id: rid, result }));
        const fail = (data: string) => res.end(JSON.stringify({ jsonrpc: "2.0", id: rid, error: { code: -32603, message: "Internal error", data } }));
        if (method === "status") return reply(STATUS);
        if (method === "consensus_params") return reply({ block_height: String(LATEST), consensus_params: { block: { max_bytes: "22020096", max_gas: "-1" } } });
        if (method === "block" || method === "header") {
          const h = Number(params.height ?? LATEST);
          if (h > LATEST) return fail(`height ${h} must be less than or equal to the current blockchain height ${LATEST}`);
          const b = cometBlock(h, [txs[h - 1] as string]);
          return reply(method === "block" ? b : { header: (b.block as { header: unknown }).header });
        }
        if (method === "block_by_hash") {
          const h = [1, 2, 3].find((n) => Buffer.from(hashOf(n), "hex").toString("base64") === params.hash);
          return reply(h === undefined ? { block_id: { hash: "", parts: { total: 0, hash: "" } }, block: null } : cometBlock(h, [txs[h - 1] as string]));
        }
        if (method === "block_search") {
          if (String(params.query).includes("!")) return fail("failed to parse query: unexpected !");
          const per = Number(params.per_page);
          const page = Number(params.page);
          const all = params.order_by === "desc" ? [3, 2, 1] : [1, 2, 3];
          if (page > 1 && (page - 1) * per >= all.length) return fail(`page should be within [1, ${Math.ceil(all.length / per)}] range, given ${page}`);
          return reply({ blocks: all.slice((page - 1) * per, page * per).map((h) => cometBlock(h, [txs[h - 1] as string])), total_count: String(all.length) });
        }
        if (method === "tx") {
          const t = found.find((f) => Buffer.from(f.hash, "hex").toString("base64") === params.hash);
          return t === undefined ? fail(`tx (${Buffer.from(String(params.hash), "base64").toString("hex").toUpperCase()}) not found`) : reply(t);
        }
        if (method === "tx_search") {
          searches.push(params);
          if (String(params.query).includes("!")) return fail("failed to parse query: unexpected !");
          const per = Number(params.per_page);
          const page = Number(params.page);
          const all = params.order_by === "desc" ? [...found].reverse() : found;
          if ((page - 1) * per >= all.length) return fail(`page should be within [1, ${Math.ceil(all.length / per)}] range, given ${page}`);
          return reply({ txs: all.slice((page - 1) * per, page * per), total_count: String(all.length) });
        }
        res.end(JSON.stringify({ jsonrpc: "2.0", id: rid, error: { code: -32601, message: "Method not found", data: "" } }));
      });
    });
    rpcUrl = await listen(rpc);
    const { app } = createRestApp({ query: () => ({ code: 6, log: "unknown query path" }), rpcUrl, metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test" });
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

  test("searchTxs: GET /cosmos/tx/v1beta1/txs's body, page by page, in the order asked", async () => {
    const answers = nodeAnswers(rpcUrl);
    for (const [page, limit, orderBy] of [[1, 100, "asc"], [1, 2, "desc"], [2, 2, "asc"], [3, 1, "desc"]] as const) {
      const q = "message.sender='trust1x'";
      const served = await get(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(q)}&page=${page}&limit=${limit}&order_by=${orderBy === "desc" ? "ORDER_BY_DESC" : "ORDER_BY_ASC"}`);
      assert.equal(served.status, 200, JSON.stringify(served.body));
      const read = await answers.searchTxs({ query: q, page, limit, orderBy });
      assert.deepEqual(read, served.body, `page ${page}, limit ${limit}, ${orderBy}`);
      assert.equal(read.total, "3");
    }
    const last = await answers.searchTxs({ query: "tx.height=1", page: 1, limit: 2, orderBy: "desc" });
    assert.deepEqual(last.tx_responses.map((t) => [t.height, t.code]), [["3", 5], ["2", 0]]);
    assert.equal((last.tx_responses[0] as unknown as Json).timestamp, "2026-12-07T00:00:03Z", "its block's time");
    assert.equal(last.tx_responses[0]?.tx?.body.messages[0]?.["@type"], "/cosmos.bank.v1beta1.MsgSend");
    assert.deepEqual(searches.at(-1), { query: "tx.height=1", page: "1", per_page: "2", order_by: "desc", prove: false });
  });

  test("searchTxs: the route's refusals, as RestErrors with its messages", async () => {
    const answers = nodeAnswers(rpcUrl);
    const asked = searches.length;
    await assert.rejects(answers.searchTxs({ query: "tx.height>0", page: 1, limit: 10, orderBy: "asc" }), (e: unknown) => e instanceof RestError && e.grpc === Grpc.InvalidArgument && /needs at least one exact condition/u.test(e.message));
    assert.equal(searches.length, asked, "refused before CometBFT is asked");
    await assert.rejects(answers.searchTxs({ query: "a.b='!'", page: 1, limit: 10, orderBy: "asc" }), (e: unknown) => e instanceof RestError && e.grpc === Grpc.InvalidArgument && /query is not a valid CometBFT event query/u.test(e.message));
  });

  test("txResponse: GET /cosmos/tx/v1beta1/txs/{hash}'s tx_response; an unknown hash NotFound", async () => {
    const answers = nodeAnswers(rpcUrl);
    const served = await get(`/cosmos/tx/v1beta1/txs/${"2".repeat(64)}`);
    assert.equal(served.status, 200, JSON.stringify(served.body));
    const read = await answers.txResponse("2".repeat(64));
    assert.deepEqual(read, served.body.tx_response);
    assert.equal(read.timestamp, "2026-12-07T00:00:02Z", "its block's time");
    await assert.rejects(answers.txResponse("AB".repeat(32)), (e: unknown) => e instanceof RestError && e.grpc === Grpc.NotFound && e.message === `tx not found: ${"AB".repeat(32)}`);
  });

  test("block: the block routes' body, latest or by height; blockByHash the same block; an unknown hash NotFound", async () => {
    const answers = nodeAnswers(rpcUrl);
    const latest = await get("/cosmos/base/tendermint/v1beta1/blocks/latest");
    assert.deepEqual(await answers.block(), latest.body);
    const two = await get("/cosmos/base/tendermint/v1beta1/blocks/2");
    assert.deepEqual(await answers.block("2"), two.body);
    assert.deepEqual(Object.keys(two.body).sort(), ["block", "block_id", "sdk_block"]);
    assert.deepEqual(await answers.blockByHash(hashOf(2).toLowerCase()), two.body);
    await assert.rejects(answers.blockByHash("AB".repeat(32)), (e: unknown) => e instanceof RestError && e.grpc === Grpc.NotFound && e.message === `no block with hash ${"AB".repeat(32)}`);
    await assert.rejects(answers.blockByHash("xyz"), (e: unknown) => e instanceof RestError && e.grpc === Grpc.InvalidArgument);
    await assert.rejects(answers.block("0"), (e: unknown) => e instanceof RestError && e.grpc === Grpc.InvalidArgument && /invalid height/u.test(e.message));
    await assert.rejects(answers.block("4"), (e: unknown) => e instanceof RestError && e.grpc === Grpc.InvalidArgument && /requested height is not available/u.test(e.message));
  });

  test("searchBlocks: simd's SearchBlocksResult, each block as the block routes' `block`; a page past the last empty; a bad query InvalidArgument", async () => {
    const answers = nodeAnswers(rpcUrl);
    const r = await answers.searchBlocks({ query: "block.height > 0", page: 1, limit: 2, orderBy: "desc" });
    assert.deepEqual({ ...r, blocks: [] }, { total_count: "3", count: "2", page_number: "1", page_total: "2", limit: "2", blocks: [] });
    assert.deepEqual(r.blocks, [(await get("/cosmos/base/tendermint/v1beta1/blocks/3")).body.block, (await get("/cosmos/base/tendermint/v1beta1/blocks/2")).body.block]);
    const past = await answers.searchBlocks({ query: "block.height > 0", page: 3, limit: 2, orderBy: "asc" });
    assert.deepEqual(past, { total_count: "3", count: "0", page_number: "3", page_total: "2", limit: "2", blocks: [] });
    await assert.rejects(answers.searchBlocks({ query: "block.height ! 1", page: 1, limit: 2, orderBy: "asc" }), (e: unknown) => e instanceof RestError && e.grpc === Grpc.InvalidArgument && /not a valid CometBFT event query/u.test(e.message));
    await assert.rejects(answers.searchBlocks({ query: "block.height ! 1", page: 2, limit: 2, orderBy: "asc" }), (e: unknown) => e instanceof RestError && e.grpc === Grpc.InvalidArgument, "a bad query on a later page too");
  });

  test("status: CometBFT's status as it answers", async () => {
    assert.deepEqual(await nodeAnswers(rpcUrl).status(), STATUS);
  });
});
