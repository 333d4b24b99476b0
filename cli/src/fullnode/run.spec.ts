// `node start` with a port of the node already taken (the node started twice, another node or devnet on it): it
// refuses before starting anything, naming the port and its holder, instead of starting CometBFT against whatever
// answers on the ABCI port. And a real node (a generated devnet's genesis, real app and CometBFT) stopped with
// Ctrl-C: a second Ctrl-C while it stops must not kill the command and leave the app and CometBFT running.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { portsInUse } from "@trustnet/installer";
import { findCometbft } from "../devnet/cometbft-bin.ts";
import { generateDevnet } from "../devnet/generate.ts";
import { canConnect, sleep } from "../devnet/process-util.ts";
import { CliError } from "../errors.ts";
import { currentStateFormat } from "../state-format.ts";
import { type FullNodeManifest, fullNodeLayout, initFullNode } from "./init.ts";
import { runFullNode } from "./run.ts";
import { freePort, listen, portOf } from "../testing/loopback-ports.ts";

const root = mkdtempSync(join(tmpdir(), "trustnet-node-run-spec-"));
after(() => rmSync(root, { recursive: true, force: true }));


test("node start refuses a node whose ABCI port another process holds, naming it; nothing is started", async () => {
  const taken = await listen();
  let connections = 0;
  taken.on("connection", () => { connections += 1; });
  try {
    const home = join(root, "busy");
    const layout = fullNodeLayout(home);
    mkdirSync(join(layout.cometHome, "config"), { recursive: true });
    mkdirSync(layout.appHome, { recursive: true });
    const manifest: FullNodeManifest = {
      ...currentStateFormat(), chainId: "trustnet-local-1", moniker: "n", nodeId: "a".repeat(40), peer: `${"b".repeat(40)}@127.0.0.1:1`,
      ports: { p2p: await freePort(), rpc: await freePort(), abci: portOf(taken), rest: await freePort() }, transport: "socket",
    };
    writeFileSync(layout.manifest, JSON.stringify(manifest));
    await assert.rejects(runFullNode({ home, cometbft: findCometbft(home), manifest, appArgs: [], log: () => undefined }), (e: unknown) => {
      assert.ok(e instanceof CliError, String(e));
      assert.match(e.message, new RegExp(`port ${portOf(taken)} is already in use by pid ${process.pid} .*Nothing was started`));
      assert.match(e.hint ?? "", /already running/);
      return true;
    });
    assert.equal(existsSync(join(layout.logs, "node-cometbft.log")), false, "CometBFT was not started");
    assert.equal(existsSync(join(layout.logs, "node-app.out")), false, "the app was not started");
    assert.equal(connections, 0, "nothing connected to the other process's port");
  } finally {
    await new Promise((r) => taken.close(r));
  }
});

test("a second Ctrl-C while the node stops is still handled: the command waits for the app and CometBFT to exit", { timeout: 120_000 }, async () => {
  const made = join(root, "made");
  if (!existsSync(made)) await generateDevnet({ home: made, validators: 1, cometbft: findCometbft(made) });
  const home = join(root, "signals");
  // ports off the contract ones (other sessions use those), all free
  let offset = 20_000 + (process.pid % 5000);
  while ((await portsInUse([26656, 26657, 26658, 26660, 1317].map((p) => p + offset))).length > 0) offset += 7;
  const manifest = await initFullNode({
    home, cometbft: findCometbft(home), peer: `${"a".repeat(40)}@127.0.0.1:1`, genesis: join(made, "devnet", "node0", "cometbft", "config", "genesis.json"),
    chainId: "trustnet-local-1", portOffset: offset, moniker: "n", blockTime: "1s",
  });
  const own = new Set(process.listeners("SIGINT"));
  const lines: string[] = [];
  const running = runFullNode({ home, cometbft: findCometbft(home), manifest, appArgs: [], log: (l) => lines.push(l) });
  let outcome: unknown = "running";
  running.then(() => { outcome = "stopped"; }, (e: unknown) => { outcome = e; });
  for (let i = 0; i < 600 && !lines.some((l) => l.includes("started")) && outcome === "running"; i++) await sleep(100);
  assert.equal(outcome, "running", String(outcome));
  // Ctrl-C as Node delivers it, to node start's handlers only (the test runner's own, if any, are set aside)
  for (const l of own) process.off("SIGINT", l as never);
  try {
    const ours = (): number => process.listenerCount("SIGINT");
    assert.ok(ours() > 0, "node start handles SIGINT");
    process.emit("SIGINT");
    await sleep(10);
    if (outcome === "running") {
      assert.ok(ours() > 0, "while CometBFT and the app stop, a second Ctrl-C is still handled (else Node's default kills the command and leaves them running)");
      process.emit("SIGINT");
    }
    await running;
    assert.equal(ours(), 0, "no handler is left behind");
  } finally {
    for (const l of own) process.on("SIGINT", l as never);
  }
  assert.equal(await canConnect(manifest.ports.abci), false, "the app is gone");
  assert.equal(await canConnect(manifest.ports.rpc), false, "CometBFT is gone");
});

test("the app killed under a running node: the command stops CometBFT and fails naming the signal and the log", { timeout: 120_000 }, async () => {
  const made = join(root, "made");
  if (!existsSync(made)) await generateDevnet({ home: made, validators: 1, cometbft: findCometbft(made) });
  const home = join(root, "crash");
  let offset = 21_000 + (process.pid % 5000);
  while ((await portsInUse([26656, 26657, 26658, 26660, 1317].map((p) => p + offset))).length > 0) offset += 7;
  const manifest = await initFullNode({
    home, cometbft: findCometbft(home), peer: `${"a".repeat(40)}@127.0.0.1:1`, genesis: join(made, "devnet", "node0", "cometbft", "config", "genesis.json"),
    chainId: "trustnet-local-1", portOffset: offset, moniker: "n", blockTime: "1s",
  });
  const lines: string[] = [];
  const handlers = (): number[] => [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];
  const before = handlers();
  const running = runFullNode({ home, cometbft: findCometbft(home), manifest, appArgs: [], log: (l) => lines.push(l) });
  let failure: unknown;
  const done = running.catch((e: unknown) => { failure = e; });
  for (let i = 0; i < 600 && !lines.some((l) => l.includes("started")) && failure === undefined; i++) await sleep(100);
  // the app: the process whose command line names this node's app home
  const appHome = fullNodeLayout(home).appHome;
  const pid = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).find((d) => {
    try { return readFileSync(`/proc/${d}/cmdline`, "utf8").split("\0").includes(appHome); } catch { return false; }
  });
  assert.ok(pid, "the app runs");
  process.kill(Number(pid), "SIGKILL");
  await done;
  assert.ok(failure instanceof CliError, String(failure));
  assert.match(failure.message, /^app exited \(signal SIGKILL\); the node stopped$/);
  assert.match(failure.hint ?? "", /node-app\.out/);
  assert.equal(await canConnect(manifest.ports.rpc), false, "CometBFT was stopped too");
  assert.deepEqual(handlers(), before, "its SIGINT/SIGTERM handlers are removed when it fails too");
});
