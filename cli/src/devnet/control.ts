import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describePortsInUse, ephemeralPortRange, portsInUse } from "@trustnet/installer";
import { tagQueueFiles } from "@trustnet/registry";
import { CliError } from "../errors.ts";
import { findCometbft } from "./cometbft-bin.ts";
import { rewriteCometConfig } from "./cometbft-config.ts";
import { assertNoDevnet, generateDevnet, readManifest, REGISTRY_PORT, validateRegistryEndpoint, validateUnbondingTime } from "./generate.ts";
import { devnetLayout, type DevnetManifest, MAX_VALIDATORS, type NodePorts, portsFor, registryMetricsPort } from "./layout.ts";
import { stopMonitoring } from "./monitoring.ts";
import { isMultiHost, planNetwork } from "./network.ts";
import { pidAlive, pidGone, pidIs, sleep, waitFor } from "./process-util.ts";
import { readRunRecord, type RecordedProcess, removeRunRecord, stillRunning } from "./run-record.ts";
import { CometRpc } from "@trustnet/abci-app";
import { nodeStatus } from "./rpc.ts";
import { checkNodeIndex, runSupervisor, SUPERVISOR_MARKER } from "./supervisor.ts";
import { childEnv } from "../child-env.ts";
import { homeArg } from "../global-options.ts";
import { assertDevnetStateFormat } from "../state-format.ts";

const SUPERVISOR_MAIN = fileURLToPath(new URL("./supervisor.ts", import.meta.url));

/**
 * The running supervisor's PID, or undefined. Found by the run record kept outside the home (see run-record.ts),
 * else by the PID file in the home; a PID counts only while its process still runs the recorded command line.
 */
export function runningSupervisor(home: string): number | undefined {
  const rec = readRunRecord(home);
  if (rec && stillRunning(rec.supervisor)) return rec.supervisor.pid;
  const f = devnetLayout(home).supervisorPid;
  if (!existsSync(f)) return undefined;
  const pid = Number(readFileSync(f, "utf8").trim());
  // Detached (`devnet up`): the supervisor script; foreground (`devnet start --foreground`): the CLI process itself.
  return Number.isSafeInteger(pid) && pid > 0 && (pidIs(pid, SUPERVISOR_MARKER) || pidIs(pid, "devnet start")) ? pid : undefined;
}

export interface UpOptions {
  readonly home: string;
  readonly validators: number;
  readonly blockTime: string;
  readonly transport: "socket" | "grpc";
  readonly timeoutMs: number;
  readonly portOffset?: number;
  readonly appArgs?: readonly string[];
  /** Staking unbonding period for a new devnet (default DEVNET_UNBONDING_TIME). */
  readonly unbondingTime?: string;
  /** A fixed annual inflation for a new devnet, e.g. "0" (default: x/mint's 7–20% band from 13%). */
  readonly inflation?: string;
  /** Leasing: blocks before a lease that never became ready is refunded (new devnets only). */
  readonly leasingReadyTimeout?: number;
  readonly log: (line: string) => void;
}

export interface UpResult {
  readonly manifest: DevnetManifest;
  readonly created: boolean;
  readonly alreadyRunning: boolean;
  readonly height: bigint;
  readonly supervisorPid: number;
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** The ports a validator's pair listens on: P2P, RPC, ABCI, REST and CometBFT's metrics (each when the devnet has it). */
const nodePortList = (p: NodePorts): number[] => [p.p2p, p.rpc, p.abci, ...(p.rest === undefined ? [] : [p.rest]), ...(p.metrics === undefined ? [] : [p.metrics])];

/** Every port the devnet will listen on (the registry's API and metrics too); the same for a new devnet's plan. */
export function devnetPorts(manifest: DevnetManifest | undefined, validators: number, portOffset: number): number[] {
  const registry = manifest === undefined ? REGISTRY_PORT + portOffset : manifest.registry?.port;
  return (manifest?.nodes.map((n) => n.ports) ?? Array.from({ length: validators }, (_, i) => portsFor(i, portOffset)))
    .flatMap(nodePortList)
    .concat(registry === undefined ? [] : [registry, registryMetricsPort(registry)]);
}

/** Every port the devnet will listen on must be free; otherwise name each port and the process holding it. */
async function assertPortsFree(manifest: DevnetManifest | undefined, validators: number, portOffset: number): Promise<void> {
  await assertFree(devnetPorts(manifest, validators, portOffset));
}

async function assertFree(ports: readonly number[]): Promise<void> {
  const busy = await portsInUse(ports);
  if (busy.length > 0) {
    throw new CliError(describePortsInUse(busy), { hint: busyPortsHint(busy.map((b) => b.port), await ephemeralPortRange()) });
  }
}

/**
 * What to do about busy ports. Ports inside the kernel's ephemeral range are handed to outgoing connections at
 * random, so a devnet placed there (a large --port-offset) can find them taken by anyone's connection; moving the
 * devnet below the range is the fix, not stopping a process.
 */
export function busyPortsHint(busy: readonly number[], ephemeral: { low: number; high: number } | undefined): string {
  const inRange = ephemeral === undefined ? [] : busy.filter((p) => p >= ephemeral.low && p <= ephemeral.high);
  if (ephemeral === undefined || inRange.length === 0) return "stop that process (or an old devnet: trustnet devnet down --home <its home>), or run this one beside it with another --port-offset (e.g. 1000); then retry";
  return `${inRange.length === 1 ? "port" : "ports"} ${inRange.join(", ")} ${inRange.length === 1 ? "lies" : "lie"} in the kernel's ephemeral port range ` +
    `(${ephemeral.low}-${ephemeral.high}, net.ipv4.ip_local_port_range), which outgoing connections draw from: ` +
    `choose a --port-offset that keeps every port below ${ephemeral.low}, or stop the process holding it`;
}

/** The restarts of the first pair counted by the supervisor `pid` (a state file a killed supervisor left counts none). */
function restartsOf(home: string, pid: number): number {
  try {
    const st = JSON.parse(readFileSync(devnetLayout(home).state, "utf8")) as { supervisorPid?: number; pairs?: { restarts?: number }[] };
    return st.supervisorPid === pid ? st.pairs?.[0]?.restarts ?? 0 : 0;
  } catch {
    return 0;
  }
}

/** `devnet up`: generate on first use, check ports and binaries, start the supervisor detached, wait for block 1. */
export async function devnetUp(o: UpOptions): Promise<UpResult> {
  if (!Number.isInteger(o.validators) || o.validators < 1 || o.validators > MAX_VALIDATORS) {
    throw new CliError(`--validators must be a whole number from 1 to ${MAX_VALIDATORS}, got ${o.validators}`, { exitCode: 2 });
  }
  const layout = devnetLayout(o.home);
  let manifest = await readManifest(o.home);
  const running = runningSupervisor(o.home);
  if (running !== undefined && manifest) {
    const s = await nodeStatus(`http://127.0.0.1:${manifest.nodes[0]?.ports.rpc}`).catch(() => undefined);
    return { manifest, created: false, alreadyRunning: true, height: s?.height ?? 0n, supervisorPid: running };
  }
  if (manifest) assertDevnetStateFormat(o.home, layout.root, manifest);
  if (manifest && isMultiHost(manifest)) throw separateMachines(layout.root);
  const cometbft = findCometbft(o.home);
  await stopOrphans(o.home, o.log);
  if (manifest && manifest.validators !== o.validators) {
    throw new CliError(`the devnet in ${layout.root} has ${manifest.validators} validator(s), not ${o.validators}`, {
      hint: `run 'trustnet devnet up --validators ${manifest.validators}', or 'trustnet devnet reset' to start a new chain`,
    });
  }
  await assertPortsFree(manifest, o.validators, o.portOffset ?? 0);
  let created = false;
  if (!manifest) {
    o.log(`generating a ${o.validators}-validator devnet in ${layout.root}`);
    manifest = await generateDevnet({ home: o.home, validators: o.validators, cometbft, blockTime: o.blockTime, transport: o.transport, portOffset: o.portOffset ?? 0, log: o.log, ...(o.unbondingTime !== undefined ? { unbondingTime: o.unbondingTime } : {}), ...(o.inflation !== undefined ? { inflation: o.inflation } : {}), ...(o.leasingReadyTimeout !== undefined ? { leasingReadyTimeout: o.leasingReadyTimeout } : {}) });
    created = true;
  }
  mkdirSync(layout.logs, { recursive: true });
  mkdirSync(layout.run, { recursive: true });
  const out = openSync(join(layout.logs, "supervisor.out"), "a");
  const child = spawn(process.execPath, [SUPERVISOR_MAIN, "--home", o.home, ...(o.appArgs ?? []).map((a) => `--app-arg=${a}`)], {
    // Long-lived: it must not keep the keystore passphrase in its environment (child-env.ts).
    detached: true, stdio: ["ignore", out, out], env: childEnv(),
  });
  closeSync(out);
  child.unref();
  const pid = child.pid ?? 0;
  const rpc = `http://127.0.0.1:${manifest.nodes[0]?.ports.rpc}`;
  let crashLoop = false;
  const gaveUp = (): boolean => !pidAlive(pid) || (crashLoop = restartsOf(o.home, pid) >= 2);
  const height = BigInt(await new CometRpc(rpc, 1000).waitForHeight(1, { timeoutMs: o.timeoutMs, pollMs: 300, gaveUp }).catch(() => 0));
  const ok = height >= 1n;
  if (!pidAlive(pid)) {
    throw new CliError(`the devnet supervisor exited during start-up:\n${tail(join(layout.logs, "supervisor.out"))}`, { hint: `see ${layout.logs}` });
  }
  if (crashLoop) {
    await devnetDown(o.home);
    throw new CliError(`the devnet keeps crashing during start-up and was stopped. Last CometBFT log lines:\n${tail(join(layout.logs, "cometbft-0.log"), 6)}\nLast app log lines:\n${tail(join(layout.logs, "app-0.log"), 4)}`, {
      hint: `see ${layout.logs}; after fixing the cause run 'trustnet devnet up' again (or 'trustnet devnet reset --yes' for a new chain)`,
    });
  }
  if (!ok) {
    throw new CliError(`no block after ${Math.round(o.timeoutMs / 1000)} s. Last CometBFT log lines:\n${tail(join(layout.logs, "cometbft-0.log"))}\nLast app log lines:\n${tail(join(layout.logs, "app-0.log"))}`, {
      hint: `the devnet is still starting in the background (supervisor pid ${pid}); check 'trustnet devnet status${homeArg(o.home)}' or stop it with 'trustnet devnet down${homeArg(o.home)}'`,
    });
  }
  if (manifest.registry) {
    const url = `http://127.0.0.1:${manifest.registry.port}/v2/`;
    const up = await waitFor(async () => (await fetch(url, { signal: AbortSignal.timeout(1000) }).catch(() => undefined)) !== undefined, 30_000, 200);
    if (!up) throw new CliError(`the registry did not answer on ${url} within 30 s:\n${tail(join(layout.logs, "registry.out"))}`, { hint: `see ${join(layout.logs, "registry.log")}` });
  }
  return { manifest, created, alreadyRunning: false, height, supervisorPid: pid };
}

/**
 * `devnet down`: SIGTERM to the supervisor (which stops CometBFT, then the apps and the registry); SIGKILL after a
 * grace period. Then every child recorded at start that still runs its recorded command line (the supervisor died,
 * or was killed before it could stop them) gets SIGTERM, then SIGKILL. Works when the home was deleted: the
 * processes are found by the run record outside the home.
 */
export async function devnetDown(home: string, graceMs = 30_000): Promise<{ wasRunning: boolean }> {
  const rec = readRunRecord(home);
  await stopMonitoring(home);
  const pid = runningSupervisor(home);
  let wasRunning = false;
  if (pid !== undefined) {
    wasRunning = true;
    process.kill(pid, "SIGTERM");
    if (!(await waitFor(() => !pidAlive(pid), graceMs, 200))) {
      process.kill(pid, "SIGKILL");
      await sleep(200);
    }
  }
  const children = await stopRecorded(rec?.processes ?? [], Math.min(graceMs, 15_000));
  if (children.length > 0) wasRunning = true;
  // Stopped, they may still be zombies for a moment (their parent reaps them: init, for a detached supervisor);
  // `down` returns once their PIDs are gone, so a caller that checks a PID sees it gone (bounded: a parent that
  // never reaps cannot hold `down`).
  const stopped = [...(pid === undefined ? [] : [pid]), ...children.map((p) => p.pid)];
  await waitFor(() => stopped.every(pidGone), 5_000, 50);
  removeRunRecord(home);
  rmSync(devnetLayout(home).supervisorPid, { force: true });
  return { wasRunning };
}

/**
 * Stops the recorded processes that still run their recorded command line: SIGTERM, then SIGKILL after `graceMs`.
 * Returns the ones that were running.
 */
async function stopRecorded(processes: readonly RecordedProcess[], graceMs: number): Promise<RecordedProcess[]> {
  const left = processes.filter(stillRunning);
  if (left.length === 0) return left;
  for (const p of left) signal(p.pid, "SIGTERM");
  if (!(await waitFor(() => left.every((p) => !stillRunning(p)), graceMs, 200))) {
    for (const p of left.filter(stillRunning)) signal(p.pid, "SIGKILL");
    await waitFor(() => left.every((p) => !stillRunning(p)), 5_000, 100);
  }
  return left;
}

/**
 * What a supervisor killed without its ordered stop (SIGKILL, the OOM killer, a service manager's final KILL) left
 * running: its children run in their own process groups, so they outlive it and hold the devnet's ports. Called by
 * every start once no supervisor runs: the children its run record names that still run their recorded command line
 * are stopped (as `devnet down` would), so a restart by hand or by the init system recovers instead of failing on
 * busy ports. Returns what was stopped.
 */
export async function stopOrphans(home: string, log: (line: string) => void, graceMs = 15_000): Promise<RecordedProcess[]> {
  const rec = readRunRecord(home);
  if (!rec || stillRunning(rec.supervisor)) return [];
  const left = rec.processes.filter(stillRunning);
  if (left.length === 0) return [];
  log(`stopping ${left.map((p) => `${p.role} (pid ${p.pid})`).join(", ")}, left running by a supervisor (pid ${rec.supervisor.pid}) that was killed`);
  const stopped = await stopRecorded(left, graceMs);
  removeRunRecord(home);
  return stopped;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * The devnet registry's queue of tag records waiting to be sent to the chain: the journal and its compaction's temp
 * file, as the registry names them (tagQueueFiles). Records of a chain that was reset would be sent to the new one.
 */
export const registryQueueFiles = (home: string): string[] => {
  const { journal, compactionTemp } = tagQueueFiles(devnetLayout(home).registryData);
  return [journal, compactionTemp];
};

/**
 * `devnet reset`: stop, then delete the chain (keys, genesis, state) and the registry's queue of pending tag records,
 * which belong to it; logs, the keystore and the registry's images are kept. Says whether a queue was dropped.
 */
export async function devnetReset(home: string): Promise<{ readonly droppedTagQueue: boolean }> {
  await devnetDown(home);
  rmSync(devnetLayout(home).root, { recursive: true, force: true });
  const [journal] = registryQueueFiles(home);
  const droppedTagQueue = journal !== undefined && existsSync(journal) && readFileSync(journal, "utf8").trim() !== "";
  for (const f of registryQueueFiles(home)) rmSync(f, { force: true });
  return { droppedTagQueue };
}

function separateMachines(root: string): CliError {
  return new CliError(`the devnet in ${root} spans separate machines (generated with --p2p-hosts); its nodes cannot all run here`, {
    hint: "on each machine run 'trustnet devnet start --foreground --node I' with a home holding devnet.json and nodeI/",
  });
}

export interface GenerateCommandOptions {
  readonly home: string;
  readonly validators: number;
  readonly blockTime: string;
  readonly transport: "socket" | "grpc";
  readonly portOffset?: number;
  readonly p2pHosts?: readonly string[];
  readonly rpcLaddr?: string;
  readonly registryEndpoint?: string;
  readonly unbondingTime?: string;
  readonly log: (line: string) => void;
}

/**
 * `devnet generate`: writes a devnet without starting it. Every option is checked (and an existing devnet refused)
 * before anything is written or CometBFT is looked for.
 */
export async function devnetGenerate(o: GenerateCommandOptions): Promise<DevnetManifest> {
  const net = {
    validators: o.validators, portOffset: o.portOffset ?? 0,
    ...(o.p2pHosts ? { p2pHosts: o.p2pHosts } : {}), ...(o.rpcLaddr !== undefined ? { rpcLaddr: o.rpcLaddr } : {}),
  };
  planNetwork(net);
  if (o.registryEndpoint !== undefined) validateRegistryEndpoint(o.registryEndpoint);
  if (o.unbondingTime !== undefined) validateUnbondingTime(o.unbondingTime);
  assertNoDevnet(o.home);
  const layout = devnetLayout(o.home);
  const cometbft = findCometbft(o.home);
  o.log(`generating a ${o.validators}-validator devnet in ${layout.root}${o.p2pHosts ? ` for ${o.p2pHosts.length} machine(s)` : ""}`);
  return generateDevnet({
    ...net, home: o.home, cometbft, blockTime: o.blockTime, transport: o.transport, log: o.log,
    ...(o.registryEndpoint !== undefined ? { registryEndpoint: o.registryEndpoint } : {}),
    ...(o.unbondingTime !== undefined ? { unbondingTime: o.unbondingTime } : {}),
  });
}

export interface ForegroundOptions extends Omit<UpOptions, "timeoutMs"> {
  /** CometBFT's P2P listen address for the node run here (node 0, or `node`), e.g. `tcp://[fd12:…::1]:26656`. */
  readonly p2pLaddr?: string;
  /** CometBFT's RPC listen address for the node run here (node 0, or `node`), e.g. `tcp://0.0.0.0:26657`. */
  readonly rpcLaddr?: string;
  /**
   * Run only this validator of an existing devnet (its app + CometBFT pair, no registry): one machine of a devnet
   * made by `devnet generate --p2p-hosts`. The devnet is never generated in this mode.
   */
  readonly node?: number | string;
  /**
   * `--init`: generate a new devnet (new keys and genesis) when the home has none. Without it a missing devnet is
   * an error: a service whose volume is missing or unmounted must not start a new chain.
   */
  readonly init?: boolean;
}

/**
 * `devnet start --foreground`: what a service manager (systemd, OpenRC) runs. Needs an existing devnet (generates
 * one only with `init`, never with `node`), applies the listen addresses, then runs the supervisor in this process
 * until SIGTERM/SIGINT.
 */
export async function devnetStartForeground(o: ForegroundOptions): Promise<void> {
  const layout = devnetLayout(o.home);
  const manifest = await readManifest(o.home);
  let node: number | undefined;
  if (manifest) assertDevnetStateFormat(o.home, layout.root, manifest);
  if (o.node !== undefined && o.init === true) {
    throw new CliError("--init and --node: with --node an existing devnet is required and none is generated", { exitCode: 2, hint: "drop --init; generate the devnet with 'trustnet devnet generate --p2p-hosts …' and copy this validator's files into the home" });
  }
  if (o.node !== undefined) {
    if (!manifest) {
      throw new CliError(`--node ${o.node}: no devnet in ${layout.root} (devnet.json is missing); with --node an existing devnet is required and none is generated`, {
        hint: `generate it with 'trustnet devnet generate --validators N --p2p-hosts …' and copy devnet/devnet.json, the key files and devnet/node${o.node}/ into this home`,
      });
    }
    node = checkNodeIndex(o.home, manifest, String(o.node));
  } else {
    if (!manifest && o.init !== true) {
      throw new CliError(`no devnet in ${layout.root} (devnet.json is missing); 'devnet start --foreground' makes a new chain (new keys and genesis) only with --init`, {
        hint: `check that --home ${o.home} is the devnet's home (a service's volume mounted), or make one: 'trustnet devnet generate --home ${o.home}' (or 'trustnet devnet up'), or pass --init to generate it on this first start`,
      });
    }
    if (manifest && isMultiHost(manifest)) throw separateMachines(layout.root);
    if (!Number.isInteger(o.validators) || o.validators < 1 || o.validators > MAX_VALIDATORS) {
      throw new CliError(`--validators must be a whole number from 1 to ${MAX_VALIDATORS}, got ${o.validators}`, { exitCode: 2 });
    }
  }
  const running = runningSupervisor(o.home);
  if (running !== undefined) throw new CliError(`the devnet in ${o.home} is already running (supervisor pid ${running})`, { hint: `stop it first: trustnet devnet down${homeArg(o.home)}` });
  const cometbft = findCometbft(o.home);
  await stopOrphans(o.home, o.log);
  if (node !== undefined) {
    const ports = manifest?.nodes[node]?.ports;
    if (ports) await assertFree(nodePortList(ports));
  } else {
    await assertPortsFree(manifest, o.validators, o.portOffset ?? 0);
    if (!manifest) {
      o.log(`generating a ${o.validators}-validator devnet in ${layout.root}`);
      await generateDevnet({ home: o.home, validators: o.validators, cometbft, blockTime: o.blockTime, transport: o.transport, portOffset: o.portOffset ?? 0, log: o.log, ...(o.unbondingTime !== undefined ? { unbondingTime: o.unbondingTime } : {}), ...(o.inflation !== undefined ? { inflation: o.inflation } : {}) });
    }
  }
  const entries: [string, string, string][] = [];
  if (o.p2pLaddr) entries.push(["p2p", "laddr", o.p2pLaddr]);
  if (o.rpcLaddr) entries.push(["rpc", "laddr", o.rpcLaddr]);
  if (entries.length > 0) await rewriteCometConfig(join(layout.node(node ?? 0).cometHome, "config", "config.toml"), entries);
  await runSupervisor(["--home", o.home, ...(node !== undefined ? ["--node", String(node)] : []), ...(o.appArgs ?? []).map((a) => `--app-arg=${a}`)]);
}
