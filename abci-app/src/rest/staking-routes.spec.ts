// x/staking's gateway routes against the real app (real SQLite, cosmjs-signed txs): the SDK gateway's JSON
// (snake_case, LegacyDec strings, RFC 3339 times, amounts as strings), pagination, the status filter and the
// SDK error bodies for bad or unknown addresses.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { toBech32 } from "@cosmjs/encoding";
import { harness, operator, T0, type Harness, type Operator } from "../app/testing/staking.ts";
import { testKey, type TestKey } from "../app/testing/tx-builder.ts";
import { stakingCliQueries } from "../modules/staking/client/cli.ts";
import { runCliQuery } from "../sdk/client/cli-query.ts";
import { createMetrics } from "./metrics.ts";
import { createRestApp } from "./server.ts";

const U = "/cosmos.staking.v1beta1.";
const coin = (amount: string) => ({ denom: "utrust", amount });
type Json = Record<string, unknown>;

describe("x/staking REST routes on the real app", () => {
  let h: Harness;
  let ops: Operator[];
  let alice: TestKey;
  let server: Server;
  let url: string;
  let rpc: Server;
  const root = mkdtempSync(join(tmpdir(), "tn-staking-rest-"));
  let dbs = 0;
  const get = async (path: string): Promise<{ status: number; body: Json }> => {
    const r = await fetch(url + path);
    return { status: r.status, body: (await r.json()) as Json };
  };

  before(async () => {
    ops = await Promise.all([1, 2, 3].map(operator));
    alice = await testKey(41);
    h = await harness({ validators: ops, funded: [alice], params: { unbonding_time: "600s" }, dbPath: () => join(root, `state-${dbs++}.db`) });
    const [a, b] = ops as [Operator, Operator];
    for (const msgs of [
      [{ typeUrl: `${U}MsgDelegate`, value: { delegatorAddress: alice.address, validatorAddress: a.valoper, amount: coin("3000000") } }],
      [{ typeUrl: `${U}MsgUndelegate`, value: { delegatorAddress: alice.address, validatorAddress: a.valoper, amount: coin("1000000") } }],
      [{ typeUrl: `${U}MsgBeginRedelegate`, value: { delegatorAddress: alice.address, validatorSrcAddress: a.valoper, validatorDstAddress: b.valoper, amount: coin("500000") } }],
    ]) {
      const r = await h.run(alice, msgs);
      assert.equal(r.code, 0, r.log);
    }
    // A CometBFT RPC is not needed by these routes; an empty loopback server stands in for the URL.
    rpc = createServer((_q, s) => void s.end("{}"));
    await new Promise<void>((r) => rpc.listen(0, "127.0.0.1", r));
    const { app } = createRestApp({ query: (q) => h.app.query(q), rpcUrl: `http://127.0.0.1:${(rpc.address() as AddressInfo).port}`, metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test" });
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server?.close();
    rpc?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test("validators: the gateway's JSON, the status filter and key pagination", async () => {
    const all = await get("/cosmos/staking/v1beta1/validators");
    assert.equal(all.status, 200);
    const vals = all.body.validators as Json[];
    assert.equal(vals.length, 3);
    assert.deepEqual((all.body.pagination as Json).total, "3");
    const v = vals.find((x) => x.operator_address === ops[0]?.valoper) as Json;
    assert.deepEqual(Object.keys(v).sort(), ["commission", "consensus_pubkey", "delegator_shares", "description", "jailed", "min_self_delegation", "operator_address", "status", "tokens", "unbonding_height", "unbonding_ids", "unbonding_on_hold_ref_count", "unbonding_time"]);
    assert.deepEqual(v.consensus_pubkey, { "@type": "/cosmos.crypto.ed25519.PubKey", key: Buffer.from(ops[0]?.consKey ?? []).toString("base64") });
    assert.equal(v.status, "BOND_STATUS_BONDED");
    assert.equal(v.jailed, false);
    assert.equal(v.tokens, "11500000", "10 TRUST self-delegation + 3 delegated − 1 undelegated − 0.5 redelegated");
    assert.equal(v.delegator_shares, "11500000.000000000000000000");
    assert.deepEqual((v.commission as Json).commission_rates, { rate: "0.100000000000000000", max_rate: "0.200000000000000000", max_change_rate: "0.010000000000000000" });
    assert.match((v.commission as Json).update_time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal((v.description as Json).moniker, "node0");
    assert.equal(v.unbonding_time, "1970-01-01T00:00:00Z");

    const bonded = await get("/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED");
    assert.equal((bonded.body.validators as Json[]).length, 3);
    const unbonded = await get("/cosmos/staking/v1beta1/validators?status=BOND_STATUS_UNBONDED");
    assert.deepEqual(unbonded.body.validators, []);
    const bad = await get("/cosmos/staking/v1beta1/validators?status=bonded");
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 3);

    const p1 = await get("/cosmos/staking/v1beta1/validators?pagination.limit=2");
    assert.equal((p1.body.validators as Json[]).length, 2);
    const next = (p1.body.pagination as Json).next_key as string;
    assert.ok(next);
    const p2 = await get(`/cosmos/staking/v1beta1/validators?pagination.limit=2&pagination.key=${encodeURIComponent(next)}`);
    assert.equal((p2.body.validators as Json[]).length, 1);
    assert.equal((p2.body.pagination as Json).next_key, null);
    const seen = [...(p1.body.validators as Json[]), ...(p2.body.validators as Json[])].map((x) => x.operator_address).sort();
    assert.deepEqual(seen, vals.map((x) => x.operator_address).sort());
  });

  test("validator, delegations, unbonding, redelegations, delegator validators", async () => {
    const [a, b] = ops as [Operator, Operator];
    const one = await get(`/cosmos/staking/v1beta1/validators/${a.valoper}`);
    assert.equal((one.body.validator as Json).operator_address, a.valoper);

    const toA = await get(`/cosmos/staking/v1beta1/validators/${a.valoper}/delegations`);
    const rows = toA.body.delegation_responses as Json[];
    assert.equal(rows.length, 2, "the operator's self-delegation and alice's");
    assert.deepEqual(rows.find((r) => (r.delegation as Json).delegator_address === alice.address), {
      delegation: { delegator_address: alice.address, validator_address: a.valoper, shares: "1500000.000000000000000000" }, balance: { denom: "utrust", amount: "1500000" },
    });

    const d = await get(`/cosmos/staking/v1beta1/validators/${a.valoper}/delegations/${alice.address}`);
    assert.equal(((d.body.delegation_response as Json).balance as Json).amount, "1500000");
    const mine = await get(`/cosmos/staking/v1beta1/delegations/${alice.address}`);
    assert.deepEqual((mine.body.delegation_responses as Json[]).map((r) => ((r.balance as Json).amount)).sort(), ["1500000", "500000"]);

    const ubd = await get(`/cosmos/staking/v1beta1/validators/${a.valoper}/delegations/${alice.address}/unbonding_delegation`);
    const entry = ((ubd.body.unbond as Json).entries as Json[])[0] as Json;
    assert.equal(entry.balance, "1000000");
    assert.equal(entry.initial_balance, "1000000");
    assert.equal(entry.creation_height, "2");
    assert.match(entry.completion_time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const ubds = await get(`/cosmos/staking/v1beta1/delegators/${alice.address}/unbonding_delegations`);
    assert.equal((ubds.body.unbonding_responses as Json[]).length, 1);
    const fromA = await get(`/cosmos/staking/v1beta1/validators/${a.valoper}/unbonding_delegations`);
    assert.equal((fromA.body.unbonding_responses as Json[]).length, 1);

    const reds = await get(`/cosmos/staking/v1beta1/delegators/${alice.address}/redelegations`);
    const red = (reds.body.redelegation_responses as Json[])[0] as Json;
    assert.equal((red.redelegation as Json).validator_src_address, a.valoper);
    assert.equal((red.redelegation as Json).validator_dst_address, b.valoper);
    assert.equal(((red.entries as Json[])[0] as Json).balance, "500000");
    assert.equal((((red.entries as Json[])[0] as Json).redelegation_entry as Json).shares_dst, "500000.000000000000000000");
    const filtered = await get(`/cosmos/staking/v1beta1/delegators/${alice.address}/redelegations?src_validator_addr=${b.valoper}`);
    assert.deepEqual(filtered.body.redelegation_responses, []);

    const dv = await get(`/cosmos/staking/v1beta1/delegators/${alice.address}/validators`);
    assert.deepEqual((dv.body.validators as Json[]).map((v) => v.operator_address).sort(), [a.valoper, b.valoper].sort());
    const dvOne = await get(`/cosmos/staking/v1beta1/delegators/${alice.address}/validators/${b.valoper}`);
    assert.equal((dvOne.body.validator as Json).operator_address, b.valoper);
  });

  test("pool, params and historical info", async () => {
    const pool = await get("/cosmos/staking/v1beta1/pool");
    assert.deepEqual(pool.body, { pool: { not_bonded_tokens: "1000000", bonded_tokens: String(10_000_000 + 20_000_000 + 30_000_000 + 2_000_000) } });
    const params = await get("/cosmos/staking/v1beta1/params");
    assert.deepEqual(params.body, { params: { unbonding_time: "600s", max_validators: 100, max_entries: 7, historical_entries: 100, bond_denom: "utrust", min_commission_rate: "0.000000000000000000" } });
    const hist = await get(`/cosmos/staking/v1beta1/historical_info/${h.height}`);
    assert.equal(hist.status, 200);
    const hi = hist.body.hist as Json;
    assert.equal((hi.header as Json).height, String(h.height));
    assert.equal((hi.header as Json).chain_id, "trustnet-local-1");
    assert.equal((hi.valset as Json[]).length, 3);
    const missing = await get("/cosmos/staking/v1beta1/historical_info/999999");
    assert.equal(missing.status, 404);
  });

  test("`trustnet query staking validators|validator|pool|params -o json` is the REST route's JSON (simd's shape: description, a typed consensus key, commission_rates); the text is the CLI's own", async () => {
    const cli = (name: string) => stakingCliQueries.find((q) => q.name === name) ?? assert.fail(`staking declares ${name}`);
    const run = (name: string, args: Record<string, string>) => runCliQuery(cli(name), async (path, data) => h.app.query({ path, data, height: 0n, prove: false }).value ?? new Uint8Array(), args);
    const [a] = ops as [Operator];
    const all = await run("validators", { status: "all" });
    const rest = await get("/cosmos/staking/v1beta1/validators");
    assert.deepEqual(all.json, { validators: rest.body.validators }, "every page fetched: no pagination to print");
    const byOp = (j: unknown) => [...((j as { validators: Json[] }).validators)].sort((x, y) => String(x.operator_address).localeCompare(String(y.operator_address)));
    assert.deepEqual(byOp((await run("validators", { status: "bonded" })).json), byOp((await get("/cosmos/staking/v1beta1/validators?status=BOND_STATUS_BONDED")).body));
    const one = await run("validator", { validator: a.valoper });
    assert.deepEqual(one.json, (await get(`/cosmos/staking/v1beta1/validators/${a.valoper}`)).body);
    const v = (one.json as { validator: Json }).validator;
    assert.deepEqual(v.description, { moniker: "node0", identity: "", website: "", security_contact: "", details: "" });
    assert.deepEqual(v.consensus_pubkey, { "@type": "/cosmos.crypto.ed25519.PubKey", key: Buffer.from(a.consKey).toString("base64") });
    assert.deepEqual(Object.keys(v.commission as Json), ["commission_rates", "update_time"]);
    assert.match(one.text, new RegExp(`^operator_address: ${a.valoper}\nmoniker: node0\nstatus: BOND_STATUS_BONDED\n`, "u"), "the text output is unchanged");
    assert.match(all.text, new RegExp(`^${a.valoper}  bonded    power +11  node0$`, "mu"));
    const params = await run("params", {});
    assert.deepEqual(params.json, (await get("/cosmos/staking/v1beta1/params")).body);
    assert.match(params.text, /^unbonding_time: 600s\nmax_validators: 100\n/u);
    assert.deepEqual((await run("pool", {})).json, (await get("/cosmos/staking/v1beta1/pool")).body, "pool: {pool: {…}}, REST's body");
  });

  test("`trustnet query staking delegator-validators|historical-info -o json` is the REST route's body ({validators}, every page, no pagination; {hist: {header, valset}}); the text is the CLI's own", async () => {
    const cli = (name: string) => stakingCliQueries.find((q) => q.name === name) ?? assert.fail(`staking declares ${name}`);
    const run = (name: string, args: Record<string, string>) => runCliQuery(cli(name), async (path, data) => h.app.query({ path, data, height: 0n, prove: false }).value ?? new Uint8Array(), args);
    const [a, b] = ops as [Operator, Operator];
    const dv = await run("delegator-validators", { delegator: alice.address });
    const { pagination: _p, ...dvRest } = (await get(`/cosmos/staking/v1beta1/delegators/${alice.address}/validators`)).body;
    assert.deepEqual(dv.json, dvRest);
    assert.deepEqual((dvRest.validators as Json[]).map((v) => v.operator_address).sort(), [a.valoper, b.valoper].sort());
    assert.match(dv.text, new RegExp(`^${a.valoper} {2}node0$`, "mu"), "the text output is unchanged");
    const height = h.height.toString();
    const hi = await run("historical-info", { "block-height": height });
    assert.deepEqual(hi.json, (await get(`/cosmos/staking/v1beta1/historical_info/${height}`)).body);
    const hist = (hi.json as { hist: { header: Json; valset: Json[] } }).hist;
    assert.equal(hist.header.height, height);
    assert.equal(hist.valset.length, 3);
    assert.match(hi.text, new RegExp(`^height ${height} at \\S+Z \\(trustnet-local-1\\), 3 bonded validator\\(s\\):\n`, "u"), "the text output is unchanged");
  });

  test("`trustnet query staking delegation|delegations|validator-delegations -o json` is the REST route's body ({delegation_response} / {delegation_responses}, every page, no pagination); the text is the CLI's own", async () => {
    const cli = (name: string) => stakingCliQueries.find((q) => q.name === name) ?? assert.fail(`staking declares ${name}`);
    const run = (name: string, args: Record<string, string>) => runCliQuery(cli(name), async (path, data) => h.app.query({ path, data, height: 0n, prove: false }).value ?? new Uint8Array(), args);
    const [a] = ops as [Operator];
    const one = await run("delegation", { delegator: alice.address, validator: a.valoper });
    assert.deepEqual(one.json, (await get(`/cosmos/staking/v1beta1/validators/${a.valoper}/delegations/${alice.address}`)).body);
    assert.deepEqual(one.json, { delegation_response: { delegation: { delegator_address: alice.address, validator_address: a.valoper, shares: "1500000.000000000000000000" }, balance: { denom: "utrust", amount: "1500000" } } });
    assert.equal(one.text, `${alice.address} has 1.5 TRUST (1500000.000000000000000000 shares) with ${a.valoper}`, "the text output is unchanged");
    const mine = await run("delegations", { delegator: alice.address });
    const { pagination: _p1, ...mineRest } = (await get(`/cosmos/staking/v1beta1/delegations/${alice.address}`)).body;
    assert.deepEqual(mine.json, mineRest);
    assert.equal((mineRest.delegation_responses as Json[]).length, 2);
    assert.match(mine.text, new RegExp(`^${a.valoper} {2}1\\.5 TRUST$`, "mu"));
    const toA = await run("validator-delegations", { validator: a.valoper });
    const { pagination: _p2, ...toARest } = (await get(`/cosmos/staking/v1beta1/validators/${a.valoper}/delegations`)).body;
    assert.deepEqual(toA.json, toARest);
    assert.equal((toARest.delegation_responses as Json[]).length, 2);
    assert.match(toA.text, new RegExp(`^${alice.address} {2}1\\.5 TRUST$`, "mu"));
  });

  test("`trustnet query staking unbonding|unbonding-delegation|validator-unbonding-delegations -o json` is the REST route's body ({unbond} / {unbonding_responses}, every page, no pagination); the text is the CLI's own", async () => {
    const cli = (name: string) => stakingCliQueries.find((q) => q.name === name) ?? assert.fail(`staking declares ${name}`);
    const run = (name: string, args: Record<string, string>) => runCliQuery(cli(name), async (path, data) => h.app.query({ path, data, height: 0n, prove: false }).value ?? new Uint8Array(), args);
    const [a] = ops as [Operator];
    const one = await run("unbonding-delegation", { delegator: alice.address, validator: a.valoper });
    assert.deepEqual(one.json, (await get(`/cosmos/staking/v1beta1/validators/${a.valoper}/delegations/${alice.address}/unbonding_delegation`)).body);
    assert.equal(((one.json as { unbond: Json }).unbond.entries as Json[]).length, 1);
    assert.match(one.text, new RegExp(`^${a.valoper} {2}1 TRUST {2}completes \\S+Z \\(created at height 2\\)$`, "u"), "the text output is unchanged");
    const mine = await run("unbonding", { delegator: alice.address });
    const { pagination: _p1, ...mineRest } = (await get(`/cosmos/staking/v1beta1/delegators/${alice.address}/unbonding_delegations`)).body;
    assert.deepEqual(mine.json, mineRest);
    assert.deepEqual(mine.json, { unbonding_responses: [(one.json as { unbond: Json }).unbond] });
    assert.equal(mine.text, one.text);
    const fromA = await run("validator-unbonding-delegations", { validator: a.valoper });
    const { pagination: _p2, ...fromARest } = (await get(`/cosmos/staking/v1beta1/validators/${a.valoper}/unbonding_delegations`)).body;
    assert.deepEqual(fromA.json, fromARest);
    assert.deepEqual(fromA.json, mine.json, "alice's is the only unbonding from a");
    assert.match(fromA.text, new RegExp(`^${alice.address} {2}1 TRUST {2}completes `, "u"));
  });

  test("`trustnet query staking redelegations|redelegation -o json` is the REST route's body ({redelegation_responses}, every page, no pagination); the text is the CLI's own", async () => {
    const cli = (name: string) => stakingCliQueries.find((q) => q.name === name) ?? assert.fail(`staking declares ${name}`);
    const run = (name: string, args: Record<string, string>) => runCliQuery(cli(name), async (path, data) => h.app.query({ path, data, height: 0n, prove: false }).value ?? new Uint8Array(), args);
    const [a, b] = ops as [Operator, Operator];
    const all = await run("redelegations", { delegator: alice.address });
    const { pagination: _p1, ...allRest } = (await get(`/cosmos/staking/v1beta1/delegators/${alice.address}/redelegations`)).body;
    assert.deepEqual(all.json, allRest);
    assert.equal((allRest.redelegation_responses as Json[]).length, 1);
    assert.match(all.text, new RegExp(`^${a.valoper} -> ${b.valoper} {2}0\\.5 TRUST {2}completes \\S+Z \\(created at height \\d+\\)$`, "u"), "the text output is unchanged");
    const one = await run("redelegation", { delegator: alice.address, src: a.valoper, dst: b.valoper });
    const { pagination: _p2, ...oneRest } = (await get(`/cosmos/staking/v1beta1/delegators/${alice.address}/redelegations?src_validator_addr=${a.valoper}&dst_validator_addr=${b.valoper}`)).body;
    assert.deepEqual(one.json, oneRest);
    assert.deepEqual(one.json, all.json, "alice's only redelegation");
    assert.equal(one.text, all.text);
  });

  test("unknown validator or delegation is 404, a malformed address 400, both with the SDK body", async () => {
    const ghost = toBech32("trustvaloper", new Uint8Array(20).fill(7));
    for (const path of [`/cosmos/staking/v1beta1/validators/${ghost}`, `/cosmos/staking/v1beta1/validators/${ops[2]?.valoper}/delegations/${alice.address}`]) {
      const r = await get(path);
      assert.equal(r.status, 404, path);
      assert.equal(r.body.code, 5);
      assert.deepEqual(r.body.details, []);
    }
    for (const path of ["/cosmos/staking/v1beta1/validators/trust1notavaloper", `/cosmos/staking/v1beta1/delegations/${ops[0]?.valoper}`, `/cosmos/staking/v1beta1/delegators/${alice.address}/redelegations?src_validator_addr=nope`]) {
      const r = await get(path);
      assert.equal(r.status, 400, path);
      assert.equal(r.body.code, 3);
    }
  });
});

describe("x/staking REST times: Timestamps as the gateway's jsonpb prints them", () => {
  const root = mkdtempSync(join(tmpdir(), "tn-staking-rest-times-"));
  let dbs = 0;
  let server: Server | undefined;
  after(() => {
    server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  test("a block time a quarter second past the second and a 600.5 s unbonding: completion_time, unbonding_time and the historical header's time carry .250Z/.750Z (0, 3, 6 or 9 digits), not .25Z/.75Z; params' unbonding_time is 600.500s, not 600.5s", async () => {
    const ops = await Promise.all([1, 2, 3].map(operator));
    const [a, b, c] = ops as [Operator, Operator, Operator];
    const bob = await testKey(42);
    const h = await harness({ validators: ops, funded: [bob], params: { unbonding_time: "600500ms" }, blockNanos: 250_000_000, dbPath: () => join(root, `state-${dbs++}.db`) });
    for (const [key, msgs] of [
      [bob, [{ typeUrl: `${U}MsgDelegate`, value: { delegatorAddress: bob.address, validatorAddress: a.valoper, amount: coin("3000000") } }]],
      [bob, [{ typeUrl: `${U}MsgUndelegate`, value: { delegatorAddress: bob.address, validatorAddress: a.valoper, amount: coin("1000000") } }]],
      [bob, [{ typeUrl: `${U}MsgBeginRedelegate`, value: { delegatorAddress: bob.address, validatorSrcAddress: a.valoper, validatorDstAddress: b.valoper, amount: coin("500000") } }]],
      // The operator takes all its stake out: the validator is unbonding, with an unbonding_time.
      [c.key, [{ typeUrl: `${U}MsgUndelegate`, value: { delegatorAddress: c.key.address, validatorAddress: c.valoper, amount: coin("30000000") } }]],
    ] as const) {
      const r = await h.run(key, [...msgs]);
      assert.equal(r.code, 0, r.log);
    }
    // Block n's time is T0 + n seconds and 250 ms (the harness advances one second a block); unbonding_time is 600.5 s.
    const at = (height: bigint, plusMs = 0n): string => new Date(Number((T0 + height) * 1000n + plusMs) + 250).toISOString();
    const U_MS = 600_500n;
    assert.match(at(2n, U_MS), /\.750Z$/u);
    const rpc = createServer((_q, s) => void s.end("{}"));
    await new Promise<void>((r) => rpc.listen(0, "127.0.0.1", r));
    const { app } = createRestApp({ query: (q) => h.app.query(q), rpcUrl: `http://127.0.0.1:${(rpc.address() as AddressInfo).port}`, metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test" });
    server = createServer(app);
    server.on("close", () => rpc.close());
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = async (path: string): Promise<Json> => {
      const r = await fetch(url + path);
      assert.equal(r.status, 200, path);
      return (await r.json()) as Json;
    };

    assert.equal(((await get("/cosmos/staking/v1beta1/params")).params as Json).unbonding_time, "600.500s", "a Duration's fraction in 3 digits, as jsonpb prints it");
    const cliParams = stakingCliQueries.find((q) => q.name === "params");
    assert.ok(cliParams);
    const cli = await runCliQuery(cliParams, async (path, data) => h.app.query({ path, data, height: 0n, prove: false }).value ?? new Uint8Array(), {});
    assert.equal(((cli.json as Json).params as Json).unbonding_time, "600.500s", "`trustnet query staking params`: the same Duration, not cut to 600s");
    const ubd = await get(`/cosmos/staking/v1beta1/validators/${a.valoper}/delegations/${bob.address}/unbonding_delegation`);
    assert.deepEqual(((ubd.unbond as Json).entries as Json[]).map((e) => [e.creation_height, e.completion_time]), [["2", at(2n, U_MS)]]);
    const red = await get(`/cosmos/staking/v1beta1/delegators/${bob.address}/redelegations`);
    const [r0] = red.redelegation_responses as Json[];
    const entry = ((r0?.entries as Json[])[0]?.redelegation_entry ?? {}) as Json;
    assert.deepEqual([entry.creation_height, entry.completion_time], ["3", at(3n, U_MS)]);
    assert.equal((((r0?.redelegation as Json).entries as Json[])[0] as Json).completion_time, at(3n, U_MS));
    const v = (await get(`/cosmos/staking/v1beta1/validators/${c.valoper}`)).validator as Json;
    assert.deepEqual([v.status, v.unbonding_height, v.unbonding_time], ["BOND_STATUS_UNBONDING", "4", at(4n, U_MS)]);
    const hist = (await get(`/cosmos/staking/v1beta1/historical_info/${h.height}`)).hist as Json;
    assert.equal((hist.header as Json).time, at(h.height), "the recorded header's time is a proto Timestamp in the gateway's answer: jsonpb's form too");
    await new Promise<void>((r) => server?.close(() => r()));
    server = undefined;
    h.store.close();
  });
});
