// Adding a module is a folder, one line in the module list and one in the blocker order. The counter test module
// (app/testing/counter/, registered only here) has a message, a query, a REST route, an end blocker returning a
// validator update, and genesis; through the real app (real SQLite, cosmjs-signed txs) each of them works.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { StateStore } from "../store/index.ts";
import { createMetrics } from "../rest/metrics.ts";
import { createRestApp } from "../rest/server.ts";
import { buildModules } from "./modules.ts";
import { signDirect, testKey, type TestKey } from "./testing/tx-builder.ts";
import { counterModule, CountPath, MsgIncrement, QueryCountResponse } from "./testing/counter/index.ts";
import { TrustNetApp } from "./trustnet-app.ts";

const CHAIN = "trustnet-local-1";
const T0 = 1_700_000_000n;
const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-counter-")), "state.db");
const VALIDATOR_KEY = new Uint8Array(32).fill(7);

/** The app with the counter module: one line in the module list, one in the end-blocker order. */
function appWithCounter(): TrustNetApp {
  const base = buildModules();
  return new TrustNetApp({
    store: StateStore.open(dbPath()), checkInvariants: true,
    wiring: {
      ...base,
      modules: [...base.modules, counterModule(base.keepers.auth)],
      order: { begin: base.order.begin, end: [...base.order.end, "counter"] },
    },
  });
}

function genesis(alice: TestKey, count = "5"): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({
    auth: { accounts: [{ address: alice.address }] },
    bank: { balances: [{ address: alice.address, coins: [{ denom: "utrust", amount: "100000000" }] }] },
    counter: { count, validator_key: Buffer.from(VALIDATOR_KEY).toString("base64") },
  }));
}

describe("a new module: the counter test module", async () => {
  const alice = await testKey(41);
  let seq = 0n;
  const increment = async (by: bigint): Promise<Uint8Array> => {
    const bodyBytes = TxBody.encode(TxBody.fromPartial({ messages: [{ typeUrl: MsgIncrement.typeUrl, value: MsgIncrement.encode({ sender: alice.address, by }).finish() }] })).finish();
    return signDirect(alice, bodyBytes, { chainId: CHAIN, accountNumber: 0n, sequence: seq++, gas: 200_000n });
  };
  const block = (app: TrustNetApp, height: bigint, txs: Uint8Array[]) => {
    const r = app.finalizeBlock({ txs, height, time: { seconds: T0 + height, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
    app.commit();
    return r;
  };
  const count = (app: TrustNetApp): bigint => {
    const r = app.query({ path: CountPath, data: new Uint8Array(), height: 0n, prove: false });
    assert.equal(r.code, 0, r.log);
    return QueryCountResponse.decode(r.value as Uint8Array).count;
  };

  test("its message changes state, its query and REST route answer, its end blocker's update reaches FinalizeBlock, its genesis round trips", async () => {
    const app = appWithCounter();
    app.initChain({ time: { seconds: T0, nanos: 0 }, chainId: CHAIN, consensusParams: undefined, validators: [], appStateBytes: genesis(alice), initialHeight: 1n });
    const quiet = block(app, 1n, []);
    assert.deepEqual(quiet.validatorUpdates, [], "no increment, no update");
    assert.equal(count(app), 5n, "genesis count");

    const r = block(app, 2n, [await increment(3n)]);
    assert.equal(r.txResults?.[0]?.code, 0, r.txResults?.[0]?.log);
    assert.ok(r.txResults?.[0]?.events.some((e) => e.type === "increment" && e.attributes.some((a) => a.key === "count" && a.value === "8")));
    assert.ok(r.txResults?.[0]?.events.some((e) => e.type === "message" && e.attributes.some((a) => a.key === "module" && a.value === "counter")));
    assert.equal(count(app), 8n);
    assert.deepEqual((r.validatorUpdates ?? []).map((u) => [Buffer.from(u.pubKey.ed25519 ?? []).toString("hex"), u.power]), [[Buffer.from(VALIDATOR_KEY).toString("hex"), 8n]]);

    const bad = block(app, 3n, [await increment(0n)]);
    assert.deepEqual([bad.txResults?.[0]?.code, bad.txResults?.[0]?.codespace], [2, "counter"], "a bad increment gets the module's error");
    seq--; // refused before the ante: no sequence spent
    assert.equal(count(app), 8n, "and changes nothing");
    assert.deepEqual(bad.validatorUpdates, []);

    const { app: rest } = createRestApp({ query: (q) => app.query(q), modules: app.modules, rpcUrl: "http://127.0.0.1:9", metrics: createMetrics("test"), appVersion: "test" });
    const server = createServer(rest);
    await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      assert.deepEqual(await (await fetch(`${url}/trustnet/counter/v1/count`)).json(), { count: "8" });
      const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
      assert.ok(doc.paths["/trustnet/counter/v1/count"], "the route is in the OpenAPI document");
    } finally {
      server.close();
    }

    const exported = app.exportGenesis();
    assert.deepEqual(exported.appState.counter, { count: "8", validator_key: Buffer.from(VALIDATOR_KEY).toString("base64") });
    const again = appWithCounter();
    again.initChain({ time: { seconds: T0 + 3n, nanos: 0 }, chainId: CHAIN, consensusParams: undefined, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(exported.appState)), initialHeight: 4n });
    // Block 4 on both chains (the same request): every block mints and distributes, so the two states are compared
    // after the same block, not with the export.
    block(again, 4n, []);
    block(app, 4n, []);
    assert.deepEqual(again.exportGenesis().appState, app.exportGenesis().appState);
  });

  test("without its line in the blocker order the app refuses to start; a bad genesis section is refused", () => {
    const base = buildModules();
    assert.throws(() => new TrustNetApp({ store: StateStore.open(dbPath()), wiring: { ...base, modules: [...base.modules, counterModule(base.keepers.auth)] } }), /module counter has a blocker missing from the blocker order/);
    assert.throws(() => appWithCounter().initChain({ time: { seconds: T0, nanos: 0 }, chainId: CHAIN, consensusParams: undefined, validators: [], appStateBytes: genesis(alice, "-1"), initialHeight: 1n }), /counter genesis: count/);
    assert.throws(() => new TrustNetApp({ store: StateStore.open(dbPath()) }).initChain({ time: { seconds: T0, nanos: 0 }, chainId: CHAIN, consensusParams: undefined, validators: [], appStateBytes: genesis(alice), initialHeight: 1n }), /unknown module section "counter"/, "registered only in this test");
  });
});
