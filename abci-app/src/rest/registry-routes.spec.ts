// The registry REST routes over the real app (real SQLite, cosmjs-signed txs): lists forward pagination.key|limit to
// the chain, which pages them, so a request costs one ABCI query whatever the list's length.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { harness, type Harness } from "../app/testing/staking.ts";
import { testKey, type TestKey } from "../app/testing/tx-builder.ts";
import { createMetrics } from "./metrics.ts";
import { createRestApp } from "./server.ts";

const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-registry-rest-")), "state.db");
const R = "/trustnet.registry.v1.";

describe("registry REST routes", () => {
  let h: Harness;
  let server: Server;
  let url: string;
  let owner: TestKey;
  let queries = 0;
  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(`${url}${path}`);
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  before(async () => {
    owner = await testKey(91);
    h = await harness({ validators: [], funded: [owner], dbPath });
    const claims = Array.from({ length: 25 }, (_, i) => ({ typeUrl: `${R}MsgClaimNamespace`, value: { owner: owner.address, namespace: `ns${String(i).padStart(2, "0")}` } }));
    const r = h.block([await h.tx(owner, claims, 5_000_000n)]).txResults[0];
    assert.equal(r?.code, 0, r?.log);
    const { app } = createRestApp({ query: (q) => (queries++, h.app.query(q)), rpcUrl: "http://127.0.0.1:9", metrics: createMetrics("0.0.0-test"), appVersion: "0.0.0-test", limits: {} });
    server = createServer(app);
    await new Promise<void>((res) => server.listen(0, "127.0.0.1", res));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server?.close());

  test("namespaces page by key: every page is one ABCI query, in order, and the last has no next key", async () => {
    const seen: string[] = [];
    let key: string | null = "";
    for (let pages = 0; key !== null; pages++) {
      assert.ok(pages < 5, "the pages end");
      const before = queries;
      const r = await get(`/trustnet/registry/v1/namespaces?owner=${owner.address}&pagination.limit=10${key ? `&pagination.key=${encodeURIComponent(key)}` : ""}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(queries - before, 1, "one ABCI query per request");
      seen.push(...(r.body.namespaces as { namespace: string }[]).map((n) => n.namespace));
      key = (r.body.pagination as { next_key: string | null }).next_key;
    }
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `ns${String(i).padStart(2, "0")}`));
    const all = await get("/trustnet/registry/v1/namespaces");
    assert.equal((all.body.namespaces as unknown[]).length, 25, "the default page (100) holds them all");
    assert.equal((all.body.pagination as { next_key: string | null }).next_key, null);
  });

  test("the params say what a claim locks; each namespace shows the deposit it holds", async () => {
    const deposit = { denom: "utrust", amount: "1000000" };
    assert.deepEqual(await get("/trustnet/registry/v1/params"), { status: 200, body: { params: { namespace_deposit: [deposit] } } });
    assert.deepEqual(await get("/trustnet/registry/v1/namespaces/ns07"), { status: 200, body: { namespace: { namespace: "ns07", owner: owner.address, deposit: [deposit] } } });
    const listed = (await get(`/trustnet/registry/v1/namespaces?owner=${owner.address}&pagination.limit=2`)).body.namespaces;
    assert.deepEqual(listed, ["ns00", "ns01"].map((namespace) => ({ namespace, owner: owner.address, deposit: [deposit] })));
  });

  test("tags, repos and registries answer a page with its pagination; offset and reverse paging are refused with 400", async () => {
    const tags = await get("/trustnet/registry/v1/tags/ns00/app");
    assert.deepEqual([tags.status, tags.body.records, tags.body.pagination], [200, [], { next_key: null, total: "0" }]);
    assert.deepEqual((await get("/trustnet/registry/v1/repos/ns00")).body.repos, []);
    assert.equal((await get("/trustnet/registry/v1/registries")).status, 200);
    for (const q of ["pagination.offset=5", "pagination.reverse=true", "pagination.key=%%%"]) {
      const before = queries;
      const r = await get(`/trustnet/registry/v1/namespaces?${q}`);
      assert.equal(r.status, 400, `${q}: ${JSON.stringify(r.body)}`);
      assert.equal(queries, before, `${q}: refused before any query`);
    }
  });
});
