// The leasing module's declared CLI queries (`trustnet query leasing …`, and `trustnet lease|provider`, which run the
// same declarations) through runCliQuery against the real app's query router: real SQLite, cosmjs-signed txs.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { type AbciQuery, runCliQuery } from "../sdk/client/cli-query.ts";
import { camelCaseKeys, int64Numbers } from "../sdk/client/json.ts";
import { leasingCli } from "../modules/leasing/client/cli.ts";
import { fetchLeases, fetchProviders } from "../modules/leasing/client/reads.ts";
import { leaseMsg, readyMsg, registerMsg, T, updateMsg } from "../modules/leasing/testing/fixtures.ts";
import { moduleCliQueries } from "./modules.ts";
import { harness, type Harness } from "./testing/staking.ts";
import { testKey, type TestKey } from "./testing/tx-builder.ts";

const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-leasing-cliq-")), "state.db");
type Json = Record<string, unknown>;

describe("leasing CLI queries", () => {
  let h: Harness;
  let prov: TestKey;
  let prov2: TestKey;
  let tenant: TestKey;
  let stranger: TestKey;
  /** Every ABCI query the declarations make, by path: a refused input must make none. */
  let sent: string[] = [];
  // as the CLI's cosmjs QueryClient answers: the value, or "Query failed with (<code>): <log>"
  const query: AbciQuery = async (path, data) => {
    sent.push(path);
    const r = h.app.query({ path, data, height: 0n, prove: false });
    if ((r.code ?? 0) !== 0) throw new Error(`Query failed with (${r.code}): ${r.log}`);
    return r.value ?? new Uint8Array();
  };
  const run = async (name: keyof typeof leasingCli, args: Record<string, string> = {}) => {
    sent = [];
    const r = await runCliQuery(leasingCli[name], query, args);
    assert.deepEqual(camelCaseKeys(r.json), [], `${name}: camelCase keys in its JSON (every CLI JSON document is snake_case)`);
    assert.deepEqual(int64Numbers(r.json), [], `${name}: 64-bit numbers as JSON numbers (every CLI JSON document prints them as strings)`);
    return r;
  };
  const refused = async (name: keyof typeof leasingCli, args: Record<string, string>, message: RegExp, queries = 0): Promise<void> => {
    await assert.rejects(run(name, args), message);
    assert.equal(sent.length, queries, `${name} ${JSON.stringify(args)} made ${sent.join(", ")}`);
  };

  before(async () => {
    [prov, prov2, tenant, stranger] = await Promise.all([testKey(91), testKey(92), testKey(93), testKey(94)]);
    h = await harness({ validators: [], funded: [prov, prov2, tenant, stranger], dbPath });
    const steps: [TestKey, string, object][] = [
      [prov, "MsgRegisterProvider", registerMsg(prov.address)],
      [prov2, "MsgRegisterProvider", registerMsg(prov2.address, { region: "us-east", cpuMillis: 8000n, images: ["ubuntu-24.04"] })],
      [tenant, "MsgCreateLease", leaseMsg(tenant.address, prov.address)], [prov, "MsgLeaseReady", readyMsg(prov.address, 1n)],
      [tenant, "MsgCreateLease", leaseMsg(tenant.address, prov2.address, { image: "ubuntu-24.04" })],
      [tenant, "MsgCreateLease", leaseMsg(tenant.address, prov2.address, { image: "ubuntu-24.04" })], [tenant, "MsgCloseLease", { sender: tenant.address, leaseId: 3n }],
    ];
    for (const [key, typeUrl, value] of steps) assert.equal((await h.run(key, [{ typeUrl: `${T}${typeUrl}`, value }])).code, 0, typeUrl);
  });

  test("the leasing descriptor hands its queries to the CLI", () => {
    const leasing = moduleCliQueries().find((m) => m.module === "leasing");
    assert.deepEqual(leasing?.queries.map((q) => q.name), ["params", "provider", "providers", "lease", "leases", "escrow", "earnings"]);
  });

  test("params", async () => {
    const out = await run("params");
    assert.equal(((out.json as Json).params as Json).ready_timeout_blocks, "100");
    assert.match(out.text, /ready timeout\s+100 blocks/);
  });

  test("provider: the offer with used and free capacity; an unregistered address is refused", async () => {
    const out = await run("provider", { address: prov.address });
    const json = out.json as { owner: string; used: Json; free: Json; open_leases: string };
    assert.deepEqual([json.owner, json.used.cpu_millis, json.free.cpu_millis, json.open_leases], [prov.address, "2000", "2000", "1"]);
    assert.match(out.text, /vCPU\s+2 of 4 used/);
    await refused("provider", { address: stranger.address }, new RegExp(`provider ${stranger.address} not found: it is not a registered provider`), 1);
  });

  test("providers: all, by region, by image, by free capacity; a bad number is refused before any query", async () => {
    const owners = async (args: Record<string, string>) => ((await run("providers", args)).json as { providers: { owner: string }[] }).providers.map((p) => p.owner).sort();
    assert.deepEqual(await owners({}), [prov.address, prov2.address].sort());
    assert.deepEqual(await owners({ region: "us-east" }), [prov2.address]);
    assert.deepEqual(await owners({ image: "alpine-3.22" }), [prov.address]);
    assert.deepEqual(await owners({ "cpu-millis": "2001" }), [prov2.address], "prov has 2000 of 4000 millicores leased; prov2 4000 of 8000");
    assert.deepEqual(await owners({ "cpu-millis": "6001" }), []);
    assert.equal((await run("providers", { region: "mars" })).text, "no provider matches");
    await refused("providers", { "memory-mib": "2GiB" }, /--memory-mib must be a whole number, not "2GiB"/);
  });

  test("providers --status: active hides a paused provider, paused lists only it, all (the default) both; another value is refused before any query", async () => {
    const owners = async (args: Record<string, string>) => ((await run("providers", args)).json as { providers: { owner: string; paused: boolean }[] }).providers.map((p) => `${p.owner === prov.address ? "prov" : "prov2"}:${p.paused}`).sort();
    const update = async (pause: bigint) => assert.equal((await h.run(prov2, [{ typeUrl: `${T}MsgUpdateProvider`, value: updateMsg(prov2.address, { region: "us-east", cpuMillis: 8000n, images: ["ubuntu-24.04"], pause }) }])).code, 0);
    await update(1n);
    try {
      assert.deepEqual(await owners({}), ["prov2:true", "prov:false"]);
      assert.deepEqual(await owners({ status: "all" }), ["prov2:true", "prov:false"]);
      assert.deepEqual(await owners({ status: "active" }), ["prov:false"]);
      assert.deepEqual(await owners({ status: "paused" }), ["prov2:true"]);
      assert.deepEqual(await owners({ status: "paused", region: "eu-west" }), []);
      assert.match((await run("providers", { status: "paused" })).text, /PAUSED: no new leases/);
      await refused("providers", { status: "open" }, /--status open: one of all, active, paused/);
    } finally {
      await update(2n);
    }
  });

  test("lease: the lease and its escrow; a missing lease and a bad id are refused", async () => {
    const out = await run("lease", { id: "1" });
    const json = out.json as Json & { escrow: Json };
    assert.deepEqual([json.lease_id, json.state, json.rate_per_block, json.ssh_port], ["1", "ready", "50", "2222"]);
    assert.deepEqual(Object.keys(json.escrow), ["balance", "accrued", "blocks_left", "seconds_left", "height"]);
    assert.equal(BigInt(json.escrow.balance as string) + BigInt(json.escrow.accrued as string), 5000n - BigInt(json.paid as string), "what is left plus what accrued is the unpaid deposit");
    assert.match(out.text, /^lease 1: ready\n[\s\S]*\n {2}escrow {4}0\.00\d+ TRUST left at block \d+: \d+ blocks/);
    await refused("lease", { id: "99" }, /lease 99 not found/, 1);
    for (const bad of ["abc", "0", "-1", "1.5", "18446744073709551616", ""]) await refused("lease", { id: bad }, /is not a lease id/);
  });

  test("leases: a tenant's open or all leases, a provider's, every page; bad state and no owner refused", async () => {
    const ids = async (args: Record<string, string>) => ((await run("leases", args)).json as { leases: { lease_id: string; state: string }[] }).leases.map((l) => `${l.lease_id}:${l.state}`);
    assert.deepEqual(await ids({ owner: tenant.address }), ["1:ready", "2:pending"], "open is the default");
    assert.deepEqual(await ids({ owner: tenant.address, state: "all" }), ["1:ready", "2:pending", "3:closed"]);
    assert.deepEqual(await ids({ owner: tenant.address, state: "closed" }), ["3:closed"]);
    assert.deepEqual(await ids({ owner: tenant.address, provider: prov2.address, state: "all" }), ["2:pending", "3:closed"], "--provider lists what the provider hosts");
    const byProvider = await run("leases", { provider: prov2.address, state: "all" });
    assert.equal((byProvider.json as Json).provider, prov2.address);
    assert.match(byProvider.text, new RegExp(`^ {5}2  pending  ubuntu-24.04 +0\\.00005 TRUST/block  balance 0\\.005 TRUST  ${tenant.address}`));
    assert.equal((await run("leases", { owner: stranger.address })).text, `no open leases for ${stranger.address}`);
    await refused("leases", { owner: tenant.address, state: "sleeping" }, /--state sleeping: one of all, pending, ready, closed, open/);
    await refused("leases", {}, /name a tenant, or a provider with --provider/);
    await refused("leases", { owner: "trust1nope" }, /owner/, 1);
  });

  test("the reads walk every page of a list", async () => {
    sent = [];
    assert.deepEqual((await fetchLeases(query, "tenant", tenant.address, 0n, 1n)).map((l) => l.id), [1n, 2n, 3n]);
    assert.ok(sent.length >= 3, `one lease per page: ${sent.length} queries`);
    sent = [];
    assert.equal((await fetchProviders(query, { region: "", image: "", cpuMillis: 0n, memoryMib: 0n, diskGib: 0n, bandwidthMbps: 0n }, 1n)).length, 2);
    assert.ok(sent.length >= 2);
  });

  test("escrow: what is left and for how long; a missing lease and a bad id are refused", async () => {
    const out = await run("escrow", { id: "2" });
    const json = out.json as Json;
    assert.deepEqual([json.lease_id, json.state, json.rate_per_block, json.balance, json.accrued, json.blocks_left], ["2", "pending", "50", "5000", "0", "100"], "a pending lease pays nothing yet");
    assert.match(out.text, /^lease 2 \(pending\): 0\.005 TRUST left at block \d+: 100 blocks \(~\d+s\)$/);
    await refused("escrow", { id: "42" }, /lease 42 not found/, 1);
    await refused("escrow", { id: "x" }, /"x" is not a lease id/);
  });

  test("earnings: a provider's accrued payments and rewards; an unregistered address is refused", async () => {
    const out = await run("earnings", { provider: prov.address });
    const json = out.json as Json;
    assert.deepEqual(Object.keys(json), ["provider", "accrued", "rewards", "rewards_held", "paid", "take", "open_leases"]);
    assert.deepEqual([json.provider, json.open_leases], [prov.address, "1"]);
    assert.ok(BigInt(json.accrued as string) > 0n, "the ready lease accrues every block");
    assert.match(out.text, new RegExp(`^${prov.address}: [\\d.]+ TRUST accrued on 1 open lease\\(s\\)`));
    await refused("earnings", { provider: tenant.address }, /is not a registered provider/, 1);
  });
});
