// The tx service's GetBlockWithTxs, TxDecode, TxEncode and the amino pair on the REST server, against a fake CometBFT
// JSON-RPC that answers `block` and `consensus_params` as CometBFT 0.38 does (a height past the latest is its error),
// with txs signed as cosmjs signs them.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { authInfoBytes, signTx, sendMsg, testKey, type TestKey } from "../app/testing/tx-builder.ts";
import { MAX_TX_BYTES } from "../sdk/tx/decode.ts";
import { createMetrics } from "./metrics.ts";
import type { RestLimits } from "./limits.ts";
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

describe("tx service: TxDecode (POST /cosmos/tx/v1beta1/decode), TxEncode (POST /cosmos/tx/v1beta1/encode); amino not implemented", () => {
  let alice: TestKey;
  let bob: TestKey;
  const servers: Server[] = [];
  let url: string;
  /** A REST server on the app's modules (CometBFT and the query router are not asked for a decode). */
  const serve = async (limits: Partial<RestLimits> = {}): Promise<string> => {
    const { app } = createRestApp({ query: () => ({ code: 6, log: "unknown query path" }), rpcUrl: "http://127.0.0.1:9", metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test", limits });
    const server = createServer(app);
    servers.push(server);
    return listen(server);
  };
  before(async () => {
    [alice, bob] = await Promise.all([testKey(73), testKey(74)]);
    url = await serve();
  });
  after(() => servers.forEach((s) => s.close()));
  const post = async (body: unknown, headers: Record<string, string> = {}, at = url): Promise<{ status: number; body: Json; headers: Headers }> => {
    const r = await fetch(`${at}/cosmos/tx/v1beta1/decode`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as Json, headers: r.headers };
  };
  const sdkError = (r: { status: number; body: Json }, status: number, code: number, message: RegExp, what: string): void => {
    assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
    assert.deepEqual(Object.keys(r.body).sort(), ["code", "details", "message"], what);
    assert.equal(r.body.code, code, what);
    assert.match(String(r.body.message), message, what);
  };
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString("base64");
  const signer = { chainId: "trustnet-local-1", accountNumber: 4n, sequence: 9n };

  test("a signed tx of the chain's messages (bank, registry): {tx} as the tx routes print it", async () => {
    const bytes = await signTx(alice, [sendMsg(alice.address, bob.address, "1234"), { typeUrl: "/trustnet.registry.v1.MsgClaimNamespace", value: { owner: alice.address, namespace: "acme" } }], { ...signer, memo: "hello" });
    const r = await post({ tx_bytes: b64(bytes) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { tx: txJson(bytes) });
    const tx = r.body.tx as { body: { messages: Json[]; memo: string }; auth_info: { signer_infos: { sequence: string }[] }; signatures: string[] };
    assert.deepEqual(tx.body.messages, [
      { "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: alice.address, to_address: bob.address, amount: [{ denom: "utrust", amount: "1234" }] },
      { "@type": "/trustnet.registry.v1.MsgClaimNamespace", owner: alice.address, namespace: "acme" },
    ]);
    assert.equal(tx.body.memo, "hello");
    assert.equal(tx.auth_info.signer_infos[0]?.sequence, "9");
    assert.equal(tx.signatures.length, 1);
  });

  test("bad tx_bytes: 400 code 3 with the reason (missing, not base64, not a tx, unknown fields, a message the chain does not route)", async () => {
    sdkError(await post({}), 400, 3, /^tx_bytes \(base64 TxRaw\) is required$/, "missing");
    sdkError(await post({ tx_bytes: 7 }), 400, 3, /^tx_bytes \(base64 TxRaw\) is required$/, "a number");
    sdkError(await post({ tx_bytes: "***" }), 400, 3, /^tx_bytes must be standard base64$/, "not base64");
    sdkError(await post({ tx_bytes: "AAA" }), 400, 3, /^tx_bytes must be standard base64$/, "unpadded");
    sdkError(await post({ tx_bytes: b64(Buffer.from("garbage")) }), 400, 3, /^cosmos\.tx\.v1beta1\.TxRaw: .*: tx parse error$/, "not a tx");
    sdkError(await post("[1]"), 400, 3, /request body must be a JSON object/, "not an object");
    sdkError(await post("{nope"), 400, 3, /^request body is not valid JSON$/, "not JSON");

    const good = await signTx(alice, [sendMsg(alice.address, bob.address, "1")], signer);
    // TxRaw with a field 4 (bytes) it does not have.
    const rawUnknown = Buffer.concat([good, Buffer.from([0x22, 0x01, 0x00])]);
    sdkError(await post({ tx_bytes: b64(rawUnknown) }), 400, 3, /unknown field 4 \(wire type 2\) in cosmos\.tx\.v1beta1\.TxRaw: tx parse error$/, "TxRaw with an unknown field");
    // A MsgSend with an unknown (critical: field 9) field inside its Any, in an otherwise well-formed tx.
    const send = Buffer.concat([MsgSend.encode({ fromAddress: alice.address, toAddress: bob.address, amount: [{ denom: "utrust", amount: "1" }] }).finish(), Buffer.from([0x4a, 0x01, 0x00])]);
    const body = TxBody.encode(TxBody.fromPartial({ messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: send }] })).finish();
    const msgUnknown = TxRaw.encode({ bodyBytes: body, authInfoBytes: authInfoBytes(alice, signer), signatures: [new Uint8Array(64)] }).finish();
    sdkError(await post({ tx_bytes: b64(msgUnknown) }), 400, 3, /unknown field 9 \(wire type 2\) in cosmos\.bank\.v1beta1\.MsgSend: tx parse error$/, "a message with an unknown field");
    const other = TxBody.encode(TxBody.fromPartial({ messages: [{ typeUrl: "/cosmos.gov.v1.MsgVote", value: new Uint8Array() }] })).finish();
    const notRouted = TxRaw.encode({ bodyBytes: other, authInfoBytes: authInfoBytes(alice, signer), signatures: [new Uint8Array(64)] }).finish();
    sdkError(await post({ tx_bytes: b64(notRouted) }), 400, 3, /unable to resolve type URL "\/cosmos\.gov\.v1\.MsgVote"/, "a message the chain does not route");
  });

  test("a well-formed tx the chain would refuse (a zero amount, a bad address) still decodes: TxDecode is for looking at bytes", async () => {
    for (const [what, msg] of [
      ["a zero amount", sendMsg(alice.address, bob.address, "0")],
      ["a recipient that is not an address", sendMsg(alice.address, "trust1nope", "5")],
    ] as const) {
      const bytes = await signTx(alice, [msg], signer);
      const r = await post({ tx_bytes: b64(bytes) });
      assert.equal(r.status, 200, `${what}: ${JSON.stringify(r.body)}`);
      assert.deepEqual(r.body, { tx: txJson(bytes) }, what);
    }
  });

  test("size: tx_bytes past the chain's tx limit is a 400; a body past the POST limit is the other POST routes' 413", async () => {
    sdkError(await post({ tx_bytes: b64(Buffer.alloc(MAX_TX_BYTES + 3, 1)) }), 400, 3, new RegExp(`^tx_bytes is larger than ${MAX_TX_BYTES} bytes$`), "past MAX_TX_BYTES");
    sdkError(await post({ tx_bytes: "A".repeat(10 << 20) }), 413, 8, /^request body too large$/, "a 10 MiB body");
  });

  test("cross-origin POST follows --rest-cors-post: refused (403) by default, allowed when configured", async () => {
    const bytes = await signTx(alice, [sendMsg(alice.address, bob.address, "1")], signer);
    const refused = await post({ tx_bytes: b64(bytes) }, { origin: "https://evil.example" });
    sdkError(refused, 403, 7, /cross-origin POST is disabled/, "default");
    const simple = await post(JSON.stringify({ tx_bytes: b64(bytes) }), { origin: "https://evil.example", "content-type": "text/plain" });
    sdkError(simple, 403, 7, /cross-origin POST is disabled/, "a simple (no preflight) POST");
    const open = await serve({ corsPost: true });
    const allowed = await post({ tx_bytes: b64(bytes) }, { origin: "https://wallet.example" }, open);
    assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
    assert.equal(allowed.headers.get("access-control-allow-origin"), "*");
  });

  test("the OpenAPI document lists them with their bodies", async () => {
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    assert.ok(doc.paths["/cosmos/tx/v1beta1/decode"]?.post);
    assert.ok(doc.paths["/cosmos/tx/v1beta1/encode"]?.post);
  });

  const encode = async (body: unknown): Promise<{ status: number; body: Json }> => {
    const r = await fetch(`${url}/cosmos/tx/v1beta1/encode`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    return { status: r.status, body: (await r.json()) as Json };
  };

  test("TxEncode: TxDecode's JSON of a signed tx encodes back to its exact bytes (bank, registry, a consensus key)", async () => {
    const bytes = await signTx(alice, [sendMsg(alice.address, bob.address, "1234"), { typeUrl: "/trustnet.registry.v1.MsgClaimNamespace", value: { owner: alice.address, namespace: "acme" } }], { ...signer, memo: "hello" });
    const decoded = await post({ tx_bytes: b64(bytes) });
    const r = await encode({ tx: decoded.body.tx });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { tx_bytes: b64(bytes) });
    const slash = await signTx(alice, [{ typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail", value: { validatorAddr: alice.address } }], signer);
    assert.deepEqual((await encode({ tx: txJson(slash) })).body, { tx_bytes: b64(slash) });
  });

  test("TxEncode refuses what it cannot read exactly: 400 code 3 naming the path", async () => {
    const tx = txJson(await signTx(alice, [sendMsg(alice.address, bob.address, "1")], signer)) as { body: { messages: Json[] } };
    const typo = { ...tx, body: { ...tx.body, messages: [{ ...tx.body.messages[0], amont: [] }] } };
    sdkError(await encode({ tx: typo }), 400, 3, /^tx\.body\.messages\[0\]\.amont: unknown field$/, "a misspelt field");
    sdkError(await encode({ tx, extra: 1 }), 400, 3, /^extra: unknown field$/, "a field beside tx");
    sdkError(await encode({}), 400, 3, /^tx \(the Tx as JSON\) is required$/, "no tx");
    sdkError(await encode({ tx: [1] }), 400, 3, /^tx: expected an object/, "not an object");
    const vote = { ...tx, body: { ...tx.body, messages: [{ "@type": "/cosmos.gov.v1beta1.MsgVote", proposal_id: "1", voter: alice.address, option: 1 }] } };
    sdkError(await encode({ tx: vote }), 400, 3, /unable to resolve type URL "\/cosmos\.gov\.v1beta1\.MsgVote"/, "a message the chain does not route");
  });

  test("TxEncodeAmino and TxDecodeAmino are not implemented: 501 code 12 naming the method, as an SDK gateway answers", async () => {
    for (const [path, method, body] of [
      ["/cosmos/tx/v1beta1/encode/amino", "TxEncodeAmino", { amino_json: "{}" }], ["/cosmos/tx/v1beta1/decode/amino", "TxDecodeAmino", { amino_binary: "AA==" }],
    ] as const) {
      const r = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      assert.equal(r.status, 501, path);
      assert.deepEqual(await r.json(), { code: 12, message: `not implemented: this chain does not serve ${method} (yet)`, details: [] }, path);
    }
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    assert.equal(doc.paths["/cosmos/tx/v1beta1/encode/amino"], undefined, "not documented as served");
    const other = await fetch(`${url}/cosmos/tx/v1beta1/nope`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(other.status, 404, "an unknown route of the tx service is still a 404");
  });
});
