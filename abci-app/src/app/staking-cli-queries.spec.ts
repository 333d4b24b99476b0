// The CLI queries x/staking, x/distribution, x/slashing and x/mint declare (modules/<m>/client/cli.ts), run with
// runCliQuery against the real app's query router (real SQLite, cosmjs-signed txs, signed blocks): the JSON the
// CLI prints (its field names and formats are what the e2e tests and scripts parse), every page of a paginated
// list, and the chain's errors for bad inputs.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { sha256 } from "@cosmjs/crypto";
import { QueryDelegatorDelegationsRequest, QueryValidatorDelegationsRequest, QueryValidatorsRequest } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { valconsAddress, valoperBytes } from "../sdk/address.ts";
import { type AbciQuery, atOneHeight, type CliQuery, type CliQueryResult, type HeightQuery, runCliQuery } from "../sdk/client/cli-query.ts";
import { camelCaseKeys, int64Numbers } from "../sdk/client/json.ts";
import { moduleCliQueries } from "./modules.ts";
import { harness, operator, type Harness, type Operator } from "./testing/staking.ts";
import { testKey, type TestKey } from "./testing/tx-builder.ts";

const U = "/cosmos.staking.v1beta1.";
const coin = (amount: string) => ({ denom: "utrust", amount });
type Json = Record<string, unknown>;
const DEC18 = /^\d+\.\d{18}$/;
/**
 * The harness's block times are whole seconds, and so are completion times (+ 600s) and recorded header times: the CLI
 * prints them as jsonpb prints a Timestamp (and `simd q … -o json`), with no fraction, not JS's toISOString (".000Z").
 */
const WHOLE_SECOND = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/u;

describe("staking, distribution, slashing and mint CLI queries on the real app", () => {
  let h: Harness;
  let ops: Operator[];
  let alice: TestKey;
  let bob: TestKey;
  let carol: TestKey;
  const root = mkdtempSync(join(tmpdir(), "tn-cli-queries-"));
  let dbs = 0;
  const calls: string[] = [];
  /** The node as the CLI reaches it: the answer's bytes, or cosmjs's error for a non-zero code. */
  const abci: AbciQuery = async (path, data) => {
    calls.push(path);
    const r = h.app.query({ path, data, height: 0n, prove: false });
    if (r.code) throw new Error(`Query failed with (${r.code}): ${r.log}`);
    return r.value ?? new Uint8Array();
  };
  const queries = new Map(moduleCliQueries().map(({ module, queries: qs }) => [module, new Map(qs.map((q) => [q.name, q]))]));
  const q = (module: string, name: string): CliQuery => {
    const found = queries.get(module)?.get(name);
    assert.ok(found, `${module} declares the CLI query ${name}`);
    return found;
  };
  const ran = new Set<string>();
  /** Runs a query; its JSON must have snake_case keys only (docs/wallet-cli.md), whatever the test checks next. */
  const run = async (module: string, name: string, args: Record<string, string> = {}, via: AbciQuery = abci): Promise<CliQueryResult & { json: Json }> => {
    const r = (await runCliQuery(q(module, name), via, args)) as CliQueryResult & { json: Json };
    assert.deepEqual(camelCaseKeys(r.json), [], `query ${module} ${name}: camelCase keys in its JSON`);
    assert.deepEqual(int64Numbers(r.json), [], `query ${module} ${name}: 64-bit numbers as JSON numbers (they are strings)`);
    ran.add(`${module} ${name}`);
    return r;
  };

  before(async () => {
    ops = await Promise.all([1, 2, 3].map(operator));
    alice = await testKey(41);
    bob = await testKey(42);
    carol = await testKey(43);
    h = await harness({ validators: ops, funded: [alice, bob, carol], signing: true, params: { unbonding_time: "600s" }, dbPath: () => join(root, `state-${dbs++}.db`) });
    const [a, b] = ops as [Operator, Operator];
    for (const msgs of [
      [{ typeUrl: `${U}MsgDelegate`, value: { delegatorAddress: alice.address, validatorAddress: a.valoper, amount: coin("3000000") } }],
      [{ typeUrl: `${U}MsgDelegate`, value: { delegatorAddress: alice.address, validatorAddress: b.valoper, amount: coin("2000000") } }],
      [{ typeUrl: `${U}MsgUndelegate`, value: { delegatorAddress: alice.address, validatorAddress: a.valoper, amount: coin("1000000") } }],
    ]) {
      const r = await h.run(alice, msgs);
      assert.equal(r.code, 0, r.log);
    }
    for (let i = 0; i < 5; i++) h.block(); // signed blocks: provisions and fees become rewards and commission
  });
  after(() => {
    h.store.close(); // first: its WAL checkpointer thread may still create files in root
    rmSync(root, { recursive: true, force: true });
  });

  test("every query the hand-written commands had, and mint's, is declared by its module", () => {
    assert.deepEqual([...(queries.get("staking")?.keys() ?? [])], ["validators", "validator", "validator-delegations", "validator-unbonding-delegations", "delegation", "delegations", "delegator-validators", "unbonding", "unbonding-delegation", "redelegations", "redelegation", "historical-info", "pool", "params"]);
    assert.deepEqual(q("staking", "unbonding").aliases, ["unbonding-delegations"], "the SDK's name too");
    // simd v0.50's autocli names for the same queries
    assert.deepEqual(q("staking", "validator-delegations").aliases, ["delegations-to"]);
    assert.deepEqual(q("staking", "validator-unbonding-delegations").aliases, ["unbonding-delegations-from"]);
    assert.deepEqual(q("distribution", "outstanding-rewards").aliases, ["validator-outstanding-rewards"]);
    assert.deepEqual([...(queries.get("distribution")?.keys() ?? [])], ["rewards", "rewards-by-validator", "commission", "validator-distribution-info", "outstanding-rewards", "community-pool", "withdraw-address", "slashes", "params"]);
    assert.deepEqual([...(queries.get("slashing")?.keys() ?? [])], ["signing-info", "signing-infos", "params"]);
    assert.deepEqual([...(queries.get("mint")?.keys() ?? [])], ["params", "inflation", "annual-provisions"]);
    assert.deepEqual(q("staking", "validators").options, [{
      name: "status", describe: "bond status (or the SDK's BOND_STATUS_BONDED|UNBONDING|UNBONDED|UNSPECIFIED; UNSPECIFIED is all)", choices: ["bonded", "unbonding", "unbonded", "all"],
      synonyms: { BOND_STATUS_BONDED: "bonded", BOND_STATUS_UNBONDING: "unbonding", BOND_STATUS_UNBONDED: "unbonded", BOND_STATUS_UNSPECIFIED: "all" }, default: "all",
    }]);
    assert.equal(q("distribution", "rewards").args[1]?.whenOmitted, "absent", "rewards without a validator means every validator");
    assert.equal(q("slashing", "signing-info").args[0]?.kind, "consensus");
  });

  test("staking validator: the gateway's JSON ({validator: …}, as simd's autocli prints it), and the CLI's text", async () => {
    const [a] = ops as [Operator];
    const r = await run("staking", "validator", { validator: a.valoper });
    const v = r.json.validator as Json;
    assert.deepEqual(Object.keys(r.json), ["validator"]);
    assert.match(String((v.commission as Json).update_time), WHOLE_SECOND);
    assert.deepEqual(v, {
      operator_address: a.valoper, consensus_pubkey: { "@type": "/cosmos.crypto.ed25519.PubKey", key: Buffer.from(a.consKey).toString("base64") }, jailed: false,
      status: "BOND_STATUS_BONDED", tokens: "12000000", delegator_shares: "12000000.000000000000000000",
      description: { moniker: "node0", identity: "", website: "", security_contact: "", details: "" }, unbonding_height: "0", unbonding_time: "1970-01-01T00:00:00Z",
      commission: { commission_rates: { rate: "0.100000000000000000", max_rate: "0.200000000000000000", max_change_rate: "0.010000000000000000" }, update_time: (v.commission as Json).update_time },
      min_self_delegation: "1", unbonding_on_hold_ref_count: "0", unbonding_ids: [],
    });
    assert.match(r.text, new RegExp(`^operator_address: ${a.valoper}\nmoniker: node0\nstatus: BOND_STATUS_BONDED\n`, "u"));
    assert.match(r.text, /\ncommission: \{"rate":"0\.100000000000000000","max_rate":"0\.200000000000000000","max_change_rate":"0\.010000000000000000"\}\n/u, "LegacyDec text, as the SDK's CLI");
  });

  test("staking validators: every page, by status", async () => {
    const all = await run("staking", "validators", { status: "all" });
    const rows = all.json.validators as Json[];
    assert.deepEqual(rows.map((v) => v.operator_address).sort(), ops.map((o) => o.valoper).sort());
    assert.deepEqual(rows.map((v) => v.tokens).sort(), ["12000000", "22000000", "30000000"]);
    assert.equal(all.text.split("\n").length, 3);
    assert.match(all.text, /bonded {4}power {5}12 {2}node0/u);

    // One validator a page: the query follows next_key to the end (three pages, then an empty key).
    calls.length = 0;
    const onePerPage: AbciQuery = (path, data) => {
      const req = QueryValidatorsRequest.decode(data);
      return abci(path, QueryValidatorsRequest.encode({ ...req, pagination: { key: req.pagination?.key ?? new Uint8Array(), offset: 0n, limit: 1n, countTotal: false, reverse: false } }).finish());
    };
    const paged = await run("staking", "validators", { status: "bonded" }, onePerPage);
    assert.deepEqual(paged.json, { validators: (all.json.validators as Json[]).filter((v) => v.status === "BOND_STATUS_BONDED") });
    assert.equal((paged.json.validators as Json[]).length, 3);
    assert.ok(calls.length >= 3, `${calls.length} pages of one validator`);

    const none = await run("staking", "validators", { status: "unbonded" });
    assert.deepEqual(none.json, { validators: [] });
    assert.equal(none.text, "no validators");
    await assert.rejects(run("staking", "validators", { status: "jailed" }), /--status: "jailed" is not one of bonded, unbonding, unbonded, all/u);
  });

  test("staking validator-delegations, validator-unbonding-delegations, delegator-validators: every page, key names for addresses", async () => {
    const [a, b] = ops as [Operator, Operator];
    const vd = await run("staking", "validator-delegations", { validator: a.valoper });
    const rows = vd.json.delegation_responses as { delegation: { delegator_address: string; validator_address: string; shares: string }; balance: { denom: string; amount: string } }[];
    assert.deepEqual(Object.keys(vd.json), ["delegation_responses"], "REST's body, every page read: no pagination");
    assert.ok(rows.every((d) => d.delegation.validator_address === a.valoper));
    assert.deepEqual(rows.map((d) => d.delegation.delegator_address).sort(), [a.key.address, alice.address].sort(), "the self-delegation and alice's");
    assert.deepEqual(rows.find((d) => d.delegation.delegator_address === alice.address)?.balance, coin("2000000"), "3 TRUST delegated, 1 unbonding");
    assert.match(vd.text, new RegExp(`${alice.address} {2}2(\\.0+)? TRUST`, "u"));
    calls.length = 0;
    const onePerPage: AbciQuery = (path, data) => {
      const req = QueryValidatorDelegationsRequest.decode(data);
      return abci(path, QueryValidatorDelegationsRequest.encode({ ...req, pagination: { key: req.pagination?.key ?? new Uint8Array(), offset: 0n, limit: 1n, countTotal: false, reverse: false } }).finish());
    };
    assert.deepEqual((await run("staking", "validator-delegations", { validator: a.valoper }, onePerPage)).json, vd.json);
    assert.ok(calls.length >= 2, `${calls.length} pages of one delegation`);

    const vu = await run("staking", "validator-unbonding-delegations", { validator: a.valoper });
    const responses = vu.json.unbonding_responses as Json[];
    assert.deepEqual(responses.map((u) => [u.delegator_address, u.validator_address]), [[alice.address, a.valoper]], "REST's {unbonding_responses}");
    const entries = responses[0]?.entries as Json[];
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.balance, "1000000");
    assert.match(String(entries[0]?.completion_time), WHOLE_SECOND);
    assert.match(vu.text, new RegExp(`^${alice.address} {2}1(\\.0+)? TRUST {2}completes `, "u"));
    assert.deepEqual((await run("staking", "validator-unbonding-delegations", { validator: b.valoper })).json, { unbonding_responses: [] });
    assert.equal((await run("staking", "validator-unbonding-delegations", { validator: b.valoper })).text, `nothing is unbonding from ${b.valoper}`);

    const dv = await run("staking", "delegator-validators", { delegator: alice.address });
    assert.deepEqual(Object.keys(dv.json), ["validators"], "REST's {validators}, every page read: no pagination");
    assert.deepEqual((dv.json.validators as Json[]).map((v) => v.operator_address).sort(), [a.valoper, b.valoper].sort());
    assert.deepEqual((dv.json.validators as Json[]).find((v) => v.operator_address === a.valoper), (await run("staking", "validator", { validator: a.valoper })).json.validator, "the validator query's JSON");
    assert.deepEqual((await run("staking", "delegator-validators", { delegator: carol.address })).json, { validators: [] });
    assert.equal((await run("staking", "delegator-validators", { delegator: carol.address })).text, `${carol.address} delegates to no validator`);
    assert.deepEqual(q("staking", "validator-delegations").args.map((x) => x.kind), ["validator"], "key names resolve to the operator address");
    assert.deepEqual(q("staking", "delegator-validators").args.map((x) => [x.kind, x.optional]), [["address", true]], "key name or the active key");
  });

  test("staking historical-info: the bonded set BeginBlock recorded, and the app's error for a height it has not", async () => {
    const height = h.height - 1n;
    const hi = await run("staking", "historical-info", { "block-height": height.toString() });
    const hist = hi.json.hist as { header: Json; valset: Json[] };
    assert.equal(hist.header.height, height.toString());
    assert.match(String(hist.header.time), WHOLE_SECOND, "the recorded header time as jsonpb prints it: no \".000\"");
    assert.equal(typeof hist.header.chain_id, "string");
    assert.deepEqual(hist.valset.map((v) => v.operator_address).sort(), ops.map((o) => o.valoper).sort());
    assert.match(hi.text, new RegExp(`^height ${height} at \\S+ \\(\\S+\\), 3 bonded validator\\(s\\):\n`, "u"));
    await assert.rejects(run("staking", "historical-info", { "block-height": (h.height + 100n).toString() }), /Query failed with \(\d+\): historical info for height \d+ not found/u);
    calls.length = 0;
    for (const bad of ["-1", "1.5", "", "9223372036854775808"]) await assert.rejects(run("staking", "historical-info", { "block-height": bad }), /^Error: block-height: ".*" is (not a block height|above 9223372036854775807)/u, bad);
    assert.deepEqual(calls, [], "bad heights never reach the node");
  });

  test("staking delegations, unbonding and pool", async () => {
    const [a, b] = ops as [Operator, Operator];
    const d = await run("staking", "delegations", { delegator: alice.address });
    assert.deepEqual(d.json, {
      delegation_responses: [
        { delegation: { delegator_address: alice.address, validator_address: a.valoper, shares: "2000000.000000000000000000" }, balance: { denom: "utrust", amount: "2000000" } },
        { delegation: { delegator_address: alice.address, validator_address: b.valoper, shares: "2000000.000000000000000000" }, balance: { denom: "utrust", amount: "2000000" } },
      ].sort((x, y) => Buffer.compare(valoperBytes(x.delegation.validator_address), valoperBytes(y.delegation.validator_address))), // the store's order (by address bytes), not a locale's
    });
    assert.match(d.text, new RegExp(`${a.valoper} {2}2 TRUST`, "u"));
    calls.length = 0;
    const onePerPage: AbciQuery = (path, data) => {
      const req = QueryDelegatorDelegationsRequest.decode(data);
      return abci(path, QueryDelegatorDelegationsRequest.encode({ ...req, pagination: { key: req.pagination?.key ?? new Uint8Array(), offset: 0n, limit: 1n, countTotal: false, reverse: false } }).finish());
    };
    assert.deepEqual((await run("staking", "delegations", { delegator: alice.address }, onePerPage)).json, d.json, "every page of delegations");
    assert.ok(calls.length >= 2, `${calls.length} pages of one delegation`);

    const u = await run("staking", "unbonding", { delegator: alice.address });
    const ubds = u.json.unbonding_responses as Json[];
    assert.equal(ubds.length, 1);
    assert.equal(ubds[0]?.delegator_address, alice.address);
    assert.equal(ubds[0]?.validator_address, a.valoper);
    const entries = ubds[0]?.entries as Json[];
    assert.equal(entries.length, 1);
    assert.deepEqual({ ...entries[0], completion_time: undefined }, {
      creation_height: "3", completion_time: undefined, initial_balance: "1000000", balance: "1000000", unbonding_id: entries[0]?.unbonding_id, unbonding_on_hold_ref_count: "0",
    });
    assert.match(String(entries[0]?.completion_time), WHOLE_SECOND);
    assert.match(u.text, /1 TRUST {2}completes .* \(created at height 3\)/u);
    const one = await run("staking", "unbonding-delegation", { delegator: alice.address, validator: a.valoper });
    assert.deepEqual(one.json, { unbond: ubds[0] }, "{unbond: …}, the same unbonding delegation");
    assert.equal(one.text, u.text);
    await assert.rejects(run("staking", "unbonding-delegation", { delegator: alice.address, validator: b.valoper }), /Query failed with \(\d+\): .*not found/u);

    assert.deepEqual((await run("staking", "delegations", { delegator: bob.address })).json, { delegation_responses: [] });
    assert.equal((await run("staking", "unbonding", { delegator: bob.address })).text, `${bob.address} has nothing unbonding`);

    const pool = await run("staking", "pool");
    assert.deepEqual(pool.json, { pool: { not_bonded_tokens: "1000000", bonded_tokens: String(12_000_000 + 22_000_000 + 30_000_000) } }, "{pool: …}, as REST's /pool and simd's autocli print it");
    assert.equal(pool.text, "bonded:     64 TRUST\nnot bonded: 1 TRUST");
  });

  test("staking: a bad or unknown validator is the chain's error", async () => {
    await assert.rejects(run("staking", "validator", { validator: "trustvaloper1nope" }), /Query failed with \(\d+\): .*trustvaloper1nope/u);
    const stranger = (await operator(9)).valoper;
    await assert.rejects(run("staking", "validator", { validator: stranger }), /Query failed with \(\d+\): .*(not found|does not exist)/u);
    await assert.rejects(run("staking", "delegations", { delegator: "trust1nope" }), /Query failed with \(\d+\)/u);
  });

  test("distribution rewards (all validators, one validator) and commission: REST's bodies, DecCoins as LegacyDec text", async () => {
    const [a, b] = ops as [Operator, Operator];
    const total = await run("distribution", "rewards", { delegator: alice.address });
    assert.deepEqual(Object.keys(total.json), ["rewards", "total"], "{rewards: [{validator_address, reward}], total}, as simd prints it");
    const rows = total.json.rewards as { validator_address: string; reward: { denom: string; amount: string }[] }[];
    assert.deepEqual(rows.map((r) => r.validator_address).sort(), [a.valoper, b.valoper].sort());
    const sum = (cs: readonly { amount: string }[]) => cs.reduce((s, c) => s + BigInt(c.amount.replace(".", "")), 0n);
    for (const r of rows) {
      const [c] = r.reward;
      assert.ok(c, `${r.validator_address} has rewards for alice`);
      assert.deepEqual(Object.keys(c), ["denom", "amount"]);
      assert.equal(c.denom, "utrust");
      assert.match(c.amount, DEC18);
      assert.ok(BigInt(c.amount.replace(".", "")) > 0n);
    }
    const t = total.json.total as { amount: string }[];
    assert.equal(sum(t), rows.reduce((s, r) => s + sum(r.reward), 0n), "the total is the sum per validator");
    assert.match(total.text, new RegExp(`total: [\\d.]+ TRUST$`, "u"));

    const one = await run("distribution", "rewards", { delegator: alice.address, validator: a.valoper });
    assert.deepEqual(one.json, { rewards: rows.find((r) => r.validator_address === a.valoper)?.reward });
    assert.match(one.text, new RegExp(`^${alice.address} has [\\d.]+ TRUST of rewards from ${a.valoper}$`, "u"));
    // simd v0.50's rewards-by-validator <delegator> <validator>: the same answer; both arguments required
    assert.deepEqual(await run("distribution", "rewards-by-validator", { delegator: alice.address, validator: a.valoper }), one);
    assert.deepEqual(q("distribution", "rewards-by-validator").args.map((x) => [x.name, x.kind, x.optional ?? false]), [["delegator", "address", false], ["validator", "validator", false]]);

    const none = await run("distribution", "rewards", { delegator: bob.address });
    assert.deepEqual(none.json, { rewards: [], total: [] });
    assert.equal(none.text, `${bob.address} has no delegations`);

    const c = await run("distribution", "commission", { validator: a.valoper });
    const [cc] = (c.json.commission as { commission: { denom: string; amount: string }[] }).commission;
    assert.ok(cc && BigInt(cc.amount.replace(".", "")) > 0n, "node0 earned commission");
    assert.match(cc.amount, DEC18);
    assert.match(c.text, new RegExp(`^${a.valoper} has [\\d.]+ TRUST of commission$`, "u"));

    const stranger = (await operator(9)).valoper;
    await assert.rejects(run("distribution", "commission", { validator: stranger }), /Query failed with \(\d+\): .*validator does not exist/u);
    await assert.rejects(run("distribution", "rewards", { delegator: alice.address, validator: stranger }), /Query failed with \(\d+\)/u);
    await assert.rejects(run("distribution", "rewards-by-validator", { delegator: alice.address, validator: stranger }), /Query failed with \(\d+\)/u);
  });

  test("slashing signing-info by operator and by consensus address, signing-infos; params", async () => {
    const [a] = ops as [Operator];
    const cons = valconsAddress(sha256(a.consKey).slice(0, 20));
    const byOperator = await run("slashing", "signing-info", { validator: a.valoper });
    assert.ok(((await run("slashing", "signing-infos")).json.info as Json[]).some((i) => i.address === cons), "signing-infos lists it too");
    const info = byOperator.json.val_signing_info as Json;
    assert.deepEqual(byOperator.json, { val_signing_info: { address: cons, start_height: "1", index_offset: info.index_offset, jailed_until: "1970-01-01T00:00:00Z", tombstoned: false, missed_blocks_counter: "0" } });
    assert.ok(BigInt(info.index_offset as string) > 0n, "the window moved with the signed blocks");
    assert.equal(byOperator.text, `${cons}: 0 missed in the window (signing since height 1)\nnever jailed for downtime`);
    assert.deepEqual((await run("slashing", "signing-info", { validator: cons })).json, byOperator.json);
    const infos = (await run("slashing", "signing-infos")).json.info as Json[];
    assert.ok(infos.some((i) => JSON.stringify(i) === JSON.stringify(info)), "signing-infos lists the record signing-info shows");

    const unknownCons = valconsAddress(new Uint8Array(20).fill(7));
    await assert.rejects(run("slashing", "signing-info", { validator: unknownCons }), /Query failed with \(\d+\): .*/u);
    await assert.rejects(run("slashing", "signing-info", { validator: (await operator(9)).valoper }), /Query failed with \(\d+\)/u, "no such validator: x/staking's error");

    const { json: { params }, text } = await run("slashing", "params");
    const p = { json: params as Json, text };
    assert.deepEqual(Object.keys(p.json), ["signed_blocks_window", "min_signed_per_window", "downtime_jail_duration", "slash_fraction_double_sign", "slash_fraction_downtime"]);
    assert.match(String(p.json.signed_blocks_window), /^\d+$/u);
    assert.match(String(p.json.downtime_jail_duration), /^\d+s$/u);
    for (const k of ["min_signed_per_window", "slash_fraction_double_sign", "slash_fraction_downtime"]) assert.match(String(p.json[k]), DEC18, `${k} is LegacyDec text, as the SDK's CLI`);
    assert.deepEqual([p.json.min_signed_per_window, p.json.slash_fraction_double_sign, p.json.slash_fraction_downtime], ["0.500000000000000000", "0.050000000000000000", "0.010000000000000000"]);
    assert.equal(p.text, Object.entries(p.json).map(([k, v]) => `${k}: ${String(v)}`).join("\n"));
  });

  test("mint params, inflation and annual provisions: the gateway's JSON; inflation's text is its LegacyDec text", async () => {
    const p = await run("mint", "params");
    const params = p.json.params as Json;
    assert.deepEqual(Object.keys(params), ["mint_denom", "inflation_rate_change", "inflation_max", "inflation_min", "goal_bonded", "blocks_per_year"]);
    assert.equal(params.mint_denom, "utrust");
    for (const k of ["inflation_rate_change", "inflation_max", "inflation_min", "goal_bonded"]) assert.match(String(params[k]), DEC18);
    assert.match(p.text, /^mint_denom: utrust\ninflation_rate_change: /u);

    const i = await run("mint", "inflation");
    assert.match(String(i.json.inflation), DEC18);
    assert.deepEqual(Object.keys(i.json), ["inflation"]);
    assert.notEqual(i.json.inflation, "0.130000000000000000", "the blocks moved the rate off its start: not a round number");
    assert.equal(i.text, i.json.inflation, "the text is the LegacyDec text too, as the SDK's `query mint inflation` and `mint params` print rates");
    assert.match(i.text, DEC18);

    const ap = await run("mint", "annual-provisions");
    assert.deepEqual(Object.keys(ap.json), ["annual_provisions"]);
    const provisions = String(ap.json.annual_provisions);
    assert.match(provisions, DEC18);
    assert.ok(BigInt(provisions.split(".")[0] ?? "0") > 0n, "provisions at the current inflation are positive");
    assert.match(ap.text, new RegExp(`^[\\d.]+ TRUST a year \\(${provisions.replace(".", "\\.")}utrust\\)$`, "u"));
  });
  test("staking delegation, redelegations, redelegation and params: the CLI's JSON, and the chain's errors", async () => {
    const [a, b, c] = ops as [Operator, Operator, Operator];
    for (const msgs of [
      [{ typeUrl: `${U}MsgDelegate`, value: { delegatorAddress: carol.address, validatorAddress: a.valoper, amount: coin("4000000") } }],
      [{ typeUrl: `${U}MsgBeginRedelegate`, value: { delegatorAddress: carol.address, validatorSrcAddress: a.valoper, validatorDstAddress: c.valoper, amount: coin("1500000") } }],
    ]) {
      const r = await h.run(carol, msgs);
      assert.equal(r.code, 0, r.log);
    }
    const d = await run("staking", "delegation", { delegator: carol.address, validator: a.valoper });
    assert.deepEqual(d.json, { delegation_response: { delegation: { delegator_address: carol.address, validator_address: a.valoper, shares: "2500000.000000000000000000" }, balance: { denom: "utrust", amount: "2500000" } } });
    assert.equal(d.text, `${carol.address} has 2.5 TRUST (2500000.000000000000000000 shares) with ${a.valoper}`);
    await assert.rejects(run("staking", "delegation", { delegator: carol.address, validator: b.valoper }), /Query failed with \(\d+\): .*not found/u);

    const all = await run("staking", "redelegations", { delegator: carol.address });
    const reds = all.json.redelegation_responses as Json[];
    assert.equal(reds.length, 1);
    const red = reds[0]?.redelegation as Json;
    assert.deepEqual([red.delegator_address, red.validator_src_address, red.validator_dst_address], [carol.address, a.valoper, c.valoper]);
    const entries = reds[0]?.entries as Json[];
    assert.equal(entries.length, 1);
    const entry = entries[0]?.redelegation_entry as Json;
    assert.deepEqual((red.entries as Json[])[0], entry, "REST's redelegation.entries and entries[].redelegation_entry");
    assert.deepEqual({ ...entry, completion_time: undefined, creation_height: undefined, unbonding_id: undefined }, {
      creation_height: undefined, completion_time: undefined, initial_balance: "1500000", shares_dst: "1500000.000000000000000000", unbonding_id: undefined, unbonding_on_hold_ref_count: "0",
    });
    assert.equal(entries[0]?.balance, "1500000");
    assert.match(String(entry.creation_height), /^\d+$/u);
    assert.match(String(entry.completion_time), WHOLE_SECOND);
    assert.match(all.text, new RegExp(`^${a.valoper} -> ${c.valoper} {2}1.5 TRUST {2}completes `, "u"));
    assert.deepEqual((await run("staking", "redelegation", { delegator: carol.address, src: a.valoper, dst: c.valoper })).json, all.json, "the one redelegation, {redelegation_responses: […]} as REST and simd");
    await assert.rejects(run("staking", "redelegation", { delegator: carol.address, src: c.valoper, dst: a.valoper }), /Query failed with \(\d+\): .*redelegation not found/u);
    await assert.rejects(run("staking", "redelegation", { delegator: carol.address, src: a.valoper, dst: a.valoper }), /the source and destination validators are the same/u);
    const none = await run("staking", "redelegations", { delegator: bob.address });
    assert.deepEqual(none.json, { redelegation_responses: [] });
    assert.equal(none.text, `${bob.address} has nothing redelegating`);

    const { json: { params }, text } = await run("staking", "params");
    const p = { json: params as Json, text };
    assert.deepEqual(p.json, { unbonding_time: "600s", max_validators: p.json.max_validators, max_entries: 7, historical_entries: p.json.historical_entries, bond_denom: "utrust", min_commission_rate: p.json.min_commission_rate });
    assert.ok(typeof p.json.max_validators === "number" && p.json.max_validators > 0);
    assert.match(String(p.json.min_commission_rate), DEC18, "LegacyDec text, as the SDK's CLI");
    assert.match(p.text, /^unbonding_time: 600s\nmax_validators: \d+\n/u);
  });

  test("distribution community-pool, withdraw-address, outstanding-rewards, validator-distribution-info, slashes and params", async () => {
    const [a] = ops as [Operator];
    const pool = await run("distribution", "community-pool");
    const [pc] = pool.json.pool as { denom: string; amount: string }[];
    assert.ok(pc && pc.denom === "utrust" && BigInt(pc.amount.replace(".", "")) > 0n, "the community tax filled the pool");
    assert.match(pc.amount, DEC18);
    assert.match(pool.text, /^community pool: [\d.]+ TRUST$/u);

    const w = await run("distribution", "withdraw-address", { delegator: alice.address });
    assert.deepEqual(w.json, { withdraw_address: alice.address });
    assert.equal(w.text, `${alice.address} (its own address)`);

    const o = await run("distribution", "outstanding-rewards", { validator: a.valoper });
    const [oc] = (o.json.rewards as { rewards: { amount: string }[] }).rewards;
    assert.ok(oc && BigInt(oc.amount.replace(".", "")) > 0n);
    assert.match(oc.amount, DEC18);

    const vi = await run("distribution", "validator-distribution-info", { validator: a.valoper });
    assert.deepEqual(Object.keys(vi.json), ["operator_address", "self_bond_rewards", "commission"]);
    assert.equal(vi.json.operator_address, a.key.address, "the operator's account address, as SDK v0.50 answers it");
    assert.ok(BigInt((vi.json.self_bond_rewards as { amount: string }[])[0]?.amount.replace(".", "") ?? "0") > 0n);
    assert.match(vi.text, new RegExp(`^${a.valoper} has [\\d.]+ TRUST of commission and [\\d.]+ TRUST of self-delegation rewards`, "u"));

    const sl = await run("distribution", "slashes", { validator: a.valoper });
    assert.deepEqual(sl.json, { slashes: [] });
    assert.equal(sl.text, `${a.valoper} has no slash events`);
    assert.deepEqual((await run("distribution", "slashes", { validator: a.valoper, start: "1", end: "5" })).json, { slashes: [] });
    calls.length = 0;
    await assert.rejects(run("distribution", "slashes", { validator: a.valoper, start: "9", end: "3" }), /--start 9 is after --end 3/u);
    await assert.rejects(run("distribution", "slashes", { validator: a.valoper, start: "-1" }), /--start: "-1" is not a block height/u);
    await assert.rejects(run("distribution", "slashes", { validator: a.valoper, end: "1e3" }), /--end: "1e3" is not a block height/u);
    await assert.rejects(run("distribution", "slashes", { validator: a.valoper, end: "18446744073709551616" }), /--end: "18446744073709551616" is not a block height/u);
    assert.deepEqual(calls, [], "bad heights never reach the node");

    const { json: { params }, text } = await run("distribution", "params");
    const p = { json: params as Json, text };
    assert.deepEqual(Object.keys(p.json), ["community_tax", "base_proposer_reward", "bonus_proposer_reward", "withdraw_addr_enabled"]);
    for (const k of ["community_tax", "base_proposer_reward", "bonus_proposer_reward"]) assert.match(String(p.json[k]), DEC18, `${k} is LegacyDec text, as the SDK's CLI`);
    assert.equal(p.text, Object.entries(p.json).map(([k, v]) => `${k}: ${String(v)}`).join("\n"));
    assert.equal(typeof p.json.withdraw_addr_enabled, "boolean");
  });

  // Last: it adds a block. What `--height` relies on: the app answers a kept past height from that height's state,
  // and refuses a height it does not keep with the log the CLI reads (cli/src/commands/module-query.ts, queryFailure).
  test("a query at a past height reads that height's state; a height the app does not keep is its error", async () => {
    const [a] = ops as [Operator];
    const before = h.height;
    const r = await h.run(carol, [{ typeUrl: `${U}MsgDelegate`, value: { delegatorAddress: carol.address, validatorAddress: a.valoper, amount: coin("1000000") } }]);
    assert.equal(r.code, 0, r.log);
    const at = (height: bigint): AbciQuery => async (path, data) => {
      const x = h.app.query({ path, data, height, prove: false });
      if (x.code) throw new Error(`Query failed with (${x.code}): ${x.log}`);
      assert.equal(x.height, height === 0n ? h.height : height);
      return x.value ?? new Uint8Array();
    };
    const withA = async (via: AbciQuery): Promise<bigint> => {
      const rows = (await run("staking", "delegations", { delegator: carol.address }, via)).json.delegation_responses as { delegation: { validator_address: string }; balance: { amount: string } }[];
      return BigInt(rows.find((d) => d.delegation.validator_address === a.valoper)?.balance.amount ?? "0");
    };
    assert.equal(await withA(at(0n)), (await withA(at(before))) + 1_000_000n, "the latest has the new delegation, the past height not");
    assert.equal(await withA(at(h.height)), await withA(at(0n)));
    await assert.rejects(run("staking", "pool", {}, at(h.height + 1n)), new RegExp(`^Error: Query failed with \\(26\\): height ${h.height + 1n} is not available \\(oldest 1, latest ${h.height}\\)`, "u"));
  });

  test("a list read page by page stays at the height of its first page, even when a block lands in between", async () => {
    const c = ops[2] as Operator;
    const first = await run("staking", "delegations", { delegator: alice.address });
    assert.equal((first.json.delegation_responses as Json[]).length, 2);
    let pages = 0;
    const onePerPage: HeightQuery = async (path, data, height) => {
      if (pages++ === 1) assert.equal((await h.run(alice, [{ typeUrl: `${U}MsgDelegate`, value: { delegatorAddress: alice.address, validatorAddress: c.valoper, amount: coin("1000000") } }])).code, 0);
      const req = QueryDelegatorDelegationsRequest.decode(data);
      const paged = QueryDelegatorDelegationsRequest.encode({ ...req, pagination: { key: req.pagination?.key ?? new Uint8Array(), offset: 0n, limit: 1n, countTotal: false, reverse: false } }).finish();
      const r = h.app.query({ path, data: paged, height: height ?? 0n, prove: false });
      assert.equal(r.code ?? 0, 0, r.log);
      return { value: r.value ?? new Uint8Array(), height: r.height ?? 0n };
    };
    assert.deepEqual((await run("staking", "delegations", { delegator: alice.address }, atOneHeight(onePerPage))).json, first.json, "the block after page 1 is not seen");
    assert.ok(pages >= 2, `${pages} pages`);
    assert.equal(((await run("staking", "delegations", { delegator: alice.address })).json.delegation_responses as Json[]).length, 3, "the latest has the new one");
  });

  test("every query of these modules ran above, so its JSON's keys were checked (snake_case)", () => {
    const declared = ["staking", "distribution", "slashing", "mint"].flatMap((m) => [...(queries.get(m)?.keys() ?? [])].map((n) => `${m} ${n}`));
    assert.deepEqual(declared.filter((n) => !ran.has(n)), []);
  });
});
