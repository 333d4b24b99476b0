// The registry as a long-running process, shared by `node registry/src/main.ts` (the devnet supervisor's child) and
// `trustnet registry serve` (the registry VM's service): configuration (defaults < config file < flags), the checks
// that refuse bad input before anything is written, the chain wiring (namespace owners read from the chain, pushed
// tags recorded with the operator key), a watcher that reports the chain coming and going, and a clean stop.
import { mkdir, open, readFile, rmdir, stat, unlink } from "node:fs/promises";
import { createServer } from "node:net";
import type { Server } from "node:http";
import { dirname, join, resolve } from "node:path";
import { pino, type Logger } from "pino";
import { defaultConfig, formatListen, loadConfigFile, mergeConfig, parseListen, type RegistryConfig } from "./config.ts";
import { ConfigError, StartupError } from "./errors.ts";
import { createRegistry, type Registry, type RegistryDeps } from "./server.ts";
import { InMemoryNamespaceOwners } from "./auth/namespace-owners.ts";
import { ChainNamespaceOwners, ChainTagSubmitter, chainProbe, loadOperatorKey, tagQueueFiles, type OperatorKey } from "./chain/index.ts";
import { CometRpc, jsonLogger, queryClients } from "@trustnet/abci-app";
import { RegistryMetrics } from "./metrics.ts";

export interface ServeOptions {
  /** A registry JSON config file (the format of config/registry.json). */
  readonly configFile?: string;
  /** Data directory used unless the config file or `dataDir` names one (the CLI passes `<home>/registry`). */
  readonly defaultDataDir?: string;
  /** Overrides everything else. */
  readonly dataDir?: string;
  /** host:port; IPv6 in brackets (`[::]:8000`). */
  readonly listen?: string;
  /** Log (pino JSON) to this file instead of stdout. */
  readonly logFile?: string;
  /** CometBFT RPC URL: namespace owners come from the chain, and tags are recorded on it with `operatorKeyFile`. */
  readonly chainRpc?: string;
  /** The operator's key file (`{"mnemonic": …}`, mode 0600); without it no tags are recorded (a warning says so). */
  readonly operatorKeyFile?: string;
  /** The key file is on a mount no other user reaches (a Kubernetes secret volume): it may be group/other-readable. */
  readonly operatorKeyTrustedMount?: boolean;
  /** Added to the "no operator key" warning: how to give one. */
  readonly noOperatorKeyHint?: string;
  /** Without `chainRpc`: a JSON file `{"namespace": "trust1…"}` of namespace owners (tests, the benchmark). */
  readonly ownersFile?: string;
  /** host:port of a loopback Prometheus /metrics listener (distribution's debug address); unset = no metrics. */
  readonly metricsListen?: string;
  /** A logger to use instead of the one built from the config. */
  readonly logger?: Logger;
  /** Delays of the chain watcher (tests shorten them). */
  readonly chainWatch?: { readonly minRetryMs?: number; readonly maxRetryMs?: number; readonly healthyEveryMs?: number };
}

export interface RunningRegistry {
  readonly registry: Registry;
  readonly config: RegistryConfig;
  readonly logger: Logger;
  /** The operator address when tags are recorded on chain. */
  readonly operator: string | undefined;
  /** Tag records not yet on chain (0 without an operator key). */
  pendingRecords(): number;
  /** Stops the watcher, the HTTP server and the submitter (a batch in flight gets 5 s to land; the queue stays on disk). */
  close(): Promise<void>;
}

/**
 * `--node` as the URL the chain client posts to: http(s), or CometBFT's own `tcp://host:port` spelling (treated as
 * http, as CometBFT's clients do). IPv6 hosts in brackets: `http://[fd12:3456:789a::1]:26657`.
 */
export function parseNodeUrl(s: string): string {
  const usage = (why: string): StartupError =>
    new StartupError(`--node must be the node's CometBFT RPC URL, e.g. http://127.0.0.1:26657 or http://[fd12::1]:26657; ${JSON.stringify(s)} ${why}`, { usage: true });
  if (/^(?:\[[^\]]*\]|[^/:[\]]*):\d+$/.test(s)) throw usage(`has no scheme (did you mean http://${s}?)`);
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw usage("is not a URL");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:" && u.protocol !== "tcp:") throw usage(`has scheme ${u.protocol.replace(/:$/, "")}: (use http, https or tcp)`);
  if (!u.hostname) throw usage("has no host");
  if (u.username || u.password) throw usage("carries credentials (not supported)");
  if (u.search || u.hash) throw usage("has a query or fragment");
  const scheme = u.protocol === "https:" ? "https" : "http";
  return `${scheme}://${u.host}${u.pathname === "/" ? "" : u.pathname}`;
}

function errnoCode(err: unknown): string | undefined {
  const c = (err as { code?: unknown }).code;
  return typeof c === "string" ? c : undefined;
}

/** The registry's config from defaults, the file, then the flags; every problem is a usage StartupError. */
export async function resolveConfig(o: ServeOptions, env: NodeJS.ProcessEnv = process.env): Promise<RegistryConfig> {
  try {
    let config = defaultConfig(env);
    if (o.defaultDataDir !== undefined) config = mergeConfig(config, { dataDir: o.defaultDataDir });
    if (o.configFile !== undefined) config = mergeConfig(config, await loadConfigFile(o.configFile));
    const flags: Record<string, unknown> = {};
    if (o.dataDir !== undefined) flags["dataDir"] = o.dataDir;
    if (o.listen !== undefined) Object.assign(flags, parseListen(o.listen));
    if (o.logFile !== undefined) flags["logFile"] = o.logFile;
    config = mergeConfig(config, flags);
    return config.storage === "filesystem" ? { ...config, dataDir: resolve(config.dataDir) } : config;
  } catch (err) {
    if (err instanceof ConfigError) throw new StartupError(err.message, { usage: true, cause: err });
    throw err;
  }
}

/**
 * The data directory must be writable, or creatable: an existing one gets a probe file written and removed (this
 * catches read-only file systems, which access() misses for root); a missing one needs a writable nearest parent.
 */
export async function assertWritableDir(dir: string): Promise<void> {
  const target = resolve(dir);
  const why = (err: unknown): string => {
    const code = errnoCode(err);
    const text: Record<string, string> = { EACCES: "permission denied", EPERM: "permission denied", EROFS: "read-only file system", ENOTDIR: "a component of the path is not a directory", ENOSPC: "no space left on the device" };
    return code === undefined ? (err as Error).message : `${text[code] ?? (err as Error).message} (${code})`;
  };
  const fail = (reason: string, err?: unknown): StartupError => {
    const code = err === undefined ? undefined : errnoCode(err);
    return new StartupError(`data directory ${dir} is not writable: ${reason}`, {
      hint: "give the service's user write access to it (chown), or pass --data DIR",
      ...(err === undefined ? {} : { cause: err }), ...(code === undefined ? {} : { code }),
    });
  };
  let p = target;
  for (;;) {
    let isDir: boolean;
    try {
      isDir = (await stat(p)).isDirectory();
    } catch (err) {
      if (errnoCode(err) !== "ENOENT") throw fail(why(err), err);
      const parent = dirname(p);
      if (parent === p) throw fail("no existing parent directory", err);
      p = parent;
      continue;
    }
    if (!isDir) throw fail(p === target ? "it is not a directory" : `${p} is not a directory`);
    break;
  }
  // A real write, not access(): root passes access() on read-only and pseudo file systems (/proc, /sys).
  const probe = join(p, `.trustnet-write-probe-${process.pid}`);
  try {
    if (p === target) {
      const fh = await open(probe, "wx", 0o600);
      await fh.close();
      await unlink(probe);
    } else {
      await mkdir(probe);
      await rmdir(probe);
    }
  } catch (err) {
    throw fail(p === target ? why(err) : `cannot create it in ${p}: ${why(err)}`, err);
  }
}

/** Why a listen on host:port failed, as a StartupError (the CLI adds which process holds a taken port). */
export function listenError(err: unknown, host: string, port: number): StartupError {
  const addr = formatListen(host, port);
  const code = errnoCode(err);
  const base = { code: code ?? "", port, cause: err };
  switch (code) {
    case "EADDRINUSE":
      return new StartupError(`cannot listen on ${addr}: port ${port} is already in use`, { ...base, hint: "stop the process that holds it, or pass --listen with another port" });
    case "EADDRNOTAVAIL":
      return new StartupError(`cannot listen on ${addr}: ${host} is not an address of this machine`, { ...base, hint: "use one of its addresses, or [::]:PORT / 0.0.0.0:PORT for every interface" });
    case "EACCES":
      return new StartupError(`cannot listen on ${addr}: permission denied`, { ...base, hint: "ports below 1024 need root or CAP_NET_BIND_SERVICE; use a port >= 1024" });
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new StartupError(`cannot listen on ${addr}: cannot resolve ${host}`, { ...base, hint: "use an IP address" });
    case "EAFNOSUPPORT":
      return new StartupError(`cannot listen on ${addr}: this machine has no ${host.includes(":") ? "IPv6" : "IPv4"} support`, base);
    default:
      return new StartupError(`cannot listen on ${addr}: ${(err as Error).message}`, base);
  }
}

/** Binds host:port once and lets go, so a taken port is reported before the registry writes anything. */
async function assertCanListen(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen({ host, port, exclusive: true }, () => s.close(() => res()));
  }).catch((err: unknown) => {
    throw listenError(err, host, port);
  });
}

async function readOwners(file: string): Promise<Record<string, string>> {
  try {
    const v: unknown = JSON.parse(await readFile(file, "utf8"));
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error("not a JSON object");
    return v as Record<string, string>;
  } catch (err) {
    throw new StartupError(`cannot use owners file ${file}: ${(err as Error).message}`, { usage: true, cause: err });
  }
}

/** Whether `operator` has registered a registry on the chain (MsgRecordTag is refused otherwise). */
async function operatorRegistered(rpc: CometRpc, operator: string): Promise<boolean> {
  const registries = await queryClients((p, d) => rpc.abciQuery(p, d)).registry.registries();
  return registries.some((x) => x.operator === operator);
}

/**
 * Reports the chain's reachability in the log, on every change: unreachable at start is normal (the registry VM may
 * boot before the node VM), so it retries with backoff and says when the chain answers. Once reachable, it checks
 * that the operator is a registered registry (else every tag record would be refused).
 */
function watchChain(rpc: CometRpc, log: Logger, operator: string | undefined, o: ServeOptions["chainWatch"] = {}): () => void {
  const minMs = o.minRetryMs ?? 1000;
  const maxMs = o.maxRetryMs ?? 30_000;
  const healthyMs = o.healthyEveryMs ?? 30_000;
  let state: "unknown" | "up" | "down" = "unknown";
  let delay = minMs;
  let operatorChecked = operator === undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async (): Promise<void> => {
    let next: number;
    try {
      const chainId = await rpc.chainId();
      if (stopped) return;
      if (state !== "up") log.info({ node: rpc.url, chainId }, state === "down" ? "chain reachable again" : "chain reachable");
      state = "up";
      delay = minMs;
      next = healthyMs;
      if (!operatorChecked && operator !== undefined) {
        const ok = await operatorRegistered(rpc, operator).catch(() => undefined);
        if (stopped) return;
        if (ok === false) log.warn({ operator, chainId }, "the operator key is not a registered registry on this chain: its tag records will be refused (register it with MsgRegisterRegistry)");
        operatorChecked = ok !== undefined;
      }
    } catch (err) {
      if (stopped) return;
      if (state !== "down") {
        log.warn({ node: rpc.url, err: (err as Error).message, retryInMs: delay },
          `chain not reachable${state === "up" ? " any more" : ""}; serving anyway (pulls work; pushes need the chain for namespace ownership), retrying`);
      }
      state = "down";
      next = delay;
      delay = Math.min(delay * 2, maxMs);
    }
    timer = setTimeout(() => void tick(), next);
    timer.unref();
  };
  void tick();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/**
 * Starts the registry: every check first (config, --node, operator key, data directory, port), so bad input
 * changes nothing; then storage, the chain wiring and the HTTP server. An unreachable chain is not an error.
 */
export async function startRegistryProcess(o: ServeOptions): Promise<RunningRegistry> {
  let config = await resolveConfig(o);
  const nodeUrl = o.chainRpc === undefined ? undefined : parseNodeUrl(o.chainRpc);
  let key: OperatorKey | undefined;
  if (o.operatorKeyFile !== undefined) {
    if (nodeUrl === undefined) throw new StartupError("an operator key needs the chain's RPC URL (--node / --chain-rpc)", { usage: true });
    try {
      key = await loadOperatorKey(o.operatorKeyFile, { trustedMount: o.operatorKeyTrustedMount === true });
    } catch (err) {
      throw new StartupError((err as Error).message, { hint: "the file is JSON {\"mnemonic\": \"…\"}, yours (or root's) with mode 0600 (the devnet writes one: <home>/devnet/registry-operator.json); nothing was started", cause: err });
    }
  }
  // A registry with an operator key is known by its operator address: login tokens must be made for it.
  if (key && config.service === "") config = { ...config, service: key.address };
  const owners = nodeUrl === undefined && o.ownersFile !== undefined ? await readOwners(o.ownersFile) : {};
  if (config.storage === "filesystem") await assertWritableDir(config.dataDir);
  await assertCanListen(config.host, config.port);

  const logger = o.logger ?? jsonLogger({ level: config.logLevel, base: { svc: "registry" } }, config.logFile ? pino.destination({ dest: config.logFile, mkdir: true, sync: true }) : pino.destination({ dest: 1, sync: true }));
  let deps: RegistryDeps;
  let submitter: ChainTagSubmitter | undefined;
  let stopWatch = (): void => undefined;
  if (nodeUrl !== undefined) {
    const rpc = new CometRpc(nodeUrl);
    if (key) {
      submitter = new ChainTagSubmitter({ rpc, key, queueFile: tagQueueFiles(config.dataDir).journal, logger, maxQueued: config.maxQueuedTagRecords, maxQueuedPerNamespace: config.maxQueuedTagRecordsPerNamespace });
      logger.info({ operator: key.address, node: rpc.url }, "recording tags on chain");
    } else {
      logger.warn({ node: rpc.url, ...(o.noOperatorKeyHint ? { hint: o.noOperatorKeyHint } : {}) },
        "no operator key: namespace ownership is checked on chain, but pushed tags are NOT recorded on chain");
    }
    // /health answers within a few seconds even when the node's address does not answer at all.
    deps = { owners: new ChainNamespaceOwners(rpc, 3000, key?.address), chainProbe: chainProbe(new CometRpc(nodeUrl, 3000)), logger, ...(submitter ? { tagRecorder: submitter } : {}) };
    stopWatch = watchChain(rpc, logger, key?.address, o.chainWatch);
  } else {
    deps = { owners: new InMemoryNamespaceOwners(owners), logger };
  }
  const metrics = o.metricsListen !== undefined ? new RegistryMetrics() : undefined;
  let metricsServer: Server | undefined;
  let registry: Registry;
  try {
    if (metrics && o.metricsListen !== undefined) {
      const { host, port } = parseListen(o.metricsListen);
      metricsServer = await metrics.listen(host, port).catch((err: unknown) => { throw listenError(err, host, port); });
      deps = { ...deps, metrics };
    }
    registry = await createRegistry(config, deps);
  } catch (err) {
    stopWatch();
    submitter?.close();
    metricsServer?.close();
    const syscall = (err as { syscall?: unknown }).syscall;
    if (syscall === "listen") throw listenError(err, config.host, config.port);
    if (typeof syscall === "string") throw new StartupError(`cannot start the registry: ${(err as Error).message}`, { cause: err, code: errnoCode(err) ?? "" });
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    registry, config, logger,
    operator: key?.address,
    pendingRecords: () => submitter?.pending ?? 0,
    close: () => {
      closing ??= (async (): Promise<void> => {
        stopWatch();
        metricsServer?.close();
        await Promise.all([registry.close(), submitter?.stop()]);
        logger.info({ pendingRecords: submitter?.pending ?? 0 }, "registry stopped");
        logger.flush();
      })();
      return closing;
    },
  };
}

/**
 * Waits for SIGTERM or SIGINT (systemd, OpenRC, Ctrl-C), then closes the registry and resolves with the signal.
 * A second signal while closing exits at once with status 1.
 */
export function stopOnSignals(running: RunningRegistry, signals: readonly NodeJS.Signals[] = ["SIGTERM", "SIGINT"]): Promise<NodeJS.Signals> {
  return new Promise((res, rej) => {
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals): void => {
      if (stopping) {
        running.logger.warn({ signal: sig }, "second signal while stopping: exiting now");
        process.exit(1);
      }
      stopping = true;
      running.logger.info({ signal: sig }, "registry stopping");
      running.close().then(() => res(sig), rej);
    };
    for (const s of signals) process.on(s, onSignal);
  });
}
