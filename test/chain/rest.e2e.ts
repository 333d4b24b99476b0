// The REST API on :1317 against a real devnet (real CometBFT, real app, real registry, real cosmjs): the Cosmos SDK
// gateway's routes and proto3-JSON shapes (written here from the SDK's proto-JSON rules, not copied from our
// output), broadcast through POST /cosmos/tx/v1beta1/txs, tx lookup, paginated event search, bad inputs, and every
// route of /openapi.json answering.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import type { SigningStargateClient } from "@cosmjs/stargate";
import { type Devnet, startDevnet } from "../helpers/devnet.ts";
import { faucetClient, namespaceOwner, pushAndWaitRecorded, REST } from "../helpers/chain-actions.ts";

type J = Record<string, unknown>;

// ---- SDK proto3-JSON shape rules (cosmos-sdk gateway: OrigName, EmitDefaults; int64 → string, bytes → base64) ----
const INT64 = /^-?\d+$/;
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
type Rule = "int64" | "uint32" | "string" | "bytes" | "bool" | "rfc3339" | "hex" | "any" | "null" | RegExp | { [k: string]: Rule } | [Rule] | ((v: unknown, at: string) => void);

function shape(v: unknown, rule: Rule, at = "$"): void {
  if (typeof rule === "function") return rule(v, at);
  if (rule instanceof RegExp) return assert.match(String(v), rule, at);
  if (Array.isArray(rule)) {
    assert.ok(Array.isArray(v), `${at} must be an array`);
    (v as unknown[]).forEach((x, i) => shape(x, rule[0], `${at}[${i}]`));
    return;
  }
  if (typeof rule === "object") {
    assert.ok(v !== null && typeof v === "object" && !Array.isArray(v), `${at} must be an object`);
    // Exactly the proto's fields, all present (EmitDefaults), snake_case.
    assert.deepEqual(Object.keys(v as J).sort(), Object.keys(rule).sort(), `${at} fields`);
    for (const [k, r] of Object.entries(rule)) shape((v as J)[k], r, `${at}.${k}`);
    return;
  }
  switch (rule) {
    case "int64": return assert.ok(typeof v === "string" && INT64.test(v), `${at} must be an int64 string, got ${JSON.stringify(v)}`);
    case "uint32": return assert.ok(typeof v === "number" && Number.isInteger(v) && v >= 0, `${at} must be a JSON number`);
    case "string": return assert.equal(typeof v, "string", at);
    case "bytes": return assert.ok(typeof v === "string" && B64.test(v), `${at} must be base64, got ${JSON.stringify(v)}`);
    case "bool": return assert.equal(typeof v, "boolean", at);
    case "rfc3339": return assert.ok(typeof v === "string" && RFC3339.test(v), `${at} must be RFC 3339`);
    case "hex": return assert.ok(typeof v === "string" && /^[0-9A-F]*$/.test(v), `${at} must be upper-case hex`);
    case "null": return assert.equal(v, null, at);
    case "any": return assert.ok(typeof (v as J)?.["@type"] === "string" && ((v as J)["@type"] as string).startsWith("/"), `${at} must be an Any with @type`);
  }
}
const nullable = (r: Rule): Rule => (v, at) => (v === null ? undefined : shape(v, r, at));
const COIN: Rule = { denom: "string", amount: /^\d+$/ };
const PAGE_RESPONSE: Rule = { next_key: nullable("bytes"), total: "int64" };
const EVENT: Rule = { type: "string", attributes: [{ key: "string", value: "string", index: "bool" }] };
const MSG_SEND: Rule = { "@type": /^\/cosmos\.bank\.v1beta1\.MsgSend$/, from_address: /^trust1/, to_address: /^trust1/, amount: [COIN] };
const TX: Rule = {
  body: { messages: [(v, at) => shape(v, "any", at)], memo: "string", timeout_height: "int64", extension_options: [{}], non_critical_extension_options: [{}] },
  auth_info: {
    signer_infos: [{ public_key: { "@type": /^\/cosmos\.crypto\.secp256k1\.PubKey$/, key: "bytes" }, mode_info: { single: { mode: /^SIGN_MODE_DIRECT$/ } }, sequence: "int64" }],
    fee: { amount: [COIN], gas_limit: "int64", payer: "string", granter: "string" },
    tip: "null",
  },
  signatures: ["bytes"],
};
const TX_RESPONSE: Rule = {
  height: "int64", txhash: /^[0-9A-F]{64}$/, codespace: "string", code: "uint32", data: "hex", raw_log: "string", logs: [{}], info: "string",
  gas_wanted: "int64", gas_used: "int64", tx: (v, at) => { shape(v, "any", at); const { "@type": _t, ...rest } = v as J; shape(rest, TX, at); }, timestamp: "rfc3339", events: [EVENT],
};
const SDK_ERROR: Rule = { code: "uint32", message: "string", details: [{}] };
const BLOCK_ID: Rule = { hash: "bytes", part_set_header: { total: "uint32", hash: "bytes" } };

describe("REST API on 1317 (Cosmos SDK gateway conventions)", () => {
  let d: Devnet;
  let faucet: SigningStargateClient;
  let sentHash = "";
  let sentHeight = 0;
  const to = "trust1gwvpscf2lcfjk2jzug00krz7y85mcsnr9hhsgy";
  const get = async (path: string, init?: RequestInit): Promise<{ status: number; body: J; headers: Headers }> => {
    const r = await fetch(`${REST}${path}`, init);
    return { status: r.status, body: (await r.json()) as J, headers: r.headers };
  };
  const post = (path: string, body: unknown): Promise<{ status: number; body: J; headers: Headers }> =>
    get(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

  before(async () => {
    d = await startDevnet();
    faucet = await faucetClient(d);
  });
  after(async () => {
    faucet?.disconnect();
    await d?.destroy();
  });

  test("broadcast a cosmjs-signed tx through POST /cosmos/tx/v1beta1/txs, then look it up and query the balance", async () => {
    const signed = await faucet.sign(d.faucet.address, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: d.faucet.address, toAddress: to, amount: [{ denom: "utrust", amount: "4242" }] } }],
      { amount: [{ denom: "utrust", amount: "5000" }], gas: "200000" }, "rest e2e");
    const b = await post("/cosmos/tx/v1beta1/txs", { tx_bytes: Buffer.from(TxRaw.encode(signed).finish()).toString("base64"), mode: "BROADCAST_MODE_SYNC" });
    assert.equal(b.status, 200);
    shape(b.body, { tx_response: { ...(TX_RESPONSE as object), tx: "null", timestamp: "string" } as Rule });
    const resp = b.body.tx_response as J;
    assert.equal(resp.code, 0, String(resp.raw_log));
    sentHash = resp.txhash as string;
    // Wait for inclusion, then the lookup answers the SDK's GetTxResponse.
    let tx: { status: number; body: J } = { status: 0, body: {} };
    for (let i = 0; i < 100 && tx.status !== 200; i++) {
      tx = await get(`/cosmos/tx/v1beta1/txs/${sentHash}`);
      if (tx.status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(tx.status, 200);
    shape(tx.body, { tx: TX, tx_response: TX_RESPONSE });
    const tr = tx.body.tx_response as J;
    sentHeight = Number(tr.height);
    shape((tr.tx as { body: { messages: unknown[] } }).body.messages[0], MSG_SEND);
    assert.deepEqual(((tr.tx as { body: { messages: J[] } }).body.messages[0] as J).amount, [{ denom: "utrust", amount: "4242" }]);
    assert.equal((tr.tx as { body: { memo: string } }).body.memo, "rest e2e");
    assert.equal((await get(`/cosmos/tx/v1beta1/txs/${sentHash.toLowerCase()}`)).status, 200, "hex hash in either case");
    // TxDecode of the bytes broadcast: the tx the lookup printed.
    const decoded = await post("/cosmos/tx/v1beta1/decode", { tx_bytes: Buffer.from(TxRaw.encode(signed).finish()).toString("base64") });
    assert.equal(decoded.status, 200, JSON.stringify(decoded.body));
    assert.deepEqual(decoded.body, { tx: tx.body.tx });

    const bal = await get(`/cosmos/bank/v1beta1/balances/${to}`);
    assert.equal(bal.status, 200);
    shape(bal.body, { balances: [COIN], pagination: PAGE_RESPONSE });
    assert.deepEqual(bal.body.balances, [{ denom: "utrust", amount: "4242" }]);
    assert.ok(Number(bal.headers.get("x-cosmos-block-height")) >= sentHeight);
    const past = await get(`/cosmos/bank/v1beta1/balances/${to}`, { headers: { "x-cosmos-block-height": "1" } });
    assert.deepEqual(past.body.balances, [], "historical query at height 1, before the send");
    const byDenom = await get(`/cosmos/bank/v1beta1/balances/${to}/by_denom?denom=utrust`);
    shape(byDenom.body, { balance: COIN });
    const acc = await get(`/cosmos/auth/v1beta1/accounts/${d.faucet.address}`);
    shape(acc.body, { account: { "@type": /^\/cosmos\.auth\.v1beta1\.BaseAccount$/, address: /^trust1/, pub_key: { "@type": /^\/cosmos\.crypto\.secp256k1\.PubKey$/, key: "bytes" }, account_number: "int64", sequence: "int64" } });
    const supply = await get("/cosmos/bank/v1beta1/supply");
    shape(supply.body, { supply: [COIN], pagination: PAGE_RESPONSE });
    const meta = await get("/cosmos/bank/v1beta1/denoms_metadata/utrust");
    shape(meta.body, { metadata: { description: "string", denom_units: [{ denom: "string", exponent: "uint32", aliases: ["string"] }], base: /^utrust$/, display: /^trust$/, name: "string", symbol: /^TRUST$/, uri: "string", uri_hash: "string" } });
  });

  test("tx search: query + pagination over CometBFT's index", async () => {
    for (let i = 0; i < 3; i++) {
      const r = await faucet.sendTokens(d.faucet.address, to, [{ denom: "utrust", amount: String(100 + i) }], "auto");
      assert.equal(r.code, 0);
    }
    const q = encodeURIComponent(`transfer.recipient='${to}'`);
    const all = await get(`/cosmos/tx/v1beta1/txs?query=${q}&order_by=ORDER_BY_ASC`);
    assert.equal(all.status, 200);
    shape(all.body, { txs: [TX], tx_responses: [TX_RESPONSE], pagination: PAGE_RESPONSE, total: "int64" });
    assert.equal(all.body.total, "4");
    const p1 = await get(`/cosmos/tx/v1beta1/txs?query=${q}&order_by=ORDER_BY_ASC&pagination.limit=2&pagination.offset=1`);
    const p1Hashes = (p1.body.tx_responses as J[]).map((t) => t.txhash);
    assert.deepEqual(p1Hashes, (all.body.tx_responses as J[]).slice(1, 3).map((t) => t.txhash));
    const page2 = await get(`/cosmos/tx/v1beta1/txs?query=${q}&order_by=ORDER_BY_DESC&page=2&limit=3`);
    assert.deepEqual((page2.body.tx_responses as J[]).map((t) => t.txhash), [sentHash], "page 2 of 3 newest-first is the oldest");
    const huge = await get(`/cosmos/tx/v1beta1/txs?query=${q}&pagination.limit=1000000000`);
    assert.equal(huge.status, 200, "a limit of 10^9 is clamped, not an error");
    assert.equal((huge.body.tx_responses as unknown[]).length, 4);
    const bad = await get(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent("this is not' a query")}`);
    assert.equal(bad.status, 400);
    shape(bad.body, SDK_ERROR);
  });

  test("tendermint routes: node_info, syncing, blocks latest and by height, validator set", async () => {
    const info = await get("/cosmos/base/tendermint/v1beta1/node_info");
    assert.equal((info.body.default_node_info as J).network, "trustnet-local-1");
    shape((info.body.default_node_info as J).channels, "bytes");
    assert.deepEqual((await get("/cosmos/base/tendermint/v1beta1/syncing")).body, { syncing: false });
    const latest = await get("/cosmos/base/tendermint/v1beta1/blocks/latest");
    // The answer's status and body first: a failed answer (an SDK error body) names its cause here.
    assert.equal(latest.status, 200, JSON.stringify(latest.body));
    shape(latest.body.block_id, BLOCK_ID);
    const hdr = (latest.body.block as J).header as J;
    shape(hdr.height, "int64");
    shape(hdr.app_hash, "bytes");
    shape(hdr.time, "rfc3339");
    assert.match(((latest.body.sdk_block as J).header as J).proposer_address as string, /^trustvalcons1/);
    const at = await get(`/cosmos/base/tendermint/v1beta1/blocks/${sentHeight}`);
    assert.equal(at.status, 200, JSON.stringify(at.body));
    assert.equal(((at.body.block as J).data as { txs: string[] }).txs.length >= 1, true);
    // GetBlockWithTxs: the same block, its txs decoded.
    const withTxs = await get(`/cosmos/tx/v1beta1/txs/block/${sentHeight}`);
    assert.equal(withTxs.status, 200, JSON.stringify(withTxs.body));
    assert.deepEqual(withTxs.body.block, at.body.block);
    shape(withTxs.body.txs, [TX]);
    shape(withTxs.body.pagination, PAGE_RESPONSE);
    assert.equal((withTxs.body.pagination as J).total, String(((at.body.block as J).data as { txs: string[] }).txs.length));
    const vs = await get("/cosmos/base/tendermint/v1beta1/validatorsets/latest");
    shape(vs.body, { block_height: "int64", validators: [{ address: /^trustvalcons1/, pub_key: { "@type": /^\/cosmos\.crypto\.ed25519\.PubKey$/, key: "bytes" }, voting_power: "int64", proposer_priority: "int64" }], pagination: PAGE_RESPONSE });
  });

  test("bad inputs: SDK error bodies with gRPC-gateway statuses, and a non-tx broadcast is a code in tx_response", async () => {
    const cases: [string, number, number][] = [
      ["/cosmos/bank/v1beta1/balances/cosmos1notanaddress", 400, 3],
      ["/cosmos/bank/v1beta1/balances/trust1notbech32", 400, 3],
      ["/cosmos/tx/v1beta1/txs/ZZZZ", 400, 3],
      [`/cosmos/tx/v1beta1/txs/${"AB".repeat(31)}`, 400, 3],
      [`/cosmos/tx/v1beta1/txs/${"0".repeat(64)}`, 404, 5],
      [`/cosmos/bank/v1beta1/balances/${to}?pagination.key=${encodeURIComponent("!!not base64!!")}`, 400, 3],
      ["/cosmos/auth/v1beta1/accounts/trust1nv7w7jnqgzaj0s8mqu3c3gfdj76y6vlus9esqx", 404, 5],
      ["/cosmos/base/tendermint/v1beta1/blocks/99999999", 400, 3],
      ["/cosmos/tx/v1beta1/txs/block/99999999", 400, 3],
      ["/cosmos/tx/v1beta1/txs/block/0", 400, 3],
      ["/no/such/route", 404, 5],
      ["/cosmos/gov/v1beta1/proposals", 501, 12],
    ];
    for (const [path, status, code] of cases) {
      const r = await get(path);
      assert.equal(r.status, status, path);
      shape(r.body, SDK_ERROR, path);
      assert.equal(r.body.code, code, path);
      assert.doesNotMatch(String(r.body.message), /at .*\.ts|node_modules|\/home\/|Error:/, `${path} echoes internals`);
    }
    const limit = await get(`/cosmos/bank/v1beta1/balances/${to}?pagination.limit=1000000000`);
    assert.equal(limit.status, 200);
    const notTx = await post("/cosmos/tx/v1beta1/txs", { tx_bytes: Buffer.from("garbage").toString("base64"), mode: "BROADCAST_MODE_SYNC" });
    assert.equal(notTx.status, 200);
    assert.equal((notTx.body.tx_response as J).code, 2);
    const big = await fetch(`${REST}/cosmos/tx/v1beta1/txs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tx_bytes: "A".repeat(10 << 20), mode: "BROADCAST_MODE_SYNC" }) });
    assert.equal(big.status, 413);
    shape(await big.json(), SDK_ERROR);
    const notJson = await fetch(`${REST}/cosmos/tx/v1beta1/txs`, { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    assert.equal(notJson.status, 400);
    const sim = await post("/cosmos/tx/v1beta1/simulate", { tx_bytes: Buffer.from("garbage").toString("base64") });
    assert.equal(sim.status, 400);
    shape(sim.body, SDK_ERROR);
  });

  test("registry routes, the thin /api routes, and every route of /openapi.json answers", async () => {
    const owner = await namespaceOwner(d, faucet, 41, "restns");
    const digest = await pushAndWaitRecorded(owner, "restns/app", "v1");
    const tags = await get("/trustnet/registry/v1/tags/restns/app");
    assert.equal(((tags.body.records as J[])[0] as J).digest, digest);
    owner.client.disconnect();

    const status = await get("/api/status");
    assert.equal(status.body.chain_id, "trustnet-local-1");
    assert.deepEqual((await get(`/api/balance/${to}`)).body.balances, [{ denom: "utrust", amount: String(4242 + 100 + 101 + 102) }]);
    assert.equal(((await get(`/api/tx/${sentHash}`)).body as J).txhash, sentHash);
    assert.ok(((await get("/api/blocks")).body.blocks as unknown[]).length > 0);

    // Every documented route answers 200 with real values for its path parameters.
    const doc = (await get("/openapi.json")).body as { paths: Record<string, Record<string, { parameters: { name: string; in: string; required: boolean }[] }>> };
    const node0 = JSON.parse(readFileSync(join(d.home, "devnet", "node0", "validator-operator.json"), "utf8")) as { address: string; validator: string };
    const values: Record<string, string> = {
      address: to, hash: sentHash, height: String(sentHeight), denom: "utrust", namespace: "restns", repo: "app",
      validator_address: node0.validator, delegator_address: node0.address,
    };
    const infos = (await get("/cosmos/slashing/v1beta1/signing_infos")).body as { info: { address: string }[] };
    values.cons_address = infos.info[0]?.address ?? "";
    values.validator_addr = node0.validator;
    values.delegator_addr = node0.address;
    values.lease_id = "1";
    values.name = "fee_collector"; // a module account: it holds fees from the first block
    // Single records this devnet does not hold (no unbonding of node0's stake, no provider, no lease) answer 404 with the SDK body.
    const absent = (template: string): boolean => template.endsWith("/unbonding_delegation") || template.includes("{lease_id}") || template.startsWith("/trustnet/leasing/v1/providers/{");
    const query: Record<string, string> = { denom: "utrust", query: `tx.height=${sentHeight}`, tenant: to };
    let checked = 0;
    for (const [template, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const path = template.replace(/\{([a-z_]+)\}/g, (_m, n: string) => {
          assert.ok(values[n], `a value for path parameter ${n}`);
          return values[n] as string;
        });
        // Required query parameters, and the one-of-two the leases list takes (tenant or provider).
        const qs = op.parameters.filter((p) => p.in === "query" && (p.required || (template === "/trustnet/leasing/v1/leases" && p.name === "tenant"))).map((p) => `${p.name}=${encodeURIComponent(query[p.name] ?? "")}`).join("&");
        const r = method === "get"
          ? await get(`${path}${qs ? `?${qs}` : ""}`)
          : await post(path, { tx_bytes: Buffer.from("garbage").toString("base64"), mode: "BROADCAST_MODE_SYNC" });
        const ok = method === "get" ? r.status === 200 || (absent(template) && r.status === 404 && (r.body as { code?: number }).code === 5) : r.status === 200 || ((path.endsWith("/simulate") || path.endsWith("/decode") || path.endsWith("/encode")) && r.status === 400);
        assert.ok(ok, `${method.toUpperCase()} ${path} answered ${r.status}: ${JSON.stringify(r.body)}`);
        checked++;
      }
    }
    assert.ok(checked >= 25, `checked ${checked} operations`);
  });

  test("/metrics: block height, txs by code, ABCI phase timings, state keys, validators", async () => {
    const text = await (await fetch(`${REST}/metrics`)).text();
    assert.ok(Number(/^trustnet_block_height (\d+)/m.exec(text)?.[1]) >= sentHeight);
    assert.match(text, /^trustnet_txs_total\{code="0"\} [1-9]/m);
    for (const m of ["trustnet_checktx_seconds_count", "trustnet_finalize_block_seconds_count", "trustnet_commit_seconds_count"]) assert.match(text, new RegExp(`^${m} [1-9]`, "m"), m);
    assert.match(text, /^trustnet_store_duration_seconds_count\{op="commit"\} [1-9]/m);
    assert.ok(Number(/^trustnet_state_keys (\d+)/m.exec(text)?.[1]) > 3);
    assert.match(text, /^trustnet_validators_bonded 1$/m);
    assert.match(text, /^trustnet_build_info\{version="0\.1\.0"\} 1/m);
    assert.doesNotMatch(text, /trust1[0-9a-z]{38}/, "no addresses in labels");
  });
});
