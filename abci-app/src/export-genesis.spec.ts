// `trustnet-app --home DIR --export-genesis FILE`: the committed state of a node's store as a new chain's genesis.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { StateStore } from "./store/index.ts";
import { TrustNetApp } from "./app/trustnet-app.ts";
import { sendMsg, signTx, testKey } from "./app/testing/tx-builder.ts";
import { runAppProcess } from "./main.ts";
import { bech32Address } from "./sdk/address.ts";

test("--export-genesis writes the committed state as a genesis a new chain starts from; without a store it says so", async () => {
  const home = mkdtempSync(join(tmpdir(), "tn-export-flag-"));
  mkdirSync(join(home, "data"));
  const alice = await testKey(51);
  const bob = await testKey(52);
  const store = StateStore.open(join(home, "data", "state.db"));
  const app = new TrustNetApp({ store });
  app.initChain({
    time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: "trustnet-local-1", consensusParams: undefined, validators: [], initialHeight: 1n,
    appStateBytes: new TextEncoder().encode(JSON.stringify({ auth: { accounts: [{ address: alice.address }] }, bank: { balances: [{ address: alice.address, coins: [{ denom: "utrust", amount: "1000000" }] }] } })),
  });
  const tx = await signTx(alice, [sendMsg(alice.address, bob.address, "4321")], { chainId: "trustnet-local-1", accountNumber: 0n, sequence: 0n });
  const r = app.finalizeBlock({ txs: [tx], height: 1n, time: { seconds: 1_700_000_005n, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
  assert.equal(r.txResults?.[0]?.code, 0, r.txResults?.[0]?.log);
  app.commit();
  const expected = app.exportGenesis().appState;
  store.close();

  const out = join(home, "exported.json");
  await runAppProcess(["--home", home, "--export-genesis", out]);
  const doc = JSON.parse(readFileSync(out, "utf8")) as { chain_id: string; initial_height: string; genesis_time: string; app_state: unknown };
  assert.deepEqual([doc.chain_id, doc.initial_height, doc.genesis_time], ["trustnet-local-1", "2", "2023-11-14T22:13:25.000Z"]);
  assert.deepEqual(doc.app_state, expected);
  const bank = (doc.app_state as { bank: { balances: { address: string; coins: { amount: string }[] }[] } }).bank;
  assert.equal(bank.balances.find((b) => b.address === bob.address)?.coins[0]?.amount, "4321");

  const next = new TrustNetApp({ store: StateStore.open(join(mkdtempSync(join(tmpdir(), "tn-export-next-")), "s.db")) });
  next.initChain({ time: { seconds: 1_700_000_005n, nanos: 0 }, chainId: doc.chain_id, consensusParams: undefined, validators: [], initialHeight: BigInt(doc.initial_height), appStateBytes: new TextEncoder().encode(JSON.stringify(doc.app_state)) });
  // Block 2 on the new chain and on the old one (reopened from its store): every block mints and distributes, so
  // the two are compared after the same block.
  const old = new TrustNetApp({ store: StateStore.open(join(home, "data", "state.db")) });
  for (const a of [next, old]) {
    a.finalizeBlock({ txs: [], height: 2n, time: { seconds: 1_700_000_006n, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
    a.commit();
  }
  assert.deepEqual(next.exportGenesis().appState, old.exportGenesis().appState);

  await assert.rejects(runAppProcess(["--home", mkdtempSync(join(tmpdir(), "tn-export-empty-")), "--export-genesis", out]), /no state to export/);
});

test("--export-genesis replaces FILE whole: a symbolic link planted there is replaced, an export cut short leaves the old file", async () => {
  const home = mkdtempSync(join(tmpdir(), "tn-export-atomic-"));
  mkdirSync(join(home, "data"));
  const store = StateStore.open(join(home, "data", "state.db"));
  const app = new TrustNetApp({ store });
  // 600 funded accounts: an export of ~100 KiB, well over the file-size limit below (which SQLite's own files fit).
  const addresses = Array.from({ length: 600 }, (_, i) => bech32Address(new Uint8Array(20).fill(i % 256).map((b, j) => (j === 0 ? i >> 8 : b))));
  const appState = { auth: { accounts: addresses.map((address) => ({ address })) }, bank: { balances: addresses.map((address) => ({ address, coins: [{ denom: "utrust", amount: "1000" }] })) } };
  app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: "trustnet-local-1", consensusParams: undefined, validators: [], initialHeight: 1n, appStateBytes: new TextEncoder().encode(JSON.stringify(appState)) });
  app.finalizeBlock({ txs: [], height: 1n, time: { seconds: 1_700_000_001n, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
  app.commit();
  store.close();

  // A symbolic link at FILE (to a file of someone else's): FILE becomes the export, the link's target is untouched.
  const victim = join(home, "victim.txt");
  writeFileSync(victim, "not yours\n");
  const out = join(home, "exported.json");
  symlinkSync(victim, out);
  await runAppProcess(["--home", home, "--export-genesis", out]);
  assert.equal(readFileSync(victim, "utf8"), "not yours\n");
  assert.equal(lstatSync(out).isSymbolicLink(), false);
  assert.equal(lstatSync(out).mode & 0o777, 0o600);
  assert.equal((JSON.parse(readFileSync(out, "utf8")) as { initial_height: string }).initial_height, "2");

  // An export cut short (a file-size limit of 64 KiB makes the write fail with EFBIG): FILE keeps the old export
  // whole, and no temp file is left beside it.
  const before = readFileSync(out, "utf8");
  assert.ok(before.length > 64 * 1024, `the export (${before.length} bytes) is larger than the limit`);
  const main = fileURLToPath(new URL("./main.ts", import.meta.url));
  const r = spawnSync("sh", ["-c", 'ulimit -f 64 && exec "$0" "$1" --home "$2" --export-genesis "$3"', process.execPath, main, home, out], { encoding: "utf8" });
  assert.notEqual(r.status, 0, r.stderr);
  assert.match(r.stderr, /EFBIG/u);
  assert.equal(readFileSync(out, "utf8"), before);
  assert.deepEqual(readdirSync(home).sort(), ["data", "exported.json", "victim.txt"]);
  rmSync(home, { recursive: true, force: true });
});
