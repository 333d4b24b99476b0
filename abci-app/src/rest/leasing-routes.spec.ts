// The leasing REST routes over the real app (real SQLite, cosmjs-signed txs): JSON shapes, filters, 404s and 400s.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { harness, type Harness } from "../app/testing/staking.ts";
import { testKey, type TestKey } from "../app/testing/tx-builder.ts";
import { leaseMsg, readyMsg, registerMsg, T, updateMsg } from "../modules/leasing/testing/fixtures.ts";
import { PauseChange } from "../modules/leasing/types.ts";
import { createMetrics } from "./metrics.ts";
import { createRestApp } from "./server.ts";

const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-leasing-rest-")), "state.db");

describe("leasing REST routes", () => {
  let h: Harness;
  let server: Server;
  let url: string;
  let prov: TestKey;
  let tenant: TestKey;
  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(`${url}${path}`);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  before(async () => {
    [prov, tenant] = await Promise.all([testKey(81), testKey(82)]);
    h = await harness({ validators: [], funded: [prov, tenant], dbPath });
    for (const [key, typeUrl, value] of [
      [prov, "MsgRegisterProvider", registerMsg(prov.address)], [tenant, "MsgCreateLease", leaseMsg(tenant.address, prov.address)], [prov, "MsgLeaseReady", readyMsg(prov.address, 1n)],
    ] as const) assert.equal((await h.run(key, [{ typeUrl: `${T}${typeUrl}`, value }])).code, 0, typeUrl);
    const { app } = createRestApp({ query: (r) => h.app.query(r), rpcUrl: "http://127.0.0.1:9", metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test", limits: {} });
    server = createServer(app);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server?.close());

  test("providers with filters, one provider, its earnings", async () => {
    const all = await get("/trustnet/leasing/v1/providers?image=alpine-3.22&cpu_millis=2000");
    assert.equal(all.status, 200);
    assert.deepEqual((all.body.providers as { owner: string }[]).map((p) => p.owner), [prov.address]);
    assert.deepEqual((await get("/trustnet/leasing/v1/providers?cpu_millis=2001")).body.providers, [], "2000 of 4000 millicores are leased");
    assert.deepEqual((await get("/trustnet/leasing/v1/providers?region=us-east")).body.providers, []);
    const one = await get(`/trustnet/leasing/v1/providers/${prov.address}`);
    assert.equal((one.body.provider as { used_cpu_millis: string }).used_cpu_millis, "2000");
    assert.equal((await get(`/trustnet/leasing/v1/providers/${tenant.address}`)).status, 404);
    const earnings = await get(`/trustnet/leasing/v1/providers/${prov.address}/earnings`);
    assert.equal(earnings.status, 200);
    assert.equal(earnings.body.open_leases, "1");
  });

  test("providers by status: the paused ones are kept, left out or alone, as provider list --status does", async () => {
    const owners = async (q: string): Promise<string[]> => ((await get(`/trustnet/leasing/v1/providers${q}`)).body.providers as { owner: string }[]).map((p) => p.owner);
    assert.deepEqual([await owners("?status=active"), await owners("?status=paused"), await owners("?status=all"), await owners("")], [[prov.address], [], [prov.address], [prov.address]]);
    assert.equal((await h.run(prov, [{ typeUrl: `${T}MsgUpdateProvider`, value: updateMsg(prov.address, { pause: PauseChange.pause }) }])).code, 0, "pause");
    try {
      assert.deepEqual([await owners("?status=active"), await owners("?status=paused"), await owners("?status=all")], [[], [prov.address], [prov.address]]);
    } finally {
      assert.equal((await h.run(prov, [{ typeUrl: `${T}MsgUpdateProvider`, value: updateMsg(prov.address, { pause: PauseChange.resume }) }])).code, 0, "resume");
    }
    for (const bad of ["ACTIVE", "toString", "__proto__"]) assert.equal((await get(`/trustnet/leasing/v1/providers?status=${bad}`)).status, 400, bad);
    assert.equal((await get("/trustnet/leasing/v1/providers?status=active&status=paused")).status, 400, "given twice");
  });

  test("leases by tenant and provider, one lease by id with its state by name, its escrow", async () => {
    const byTenant = await get(`/trustnet/leasing/v1/leases?tenant=${tenant.address}&state=open`);
    assert.deepEqual((byTenant.body.leases as { id: string; state: string }[]).map((l) => [l.id, l.state]), [["1", "ready"]]);
    assert.deepEqual((await get(`/trustnet/leasing/v1/leases?provider=${prov.address}&state=closed`)).body.leases, []);
    const l = await get("/trustnet/leasing/v1/leases/1");
    assert.deepEqual([(l.body.lease as { rate: string }).rate, (l.body.lease as { ssh_port: string }).ssh_port], ["50", "2222"]);
    const esc = await get("/trustnet/leasing/v1/leases/1/escrow");
    assert.equal(esc.body.rate, "50");
    assert.equal(esc.body.state, "ready", "the state by name, as the lease route gives it");
    assert.equal((await get("/trustnet/leasing/v1/leases/99")).status, 404);
    assert.equal((await get("/trustnet/leasing/v1/leases/0")).status, 400);
    assert.equal((await get("/trustnet/leasing/v1/leases")).status, 400, "tenant or provider is required");
    assert.equal((await get(`/trustnet/leasing/v1/leases?tenant=${tenant.address}&state=sleeping`)).status, 400);
    assert.equal(((await get("/trustnet/leasing/v1/params")).body.params as { ready_timeout_blocks: string }).ready_timeout_blocks, "100");
  });
});
