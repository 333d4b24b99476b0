import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { StargateClient, type IndexedTx } from "@cosmjs/stargate";
import { cometClient } from "@trustnet/abci-app";
import { NOT_CONFIRMED_EXIT_CODE, TxNotConfirmedError } from "./errors.ts";
import { signBroadcastAndWait, waitForTx, withCtrlC } from "./broadcast.ts";
import { CliError } from "../errors.ts";
import type { SigningStargateClient } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { runCli, startFakeNode } from "../testing/fake-node.ts";

describe("waitForTx", () => {
  test("polls until the tx is indexed", async () => {
    let calls = 0;
    const found = { hash: "AB", height: 7 } as unknown as IndexedTx;
    const tx = await waitForTx({ getTx: () => Promise.resolve(++calls < 3 ? null : found) }, "AB", { pollMs: 1 });
    assert.equal(tx, found);
    assert.equal(calls, 3);
  });
  test("an aborted signal (Ctrl-C) ends the wait at once, naming the hash, exit 3", async () => {
    const ctrlC = new AbortController();
    setTimeout(() => ctrlC.abort(), 20);
    const t0 = performance.now();
    await assert.rejects(waitForTx({ getTx: () => Promise.resolve(null) }, "EF", { timeoutMs: 3_000, pollMs: 5, signal: ctrlC.signal }), (e: unknown) =>
      e instanceof TxNotConfirmedError && e.txHash === "EF" && e.exitCode === NOT_CONFIRMED_EXIT_CODE &&
      e.message === "broadcast as EF, not confirmed: interrupted (Ctrl-C) while waiting for it to be committed");
    assert.ok(performance.now() - t0 < 5_000);
  });
  test("signBroadcastAndWait: aborted before the broadcast, nothing is sent (exit 130); it listens to no signal itself (provider run has its own shutdown)", async () => {
    let broadcasts = 0;
    const client = {
      sign: () => Promise.resolve(TxRaw.fromPartial({ bodyBytes: new Uint8Array([1]), authInfoBytes: new Uint8Array([2]), signatures: [new Uint8Array(64)] })),
      broadcastTxSync: () => (broadcasts++, Promise.resolve("AA")),
      getTx: () => Promise.resolve({ hash: "x", height: 1, code: 0 } as unknown as IndexedTx),
    } as unknown as SigningStargateClient;
    const ctrlC = new AbortController();
    ctrlC.abort();
    await assert.rejects(signBroadcastAndWait(client, "trust1x", [], { amount: [], gas: "1" }, "", { signal: ctrlC.signal }), (e: unknown) =>
      e instanceof CliError && e.exitCode === 130 && /nothing was sent/u.test(e.message));
    assert.equal(broadcasts, 0);
    const listeners = process.listenerCount("SIGINT");
    const sent = signBroadcastAndWait(client, "trust1x", [], { amount: [], gas: "1" }, "", { pollMs: 1 });
    assert.equal(process.listenerCount("SIGINT"), listeners, "no SIGINT listener of its own");
    await sent;
    assert.equal(broadcasts, 1);
    // withCtrlC: a SIGINT listener only while its function runs
    let inside = 0;
    await withCtrlC((signal) => {
      inside = process.listenerCount("SIGINT");
      assert.equal(signal.aborted, false);
      return Promise.resolve();
    });
    assert.equal(inside, listeners + 1);
    assert.equal(process.listenerCount("SIGINT"), listeners);
  });
  test("gives up after the timeout with the hash and how to check later", async () => {
    await assert.rejects(waitForTx({ getTx: () => Promise.resolve(null) }, "CD", { timeoutMs: 20, pollMs: 5 }), (e: unknown) =>
      e instanceof TxNotConfirmedError && e.txHash === "CD" && e.exitCode === NOT_CONFIRMED_EXIT_CODE &&
      e.message === "broadcast as CD, not confirmed: not committed within 0 s" && /trustnet tx CD/u.test(e.hint ?? ""));
  });

  // Against a node whose tx_search fails (a real HTTP server and cosmjs' client).
  const against = async (mode: "reset" | "reset-then-ok" | "indexing-disabled", timeoutMs: number) => {
    const node = await startFakeNode({ txSearch: mode });
    const client = await StargateClient.create(cometClient(node.url, 2_000));
    try {
      return await waitForTx(client, node.txHash, { timeoutMs, pollMs: 50 });
    } finally {
      client.disconnect();
      await node.close();
    }
  };
  test("a reset connection is retried until the tx is found", async () => {
    assert.equal((await against("reset-then-ok", 10_000)).height, 9);
  });
  test("a connection reset until the deadline names the hash and the reason", async () => {
    await assert.rejects(against("reset", 500), (e: unknown) =>
      e instanceof TxNotConfirmedError && /^broadcast as C0FFEE0+, not confirmed: the node did not answer for 1 s \(.*UND_ERR_SOCKET/u.test(e.message));
  });
  test("a node that does not index txs ends the wait at once, naming the hash", async () => {
    const t0 = performance.now();
    await assert.rejects(against("indexing-disabled", 30_000), (e: unknown) =>
      e instanceof TxNotConfirmedError && /^broadcast as C0FFEE0+, not confirmed: the node does not index transactions/u.test(e.message));
    assert.ok(performance.now() - t0 < 5_000);
  });
});

describe("send whose confirmation fails (the real CLI against a fake node)", () => {
  let home: string;
  const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-bcast-"));
    const r = await runCli(["keys", "add", "alice", "--home", home], env);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => rm(home, { recursive: true, force: true }));
  const send = async (mode: "indexing-disabled" | "reset-then-ok", ...extra: string[]) => {
    const node = await startFakeNode({ txSearch: mode });
    try {
      const r = await runCli(["send", "alice", "1TRUST", "--gas", "200000", "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1", ...extra], env);
      assert.equal(node.broadcasts.length, 1);
      return { ...r, hash: node.broadcasts[0]! };
    } finally {
      await node.close();
    }
  };

  test("indexing disabled: the error names the hash, exit 3; in JSON mode stdout has the hash and committed: false", async () => {
    const text = await send("indexing-disabled");
    assert.equal(text.code, NOT_CONFIRMED_EXIT_CODE, text.stderr);
    assert.match(text.stderr, new RegExp(`error: broadcast as ${text.hash}, not confirmed: the node does not index transactions`, "u"));
    assert.match(text.stderr, new RegExp(`hint: check \`trustnet tx ${text.hash}`, "u"));
    assert.doesNotMatch(text.stderr, /cannot reach the node/u);
    const json = await send("indexing-disabled", "-o", "json");
    assert.equal(json.code, NOT_CONFIRMED_EXIT_CODE, json.stderr);
    const doc = JSON.parse(json.stdout) as { txhash: string; committed: boolean; reason: string };
    assert.equal(doc.txhash, json.hash);
    assert.equal(doc.committed, false);
    assert.match(doc.reason, /does not index transactions/u);
  });

  test("a connection reset while waiting is retried, and the send succeeds", async () => {
    const r = await send("reset-then-ok", "-o", "json");
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { txhash: string }).txhash, r.hash);
  });

  test("Ctrl-C (SIGINT) while waiting for the commit names the hash, exit 3, not a silent exit 130", async () => {
    const node = await startFakeNode({ txSearch: "pending" });
    try {
      const bin = fileURLToPath(new URL("../../bin/trustnet.js", import.meta.url));
      const child = spawn(process.execPath, [bin, "send", "alice", "1TRUST", "--gas", "200000", "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1", "-o", "json"], {
        env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      // Interrupt once the node has the tx and the CLI is polling for it.
      for (let i = 0; i < 600 && !node.calls.includes("tx_search"); i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(node.calls.includes("tx_search"), stderr);
      child.kill("SIGINT");
      const code = await exited;
      const hash = node.broadcasts[0]!;
      assert.equal(code, NOT_CONFIRMED_EXIT_CODE, stderr);
      assert.match(stderr, new RegExp(`error: broadcast as ${hash}, not confirmed: interrupted \\(Ctrl-C\\) while waiting for it to be committed`, "u"));
      assert.match(stderr, new RegExp(`hint: check \`trustnet tx ${hash}`, "u"));
      const doc = JSON.parse(stdout) as { txhash: string; committed: boolean; reason: string };
      assert.deepEqual(doc, { txhash: hash, committed: false, reason: "interrupted (Ctrl-C) while waiting for it to be committed" });
    } finally {
      await node.close();
    }
  });

  test("a broadcast whose answer is lost names the hash of the signed tx (computed before sending), exit 3", async () => {
    const node = await startFakeNode({ broadcast: "reset" });
    try {
      const r = await runCli(["send", "alice", "1TRUST", "--gas", "200000", "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1", "-o", "json"], env);
      assert.equal(r.code, NOT_CONFIRMED_EXIT_CODE, r.stderr);
      const hash = node.broadcasts[0]!;
      assert.ok(node.broadcasts.length >= 1 && node.broadcasts.every((h) => h === hash), "the same signed bytes each time");
      assert.match(r.stderr, new RegExp(`error: broadcast as ${hash}, not confirmed: the node did not answer the broadcast`, "u"));
      assert.deepEqual(JSON.parse(r.stdout).txhash, hash);
      assert.ok(!node.calls.includes("tx_search"), "no wait after a lost broadcast");
    } finally {
      await node.close();
    }
  });
});
