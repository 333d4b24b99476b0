// Test helper: run the REAL CometBFT binary against an ABCI app, with a throwaway home and free loopback ports.
// Reusable by every end-to-end test that needs a chain (`startCometbft`, `waitForHeight`, `cometRpc`, `freePort`).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CometRpc } from "@trustnet/abci-app";

const INSTALL_HINT =
  "CometBFT v0.38.x is required on PATH for end-to-end tests. Install it with `sh scripts/prereqs.sh` " +
  "(builds it into ~/.cache/trustnet-test/bin) and run with PATH=$HOME/.cache/trustnet-test/bin:$PATH, or use `npm test`.";

/** Path of the cometbft binary on PATH; throws with install instructions when it is missing or not v0.38. */
export function cometbftBinary(): string {
  const r = spawnSync("cometbft", ["version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) throw new Error(`cometbft not found or not runnable (${r.error?.message ?? r.stderr}). ${INSTALL_HINT}`);
  const version = r.stdout.trim();
  if (!version.startsWith("0.38.")) throw new Error(`cometbft ${version} on PATH, but ABCI 2.0 tests need v0.38.x. ${INSTALL_HINT}`);
  return "cometbft";
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      const port = typeof a === "object" && a ? a.port : 0;
      srv.close(() => { resolve(port); });
    });
  });
}

/** Sets `key = value` in `[section]` (null = the top level) of a TOML text; throws if the key is not there. */
export function setTomlKey(text: string, section: string | null, key: string, value: string | number | boolean): string {
  const lines = text.split("\n");
  let current: string | null = null;
  const rendered = typeof value === "string" ? JSON.stringify(value) : String(value);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? "";
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (header) { current = header[1] ?? null; continue; }
    if (current === section && new RegExp(`^\\s*${key.replace(/[.]/g, "\\.")}\\s*=`).test(line)) {
      lines[i] = `${key} = ${rendered}`;
      return lines.join("\n");
    }
  }
  throw new Error(`config.toml has no key ${key} in ${section === null ? "the top level" : `[${section}]`}`);
}

export interface CometbftPorts {
  readonly rpc: number;
  readonly p2p: number;
}

export interface StartCometbftOptions {
  /**
   * An empty (or missing) directory, which `cometbft init` fills. A home that already has config/config.toml is
   * reused as is (a restart: no init, no genesis edit; config.toml edits are applied again).
   */
  readonly home: string;
  /** Where the ABCI app listens, e.g. tcp://127.0.0.1:41873 or unix:///tmp/x.sock. */
  readonly proxyApp: string;
  readonly abci: "socket" | "grpc";
  /** Free ports are picked when omitted. */
  readonly ports?: Partial<CometbftPorts>;
  /** Genesis chain id; default trustnet-local-1. */
  readonly chainId?: string;
  /** consensus.timeout_commit; default 200ms. */
  readonly timeoutCommit?: string;
  /** Extra config.toml edits: [section (null = top level), key, value]. */
  readonly config?: readonly (readonly [string | null, string, string | number | boolean])[];
  /** Genesis edit hook (e.g. to set app_state). */
  readonly editGenesis?: (genesis: Record<string, unknown>) => void;
}

export interface CometbftNode {
  readonly rpcUrl: string;
  readonly ports: CometbftPorts;
  readonly home: string;
  readonly logPath: string;
  readonly process: ChildProcess;
  /** Last `lines` lines of CometBFT's log, for failure messages. */
  logTail(lines?: number): string;
  /** Waits for `height`; on failure the error carries the exit status and the log tail. */
  waitForHeight(height: number, timeoutMs: number): Promise<number>;
  /** Resolves when the CometBFT process has exited, for whatever reason. */
  readonly exited: Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s; resolves when the process is gone. Idempotent. */
  stop(): Promise<void>;
}

/**
 * `cometbft init` in `home` (unless it exists), points config.toml at the app, starts `cometbft start`.
 * Logs are appended to home/cometbft.log.
 */
export async function startCometbft(opts: StartCometbftOptions): Promise<CometbftNode> {
  const bin = cometbftBinary();
  const configPath = join(opts.home, "config", "config.toml");
  const fresh = !existsSync(configPath);
  if (fresh) {
    const init = spawnSync(bin, ["init", "--home", opts.home], { encoding: "utf8" });
    if (init.status !== 0) throw new Error(`cometbft init --home ${opts.home} failed: ${init.stderr}${init.stdout}`);
  }
  const ports: CometbftPorts = { rpc: opts.ports?.rpc ?? (await freePort()), p2p: opts.ports?.p2p ?? (await freePort()) };

  let config = readFileSync(configPath, "utf8");
  const edits: (readonly [string | null, string, string | number | boolean])[] = [
    // CometBFT v0.38.25's gRPC client rejects "tcp://host:port" (grpc.NewClient target parsing): pass host:port.
    [null, "proxy_app", opts.abci === "grpc" ? opts.proxyApp.replace(/^tcp:\/\//, "") : opts.proxyApp],
    [null, "abci", opts.abci],
    [null, "moniker", "trustnet-test"],
    ["rpc", "laddr", `tcp://127.0.0.1:${ports.rpc}`],
    ["p2p", "laddr", `tcp://127.0.0.1:${ports.p2p}`],
    ["consensus", "timeout_commit", opts.timeoutCommit ?? "200ms"],
    ...(opts.config ?? []),
  ];
  for (const [section, key, value] of edits) config = setTomlKey(config, section, key, value);
  writeFileSync(configPath, config);

  if (fresh) {
    const genesisPath = join(opts.home, "config", "genesis.json");
    const genesis = JSON.parse(readFileSync(genesisPath, "utf8")) as Record<string, unknown>;
    genesis.chain_id = opts.chainId ?? "trustnet-local-1";
    opts.editGenesis?.(genesis);
    writeFileSync(genesisPath, JSON.stringify(genesis, null, 2));
  }

  const logPath = join(opts.home, "cometbft.log");
  const fd = openSync(logPath, "a");
  const child = spawn(bin, ["start", "--home", opts.home], { stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const killOnExit = (): void => { child.kill("SIGKILL"); };
  process.once("exit", killOnExit);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => { process.off("exit", killOnExit); resolve(); });
    child.once("error", (err) => { appendFileSync(logPath, `spawn failed: ${err.message}\n`); resolve(); });
  });
  const rpcUrl = `http://127.0.0.1:${ports.rpc}`;

  const logTail = (lines = 40): string => {
    try {
      return readFileSync(logPath, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "(no log)";
    }
  };
  let stopping: Promise<void> | undefined;
  return {
    rpcUrl, ports, home: opts.home, logPath, process: child, logTail, exited,
    async waitForHeight(height: number, timeoutMs: number): Promise<number> {
      try {
        return await new CometRpc(rpcUrl, 5000).waitForHeight(height, { timeoutMs, pollMs: 100, gaveUp: () => child.exitCode !== null || child.signalCode !== null });
      } catch (err) {
        const state = child.exitCode !== null || child.signalCode !== null
          ? `cometbft exited (code ${String(child.exitCode)}, signal ${String(child.signalCode)})` : "cometbft still running";
        throw new Error(`${(err as Error).message}; ${state}; log ${logPath}, last lines:\n${logTail()}`, { cause: err });
      }
    },
    stop(): Promise<void> {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill("SIGTERM");
        const done = await Promise.race([exited.then(() => true), sleep(5000, false, { ref: false })]);
        if (!done) {
          child.kill("SIGKILL");
          await exited;
        }
      })();
      return stopping;
    },
  };
}

/** One JSON-RPC call to CometBFT through the chain client; throws on transport or RPC errors. */
export const cometRpc = <T>(rpcUrl: string, method: string, params: Record<string, unknown> = {}): Promise<T> => new CometRpc(rpcUrl, 5000).call<T>(method, params);

/** The latest block height from /status. */
export const latestHeight = (rpcUrl: string): Promise<number> => new CometRpc(rpcUrl, 5000).height();
