// Names the chain refuses (its namespace grammar, the 255-char record) get 400 NAME_INVALID at once, without asking
// the chain, instead of a retryable 503; and the chain's own "invalid name" answer (registry/2) is NAME_INVALID too.
// The chain is the real app, in process, answering abci_query.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { StateStore, TrustNetApp, type CometRpc } from "@trustnet/abci-app";
import { RegistryError } from "../errors.ts";
import { createRegistry, type Registry } from "../server.ts";
import { defaultConfig, mergeConfig } from "../config.ts";
import { basicAuth, testKey, type TestKey } from "../testkit.ts";
import { ChainNamespaceOwners } from "./namespace-owners.ts";

let dir: string;
let me: TestKey;
let reg: Registry;
let queries = 0;
let rpc: CometRpc;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "tn-chain-names-"));
  me = await testKey(11);
  const app = new TrustNetApp({ store: StateStore.open(join(dir, "state.db")) });
  app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: "c", consensusParams: undefined, validators: [], initialHeight: 1n,
    appStateBytes: new TextEncoder().encode(JSON.stringify({ auth: { accounts: [{ address: me.address }] }, registry: { registries: [], namespaces: [{ namespace: "acme", owner: me.address }] } })) } as never);
  app.finalizeBlock({ txs: [], height: 1n, time: { seconds: 1_700_000_001n, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } } as never);
  app.commit();
  rpc = { url: "in-process", abciQuery: (path: string, data: Uint8Array) => { queries++; return Promise.resolve(app.query({ path, data, height: 0n, prove: false } as never)); } } as unknown as CometRpc;
  reg = await createRegistry(mergeConfig(defaultConfig(), { dataDir: join(dir, "data"), storage: "inmemory", port: 0, service: "trustnet-registry", rateLimitPerSecond: 0 }),
    { owners: new ChainNamespaceOwners(rpc, 3000), logger: pino({ level: "silent" }) });
});
after(async () => {
  await reg.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a push to a name the chain refuses is 400 NAME_INVALID and asks the chain nothing", async () => {
  for (const name of ["a--b/x", "a__b/x", `${"x".repeat(65)}/y`, "y".repeat(250)]) {
    const before = queries;
    const r = await fetch(`${reg.url}/v2/${name}/blobs/uploads/`, { method: "POST", headers: { Authorization: basicAuth(me) } });
    assert.equal(r.status, 400, name.slice(0, 20));
    const e = ((await r.json()) as { errors: { code: string; message: string }[] }).errors[0];
    assert.equal(e?.code, "NAME_INVALID", name.slice(0, 20));
    assert.equal(queries, before, "no chain query");
  }
  assert.equal((await fetch(`${reg.url}/v2/acme/x/blobs/uploads/`, { method: "POST", headers: { Authorization: basicAuth(me) } })).status, 202, "a valid name still pushes");
});

test("the chain's invalid-name answer is NAME_INVALID, not a retryable error", async () => {
  await assert.rejects(new ChainNamespaceOwners(rpc, 3000).rights("a--b"), (e: unknown) => e instanceof RegistryError && e.kind === "NAME_INVALID");
});

test("the rights cache keeps at most its bound of namespaces, the oldest answer dropped first (any key may ask for any name)", async () => {
  const owners = new ChainNamespaceOwners(rpc, 60_000, undefined, 3);
  const ask = async (ns: string): Promise<number> => {
    const before = queries;
    await owners.rights(ns);
    return queries - before;
  };
  for (const ns of ["n1", "n2", "n3"]) assert.equal(await ask(ns), 1, `${ns}: asked once`);
  assert.equal(await ask("n1"), 0, "n1 cached");
  assert.equal(await ask("n4"), 1);
  assert.equal(await ask("n1"), 1, "n1 was the oldest answer: dropped for n4, asked again");
  assert.equal(await ask("n4"), 0, "n4 still cached");
  assert.equal(await ask("acme"), 1);
  assert.equal(await ask("n3"), 1, "n3 dropped in its turn");
  // 10,000 distinct names from one client: every one asked, and the cache holds the last of them only
  const big = new ChainNamespaceOwners(rpc, 60_000);
  for (let i = 0; i < 10_050; i++) await big.rights(`flood${i}`);
  const before = queries;
  await big.rights("flood0");
  await big.rights("flood10049");
  assert.equal(queries - before, 1, "the first name was dropped, the last is cached");
});
