import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { CometRpc, STATE_FORMAT_VERSION } from "@trustnet/abci-app";
import { ChainTagSubmitter, tagQueueFiles } from "@trustnet/registry";
import { CliError } from "../errors.ts";
import { deriveKey, generateMnemonic } from "../keyring/hd.ts";
import { createServer } from "node:net";
import { busyPortsHint, devnetGenerate, devnetPorts, devnetReset, devnetStartForeground, devnetUp, registryQueueFiles, stopOrphans } from "./control.ts";
import { devnetLayout, type DevnetManifest } from "./layout.ts";
import { pidAlive, waitFor } from "./process-util.ts";
import { cmdlineOf, readRunRecord, type RecordedProcess, removeRunRecord, writeRunRecord } from "./run-record.ts";
import { checkNodeIndex } from "./supervisor.ts";

const root = mkdtempSync(join(tmpdir(), "trustnet-control-spec-"));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const ports = { p2p: 26656, rpc: 26657, abci: 26658, rest: 1317 };
const hostsManifest: DevnetManifest = {
  stateFormat: STATE_FORMAT_VERSION, chainId: "trustnet-local-1", validators: 2, blockTime: "1s", transport: "socket", faucetAddress: "trust1x", rpcLaddr: "tcp://127.0.0.1:26657",
  nodes: [{ index: 0, nodeId: "a", ports, p2pHost: "fd00::1" }, { index: 1, nodeId: "b", ports, p2pHost: "fd00::3" }],
};
/** A home holding devnet.json and the given node directories' files (what a VM receives). */
function home(manifest: DevnetManifest | undefined, nodeFiles: Record<number, readonly string[]> = {}): string {
  const h = join(root, `h${n++}`);
  mkdirSync(join(h, "devnet"), { recursive: true });
  if (manifest) writeFileSync(join(h, "devnet", "devnet.json"), JSON.stringify(manifest));
  for (const [i, files] of Object.entries(nodeFiles)) {
    for (const f of files) {
      mkdirSync(join(h, "devnet", `node${i}`, "cometbft", f, ".."), { recursive: true });
      writeFileSync(join(h, "devnet", `node${i}`, "cometbft", f), "{}");
    }
  }
  return h;
}
const ALL = ["config/config.toml", "config/genesis.json", "config/priv_validator_key.json", "config/node_key.json", "data/priv_validator_state.json"];
const opts = { validators: 1, blockTime: "1s", transport: "socket" as const, log: () => undefined };
const cliError = (re: RegExp, exitCode = 1) => (e: unknown): boolean => e instanceof CliError && e.exitCode === exitCode && re.test(e.message);

describe("devnet start --foreground --node I", () => {
  test("needs an existing devnet and never generates one", async () => {
    const h = join(root, "empty");
    await assert.rejects(devnetStartForeground({ ...opts, home: h, node: "0" }), cliError(/no devnet in .*none is generated/));
    assert.equal(existsSync(h), false);
  });

  test("refuses an index outside the devnet, or not a number", async () => {
    const h = home(hostsManifest, { 0: ALL, 1: ALL });
    await assert.rejects(devnetStartForeground({ ...opts, home: h, node: "2" }), cliError(/--node must be a validator index from 0 to 1 .*got "2"/, 2));
    await assert.rejects(devnetStartForeground({ ...opts, home: h, node: "-1" }), cliError(/got "-1"/, 2));
    await assert.rejects(devnetStartForeground({ ...opts, home: h, node: "1x" }), cliError(/got "1x"/, 2));
    await assert.rejects(devnetStartForeground({ ...opts, home: h, node: "" }), cliError(/got ""/, 2));
  });

  test("refuses a missing or incomplete node directory, naming what is missing", async () => {
    const h = home(hostsManifest, { 0: ALL, 1: ALL.slice(0, 3) });
    assert.throws(() => checkNodeIndex(h, hostsManifest, "1"), cliError(/node1 is incomplete \(missing cometbft\/config\/node_key.json, cometbft\/data\/priv_validator_state.json\)/));
    const h2 = home(hostsManifest, { 0: ALL });
    await assert.rejects(devnetStartForeground({ ...opts, home: h2, node: 1 }), cliError(/node1 is missing/));
    assert.equal(checkNodeIndex(h2, hostsManifest, "0"), 0);
  });
});

describe("devnet start --foreground (the whole devnet)", () => {
  test("never makes a new chain for a missing devnet unless --init; changes nothing", async () => {
    const h = join(root, "missing-volume");
    await assert.rejects(devnetStartForeground({ ...opts, home: h }), (e: unknown) =>
      cliError(/no devnet in .*devnet\.json is missing.*makes a new chain \(new keys and genesis\) only with --init/)(e) &&
      /devnet generate --home/.test((e as CliError).hint ?? "") && /--init/.test((e as CliError).hint ?? ""));
    assert.equal(existsSync(h), false, "nothing generated");
    const h2 = home(undefined);
    await assert.rejects(devnetStartForeground({ ...opts, home: h2 }), cliError(/only with --init/));
    assert.deepEqual(readdirSync(join(h2, "devnet")), [], "nothing generated");
    // --init passes that check (the next one, here --validators, refuses before anything is generated).
    await assert.rejects(devnetStartForeground({ ...opts, home: h, init: true, validators: 0 }), cliError(/--validators must be a whole number/, 2));
    assert.equal(existsSync(h), false);
    await assert.rejects(devnetStartForeground({ ...opts, home: h, init: true, node: "0" }), cliError(/--init and --node/, 2));
  });
});

describe("a devnet spanning separate machines", () => {
  test("cannot be started whole on one machine", async () => {
    const h = home(hostsManifest, { 0: ALL, 1: ALL });
    await assert.rejects(devnetStartForeground({ ...opts, home: h, validators: 2 }), cliError(/spans separate machines/));
    await assert.rejects(devnetUp({ ...opts, home: h, validators: 2, timeoutMs: 1000 }), cliError(/spans separate machines/));
  });

  test("devnet generate validates before anything else, and refuses an existing devnet", async () => {
    const h = home(hostsManifest);
    await assert.rejects(devnetGenerate({ ...opts, home: join(root, "g"), validators: 3, p2pHosts: ["fd00::1", "fd00::2"] }), cliError(/--validators is 3 but --p2p-hosts lists 2/, 2));
    await assert.rejects(devnetGenerate({ ...opts, home: h, validators: 1, p2pHosts: ["fd00::1"] }), cliError(/a devnet already exists in .*nothing was changed/));
    assert.deepEqual(readdirSync(join(h, "devnet")), ["devnet.json"]);
    assert.equal(existsSync(join(root, "g")), false);
  });
});

describe("busy ports", () => {
  const linux = { low: 32768, high: 60999 };
  test("outside the ephemeral range (or when it is unknown): stop the holder", () => {
    for (const hint of [busyPortsHint([26657], linux), busyPortsHint([33676], undefined)]) {
      assert.equal(hint, "stop that process (or an old devnet: trustnet devnet down --home <its home>), or run this one beside it with another --port-offset (e.g. 1000); then retry");
    }
  });
  test("every port a devnet listens on is checked: CometBFT's metrics and the registry's metrics too", () => {
    assert.deepEqual(devnetPorts(undefined, 2, 0), [26656, 26657, 26658, 1317, 26660, 26666, 26667, 26668, 1327, 26670, 8000, 8001]);
    assert.deepEqual(devnetPorts(undefined, 1, 300), [26956, 26957, 26958, 1617, 26960, 8300, 8301]);
    const m: DevnetManifest = { ...hostsManifest, validators: 1, nodes: [{ index: 0, nodeId: "a", ports: { p2p: 1, rpc: 2, abci: 3, rest: 4, metrics: 5 } }], registry: { port: 9000, operator: "trust1x", defaultNamespace: "x" } };
    assert.deepEqual(devnetPorts(m, 1, 0), [1, 2, 3, 4, 5, 9000, 9001]);
    assert.deepEqual(devnetPorts({ ...m, registry: undefined }, 1, 0), [1, 2, 3, 4, 5], "no registry in the devnet: its ports are not needed");
  });

  test("devnet up refuses a busy CometBFT metrics port before starting anything, naming it", async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const port = (srv.address() as { port: number }).port;
    try {
      const m: DevnetManifest = { ...hostsManifest, validators: 1, nodes: [{ index: 0, nodeId: "a", ports: { p2p: 20001, rpc: 20002, abci: 20003, rest: 20004, metrics: port } }] };
      const h = home(m);
      await assert.rejects(devnetUp({ ...opts, home: h, timeoutMs: 1000 }), cliError(new RegExp(`port ${port} is already in use`)));
      assert.equal(existsSync(join(h, "run")), false, "nothing started");
    } finally {
      srv.close();
    }
  });

  test("inside it: names the ports and the range, and says to move the devnet below it", () => {
    assert.equal(busyPortsHint([26657, 33676, 33688], linux),
      "ports 33676, 33688 lie in the kernel's ephemeral port range (32768-60999, net.ipv4.ip_local_port_range), which outgoing connections draw from: choose a --port-offset that keeps every port below 32768, or stop the process holding it");
    assert.match(busyPortsHint([32768], linux), /^port 32768 lies in the kernel's ephemeral port range/);
    assert.match(busyPortsHint([60999], linux), /^port 60999 lies/);
    assert.equal(busyPortsHint([61000], linux), "stop that process (or an old devnet: trustnet devnet down --home <its home>), or run this one beside it with another --port-offset (e.g. 1000); then retry");
  });
});

describe("children left by a killed supervisor", () => {
  // Real processes: a "child" that ignores nothing and sleeps, as the app or CometBFT would keep running.
  const child = (tag: string): { proc: RecordedProcess; kill: () => void } => {
    const argv = [process.execPath, "-e", `setTimeout(() => {}, 600000) // ${tag}`];
    const c = spawn(argv[0]!, argv.slice(1), { stdio: "ignore", detached: true });
    c.unref();
    return { proc: { role: tag, pid: c.pid!, cmdline: cmdlineOf(argv) }, kill: () => { try { process.kill(c.pid!, "SIGKILL"); } catch { /* gone */ } } };
  };
  const deadSupervisor = (): RecordedProcess => {
    const argv = [process.execPath, "-e", "0 // supervisor"];
    const r = spawnSync(argv[0]!, argv.slice(1));
    return { role: "supervisor", pid: r.pid!, cmdline: cmdlineOf(argv) };
  };

  test("are stopped by the next start when the supervisor is gone, and the record is removed", async () => {
    const h = home(hostsManifest);
    const app = child("app-0");
    const comet = child("cometbft-0");
    try {
      writeRunRecord({ home: h, supervisor: deadSupervisor(), processes: [app.proc, comet.proc] });
      const lines: string[] = [];
      const stopped = await stopOrphans(h, (l) => lines.push(l), 5_000);
      assert.deepEqual(stopped.map((p) => p.role), ["app-0", "cometbft-0"]);
      assert.ok(await waitFor(() => !pidAlive(app.proc.pid) && !pidAlive(comet.proc.pid), 5_000, 50), "both children stopped");
      assert.match(lines.join("\n"), /stopping app-0 \(pid \d+\), cometbft-0 \(pid \d+\), left running by a supervisor \(pid \d+\) that was killed/);
      assert.equal(readRunRecord(h), undefined);
    } finally {
      app.kill();
      comet.kill();
    }
  });

  test("are left alone while their supervisor still runs; a PID now running another command is never signalled", async () => {
    const h = home(hostsManifest);
    const sup = child("supervisor");
    const app = child("app-0");
    const other = child("someone-else");
    try {
      writeRunRecord({ home: h, supervisor: sup.proc, processes: [app.proc] });
      assert.deepEqual(await stopOrphans(h, () => undefined, 1_000), []);
      assert.ok(pidAlive(app.proc.pid) && pidAlive(sup.proc.pid));
      // the supervisor is gone; the recorded child's PID now runs another program (a reused PID)
      writeRunRecord({ home: h, supervisor: deadSupervisor(), processes: [{ ...other.proc, cmdline: "cometbft start --home /old" }] });
      assert.deepEqual(await stopOrphans(h, () => undefined, 1_000), []);
      assert.ok(pidAlive(other.proc.pid), "a PID whose command line differs from the record is not ours");
    } finally {
      removeRunRecord(h);
      for (const c of [sup, app, other]) c.kill();
    }
  });
});

describe("devnet reset", () => {
  test("deletes the chain and the registry's tag records queued for it; keeps the keystore, logs and images", async () => {
    const h = home(hostsManifest);
    const keep = [join(h, "keys", "alice.json"), join(h, "logs", "app-0.log"), join(h, "registry", "blobs", "sha256", "ab", "data")];
    for (const f of keep) {
      mkdirSync(join(f, ".."), { recursive: true });
      writeFileSync(f, "x");
    }
    const [journal, tmp] = registryQueueFiles(h);
    writeFileSync(journal!, `${JSON.stringify({ a: { namespace: "acme", repo: "app", tag: "v1" } })}\n`);
    writeFileSync(tmp!, "partial");
    assert.deepEqual(await devnetReset(h), { droppedTagQueue: true });
    assert.equal(existsSync(join(h, "devnet")), false);
    assert.equal(existsSync(journal!), false, "records of the old chain would be sent to the new one");
    assert.equal(existsSync(tmp!), false);
    for (const f of keep) assert.equal(existsSync(f), true, `${f} is kept`);
    assert.deepEqual(await devnetReset(h), { droppedTagQueue: false }, "nothing queued: nothing dropped");
  });

  test("deletes exactly the files the registry's tag submitter writes: its journal and its compaction's temp file", async () => {
    const h = home(hostsManifest);
    const data = devnetLayout(h).registryData;
    mkdirSync(data, { recursive: true });
    const written = new Set<string>();
    const watcher = watch(data, (_event, name) => written.add(join(data, name ?? "?")));
    // The chain is down (a port nobody listens on): the records stay queued.
    const down = createServer();
    await new Promise<void>((r) => down.listen(0, "127.0.0.1", r));
    const { port } = down.address() as { port: number };
    await new Promise((r) => down.close(r));
    const key = await deriveKey(generateMnemonic());
    const submitter = new ChainTagSubmitter({ rpc: new CometRpc(`http://127.0.0.1:${port}`, 1000), key, queueFile: tagQueueFiles(data).journal, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    try {
      // enough changes of one tag that the journal is compacted once (through its temp file)
      for (let i = 0; i < 1100; i++) submitter.recordTag({ namespace: "acme", repo: "app", tag: "v1", digest: `sha256:${(i % 2 === 0 ? "a" : "b").repeat(64)}`, mediaType: "a/b", size: 1, pusher: key.address });
      await submitter.flush();
      assert.equal(submitter.pending, 1);
    } finally {
      await submitter.stop(0);
    }
    await waitFor(() => written.size >= 2, 5000, 20);
    watcher.close();
    assert.deepEqual([...written].sort(), [...registryQueueFiles(h)].sort(), "the files the registry wrote are the ones reset deletes");
    assert.deepEqual(await devnetReset(h), { droppedTagQueue: true });
    assert.deepEqual(readdirSync(data), [], "no queue file is left");
  });
});
