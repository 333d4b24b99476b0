// The devnet supervisor: `node cli/src/devnet/supervisor.ts --home DIR [--node I]`. Runs, per validator, the ABCI app
// and CometBFT as a pair, plus the devnet's registry; with `--node I` only validator I's pair (one machine of a devnet
// that spans several; the registry has its own machine). CometBFT exits when its app connection drops, and an app
// restarted under a running CometBFT is not supported, so when either process of a pair exits, the supervisor stops
// the other and restarts both, with exponential backoff, logging why. SIGTERM/SIGINT stop everything (CometBFT first,
// then the app).
import type { ChildProcess } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { pino, type Logger } from "pino";
import { appNodeArgv, jsonLogger } from "@trustnet/abci-app";
import { writeFileAtomic, writeFileAtomicSync } from "@trustnet/installer";
import { CliError } from "../errors.ts";
import { findCometbft } from "./cometbft-bin.ts";
import { readManifest } from "./generate.ts";
import { devnetLayout, type DevnetManifest, registryMetricsPort } from "./layout.ts";
import { isMultiHost } from "./network.ts";
import { waitForAppAnswer } from "./app-ready.ts";
import { sleep, spawnSupervised, stopChild } from "./process-util.ts";
import { cmdlineOf, liveCmdline, type RecordedProcess, removeRunRecord, writeRunRecord } from "./run-record.ts";
import { childEnv } from "../child-env.ts";
import { assertDevnetStateFormat } from "../state-format.ts";
import { startLogRotation } from "./log-rotation.ts";

export const SUPERVISOR_MARKER = "devnet/supervisor.ts";
const REGISTRY_MAIN = fileURLToPath(new URL("../../../registry/src/main.ts", import.meta.url));
// Backoff doubles per consecutive failure; a pair that ran HEALTHY_AFTER_MS before failing starts again from the minimum.
// Tunable through the environment (tests use short values).
const envMs = (name: string, dflt: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : dflt;
};
const MIN_BACKOFF_MS = envMs("TRUSTNET_SUPERVISOR_MIN_BACKOFF_MS", 500);
const MAX_BACKOFF_MS = envMs("TRUSTNET_SUPERVISOR_MAX_BACKOFF_MS", 30_000);
const HEALTHY_AFTER_MS = envMs("TRUSTNET_SUPERVISOR_HEALTHY_MS", 30_000);
// How long a started app may take to listen before it counts as hung. About a second on a host; minutes in an
// emulated (TCG) VM, where Node itself runs through a JIT of a JIT: a slow start is not a failure.
const APP_START_MS = envMs("TRUSTNET_SUPERVISOR_APP_START_MS", 120_000);

export interface PairState {
  index: number;
  appPid: number | undefined;
  cometPid: number | undefined;
  restarts: number;
  lastExit: string | undefined;
  startedAt: string | undefined;
}

interface Pair {
  state: PairState;
  app: ChildProcess | undefined;
  comet: ChildProcess | undefined;
  backoff: number;
  startedMs: number;
}


class Supervisor {
  readonly #home: string;
  readonly #manifest: DevnetManifest;
  readonly #log: Logger;
  readonly #cometbft: string;
  readonly #extraAppArgs: readonly string[];
  readonly #pairs: Pair[];
  /** With `--node I`: the only validator this supervisor runs (and no registry). */
  readonly #only: number | undefined;
  #stopping = false;
  #registry: ChildProcess | undefined;
  #registryBackoff = MIN_BACKOFF_MS;
  #registryRestarts = 0;

  constructor(home: string, manifest: DevnetManifest, log: Logger, extraAppArgs: readonly string[], only: number | undefined) {
    this.#home = home;
    this.#manifest = manifest;
    this.#log = log;
    this.#cometbft = findCometbft(home);
    this.#extraAppArgs = extraAppArgs;
    this.#only = only;
    this.#pairs = manifest.nodes.filter((n) => only === undefined || n.index === only).map((n) => ({
      state: { index: n.index, appPid: undefined, cometPid: undefined, restarts: 0, lastExit: undefined, startedAt: undefined },
      app: undefined, comet: undefined, backoff: MIN_BACKOFF_MS, startedMs: 0,
    }));
  }

  /** The record outside the home first (what `devnet down` relies on), then the state file in the home. */
  #writeState(): void {
    const layout = devnetLayout(this.#home);
    const children: RecordedProcess[] = [];
    const add = (role: string, p: ChildProcess | undefined): void => {
      if (p?.pid !== undefined && p.exitCode === null && p.signalCode === null) children.push({ role, pid: p.pid, cmdline: cmdlineOf(p.spawnargs) });
    };
    for (const pair of this.#pairs) {
      add(`app-${pair.state.index}`, pair.app);
      add(`cometbft-${pair.state.index}`, pair.comet);
    }
    add("registry", this.#registry);
    try {
      writeRunRecord({ home: this.#home, supervisor: { role: "supervisor", pid: process.pid, cmdline: liveCmdline(process.pid) ?? "" }, processes: children });
    } catch (err) {
      this.#log.error({ err: (err as Error).message }, "cannot update the run record; 'devnet down' may not find the newest children");
    }
    try {
      writeFileAtomicSync(layout.state, JSON.stringify({
        supervisorPid: process.pid, chainId: this.#manifest.chainId, node: this.#only, pairs: this.#pairs.map((p) => p.state),
        registry: this.#manifest.registry && this.#only === undefined ? { pid: this.#registry?.pid, port: this.#manifest.registry.port, restarts: this.#registryRestarts } : undefined,
      }, null, 2), "replace");
    } catch (err) {
      this.#log.warn({ err: (err as Error).message }, "cannot write the state file in the home (was it deleted?)");
    }
  }

  /** True (and logged) when the devnet's home was deleted under it: nothing is restarted into a missing home. */
  #homeGone(): boolean {
    if (existsSync(devnetLayout(this.#home).manifest)) return false;
    this.#log.error({ home: this.#home }, "the devnet's home is gone (devnet.json missing); not restarting; stop the rest with 'trustnet devnet down'");
    return true;
  }

  /** A log file to hand to a child; "ignore" when the logs directory is gone (the home was deleted under us). */
  #logFile(name: string): number | "ignore" {
    try {
      return openSync(join(devnetLayout(this.#home).logs, name), "a");
    } catch (err) {
      this.#log.warn({ file: name, err: (err as Error).message }, "cannot open the log file; the child's output is discarded");
      return "ignore";
    }
  }

  async #startPair(pair: Pair): Promise<void> {
    const node = this.#manifest.nodes[pair.state.index];
    if (!node) return;
    const paths = devnetLayout(this.#home).node(node.index);
    const logs = devnetLayout(this.#home).logs;
    const appOut = this.#logFile(`app-${node.index}.out`);
    const app = spawnSupervised(process.execPath, appNodeArgv([
      "--home", paths.appHome, "--address", `tcp://127.0.0.1:${node.ports.abci}`, "--transport", this.#manifest.transport,
      "--log-file", join(logs, `app-${node.index}.log`), "--rpc", `http://127.0.0.1:${node.ports.rpc}`,
      "--rest-address", node.ports.rest === undefined ? "off" : `127.0.0.1:${node.ports.rest}`, ...this.#extraAppArgs,
    ]), { stdio: ["ignore", appOut, appOut], env: childEnv() });
    if (appOut !== "ignore") closeSync(appOut);
    pair.app = app;
    pair.state.appPid = app.pid;
    app.once("exit", (code, signal) => void this.#onExit(pair, app, "app", code, signal));
    this.#writeState();
    // CometBFT must find the app answering, or it gives up on the handshake; and it must be this app, not another
    // process that holds the port (it would be handed this node's blocks).
    const readiness = await waitForAppAnswer(app, node.ports.abci, this.#manifest.transport, { timeoutMs: APP_START_MS, cancelled: () => pair.app !== app || this.#stopping });
    if (!readiness.ready) {
      if (pair.app !== app || this.#stopping || app.exitCode !== null || app.signalCode !== null) return; // #onExit restarts it
      this.#log.error({ node: node.index, appPid: app.pid, why: readiness.why }, `${readiness.why}; restarting`);
      app.kill("SIGKILL");
      return;
    }
    const cometOut = this.#logFile(`cometbft-${node.index}.log`);
    const comet = spawnSupervised(this.#cometbft, ["start", "--home", paths.cometHome], { stdio: ["ignore", cometOut, cometOut], env: childEnv() });
    if (cometOut !== "ignore") closeSync(cometOut);
    pair.comet = comet;
    pair.state.cometPid = comet.pid;
    pair.startedMs = Date.now();
    pair.state.startedAt = new Date().toISOString();
    comet.once("exit", (code, signal) => void this.#onExit(pair, comet, "cometbft", code, signal));
    this.#log.info({ node: node.index, appPid: app.pid, cometPid: comet.pid }, "pair started");
    this.#writeState();
  }

  async #onExit(pair: Pair, proc: ChildProcess, which: "app" | "cometbft", code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (this.#stopping) return;
    if (pair.app !== proc && pair.comet !== proc) return; // an old generation, already handled
    const why = `${which} exited (${signal ? `signal ${signal}` : `code ${code}`})`;
    pair.state.lastExit = why;
    const other = which === "app" ? pair.comet : pair.app;
    pair.app = undefined;
    pair.comet = undefined;
    pair.state.appPid = undefined;
    pair.state.cometPid = undefined;
    if (Date.now() - pair.startedMs > HEALTHY_AFTER_MS) pair.backoff = MIN_BACKOFF_MS;
    this.#log.warn({ node: pair.state.index, why, restartInMs: pair.backoff }, `${why}; stopping its partner and restarting the pair`);
    await stopChild(other);
    this.#writeState();
    if (this.#homeGone()) return;
    await sleep(pair.backoff);
    pair.backoff = Math.min(pair.backoff * 2, MAX_BACKOFF_MS);
    if (this.#stopping) return;
    pair.state.restarts++;
    await this.#startPair(pair);
  }

  /** The devnet's OCI registry: independent of the pairs; restarted with backoff when it exits. */
  #startRegistry(): void {
    const reg = this.#manifest.registry;
    if (!reg || this.#stopping || this.#only !== undefined) return;
    const layout = devnetLayout(this.#home);
    const out = this.#logFile("registry.out");
    const p = spawnSupervised(process.execPath, [
      REGISTRY_MAIN, "--data", layout.registryData, "--listen", `127.0.0.1:${reg.port}`,
      "--chain-rpc", `http://127.0.0.1:${this.#manifest.nodes[0]?.ports.rpc}`, "--operator-key", layout.operatorKey,
      "--log-file", join(layout.logs, "registry.log"),
      // Prometheus metrics on loopback, next to the registry's port (scraped by `devnet up --monitoring`).
      "--metrics-listen", `127.0.0.1:${registryMetricsPort(reg.port)}`,
    ], { stdio: ["ignore", out, out], env: childEnv() });
    if (out !== "ignore") closeSync(out);
    this.#registry = p;
    this.#writeState();
    const started = Date.now();
    p.once("exit", (code, signal) => {
      if (this.#stopping || this.#registry !== p) return;
      if (Date.now() - started > HEALTHY_AFTER_MS) this.#registryBackoff = MIN_BACKOFF_MS;
      this.#log.warn({ why: `registry exited (${signal ? `signal ${signal}` : `code ${code}`})`, restartInMs: this.#registryBackoff }, "registry exited; restarting it");
      this.#registry = undefined;
      this.#writeState();
      if (this.#homeGone()) return;
      setTimeout(() => {
        this.#registryRestarts++;
        this.#startRegistry();
        this.#writeState();
      }, this.#registryBackoff);
      this.#registryBackoff = Math.min(this.#registryBackoff * 2, MAX_BACKOFF_MS);
    });
    this.#log.info({ pid: p.pid, port: reg.port }, "registry started");
  }

  async start(): Promise<void> {
    for (const p of this.#pairs) await this.#startPair(p);
    this.#startRegistry();
    this.#writeState();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await Promise.all(this.#pairs.map((p) => stopChild(p.comet)));
    await Promise.all(this.#pairs.map((p) => stopChild(p.app)));
    await stopChild(this.#registry);
    this.#log.info("all processes stopped");
  }
}

/**
 * `--node I`: a whole number below the devnet's validator count whose node directory (CometBFT home with its keys
 * and config, app home) is present in this home. Returns I; throws with the reason otherwise.
 */
export function checkNodeIndex(home: string, manifest: DevnetManifest, raw: string): number {
  const n = manifest.validators;
  const i = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(i) || i >= n) {
    throw new CliError(`--node must be a validator index from 0 to ${n - 1} (the devnet in ${devnetLayout(home).root} has ${n} validator(s)), got "${raw}"`, { exitCode: 2 });
  }
  const paths = devnetLayout(home).node(i);
  const missing = ["config/config.toml", "config/genesis.json", "config/priv_validator_key.json", "config/node_key.json", "data/priv_validator_state.json"]
    .filter((f) => !existsSync(join(paths.cometHome, f)));
  if (missing.length > 0) {
    throw new CliError(`validator ${i}'s node directory ${paths.dir} is ${existsSync(paths.dir) ? `incomplete (missing cometbft/${missing.join(", cometbft/")})` : "missing"}`, {
      hint: `copy the whole node${i} directory of the generated devnet (devnet/node${i}/) into this home`,
    });
  }
  return i;
}

export async function runSupervisor(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: { home: { type: "string" }, node: { type: "string" }, "app-arg": { type: "string", multiple: true } } });
  if (!values.home) throw new Error("usage: supervisor.ts --home DIR [--node I] [--app-arg FLAG ...]");
  const home = values.home;
  const layout = devnetLayout(home);
  // Checked before anything is written: a home of another state format is refused unchanged.
  const manifest = await readManifest(home);
  if (!manifest) throw new Error(`no devnet at ${layout.root}; run trustnet devnet up`);
  assertDevnetStateFormat(home, layout.root, manifest);
  mkdirSync(layout.logs, { recursive: true });
  mkdirSync(layout.run, { recursive: true });
  const log = jsonLogger({ name: "supervisor", base: { pid: process.pid } }, pino.destination({ dest: join(layout.logs, "supervisor.log"), sync: true }));
  const only = values.node === undefined ? undefined : checkNodeIndex(home, manifest, values.node);
  if (only === undefined && isMultiHost(manifest)) {
    throw new Error(`the devnet at ${layout.root} spans separate machines; run one validator per machine with --node I`);
  }
  await writeFileAtomic(layout.supervisorPid, String(process.pid), "replace");
  const sup = new Supervisor(home, manifest, log, values["app-arg"] ?? [], only);
  // the children's logs (and this one) are capped: copied to .1 … .3 and truncated past 64 MiB (log-rotation.ts)
  const stopRotation = startLogRotation(layout.logs, {
    onError: (err) => log.warn({ err: err.message }, "cannot rotate the logs"),
    onRotate: (names) => log.info({ logs: names }, "rotated logs"),
  });
  writeRunRecord({ home, supervisor: { role: "supervisor", pid: process.pid, cmdline: liveCmdline(process.pid) ?? "" }, processes: [] });
  let stopping = false;
  const shutdown = (sig: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ sig }, "stopping the devnet");
    stopRotation();
    void sup.stop().finally(() => {
      rmSync(layout.supervisorPid, { force: true });
      rmSync(layout.state, { force: true });
      removeRunRecord(home);
      process.exit(0);
    });
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  log.info({ validators: manifest.validators, chainId: manifest.chainId, node: only }, "supervisor starting");
  await sup.start();
}

if (import.meta.main) {
  runSupervisor(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`supervisor: ${err instanceof Error ? err.message : String(err)}\n${err instanceof CliError && err.hint !== undefined ? `fix: ${err.hint}\n` : ""}`);
    process.exit(1);
  });
}
