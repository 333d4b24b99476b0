// Starts a real devnet (the `trustnet` CLI, the real CometBFT binary, the real app processes) in a temporary home.
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { CometRpc } from "@trustnet/abci-app";
import { ephemeralPortRange } from "@trustnet/installer";
import { devnetLayout, portsFor } from "../../cli/src/devnet/layout.ts";
import { setTomlKeys } from "../../cli/src/devnet/toml.ts";

const run = promisify(execFile);
export const REPO = new URL("../../", import.meta.url).pathname;
export const CLI = join(REPO, "cli/bin/trustnet.js");

export interface Devnet {
  readonly home: string;
  readonly rpc: string;
  readonly faucet: { readonly address: string; readonly mnemonic: string };
  /** Runs `trustnet <args> --home <home>`; rejects on a non-zero exit with stderr in the message. */
  cli(args: readonly string[], opts?: { env?: NodeJS.ProcessEnv; input?: string }): Promise<{ stdout: string; stderr: string }>;
  cliJson<T = Record<string, unknown>>(args: readonly string[]): Promise<T>;
  log(name: string): string;
  down(): Promise<void>;
  /** down() and delete the home (unless TRUSTNET_KEEP_TEST_HOME is set). */
  destroy(): Promise<void>;
}

export interface DevnetOptions {
  readonly validators?: number;
  readonly portOffset?: number;
  readonly blockTime?: string;
  /** Default: the CLI's (DEFAULT_ABCI_TRANSPORT). */
  readonly transport?: "socket" | "grpc";
  readonly appArgs?: readonly string[];
  /** Staking unbonding period written to genesis (e.g. "20s"). */
  readonly unbondingTime?: string;
  /** More `devnet up` flags (e.g. --monitoring). */
  readonly upArgs?: readonly string[];
  /** Environment for `devnet up` (and so for the supervisor it starts). */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Changes to the generated CometBFT homes before the chain's first start: the devnet is then written with
   * `devnet generate`, edited, and started with `devnet up` (so `up`-only flags for new devnets in `upArgs`, such as
   * --inflation, do not apply).
   */
  readonly comet?: CometTuning;
}

export interface CometTuning {
  /** Genesis `consensus_params.block.max_gas` ("-1": no block gas limit, as simd). */
  readonly maxGas?: string;
  /** config.toml keys, e.g. ["mempool", "size", 20000]. */
  readonly config?: readonly (readonly [section: string, key: string, value: string | number | boolean])[];
}

/** Applies `t` to every node of the devnet generated in `home` (the same genesis everywhere). */
function tuneComet(home: string, validators: number, t: CometTuning): void {
  for (let i = 0; i < validators; i++) {
    const cfg = join(devnetLayout(home).node(i).cometHome, "config");
    if (t.config) writeFileSync(join(cfg, "config.toml"), setTomlKeys(readFileSync(join(cfg, "config.toml"), "utf8"), t.config));
    if (t.maxGas !== undefined) {
      const genesis = JSON.parse(readFileSync(join(cfg, "genesis.json"), "utf8")) as { consensus_params: { block: { max_gas: string } } };
      genesis.consensus_params.block.max_gas = t.maxGas;
      writeFileSync(join(cfg, "genesis.json"), JSON.stringify(genesis, null, 2) + "\n");
    }
  }
}

/**
 * Refuses a test devnet whose ports reach into the kernel's ephemeral range: any outgoing connection on the machine
 * may hold such a port when `devnet up` checks it, which makes the test fail by chance (it did, at offset 7000).
 */
async function assertBelowEphemeral(validators: number, offset: number): Promise<void> {
  const range = await ephemeralPortRange();
  const last = portsFor(validators - 1, 0);
  const highest = Math.max(last.p2p, last.rpc, last.abci, last.rest ?? 0, last.metrics ?? 0); // the highest port at offset 0
  if (range !== undefined && highest + offset >= range.low) {
    throw new Error(`test devnet: portOffset ${offset} with ${validators} validator(s) puts port ${highest + offset} in the ephemeral range ${range.low}-${range.high}; pick an offset of at most ${range.low - 1 - highest}`);
  }
}

export async function startDevnet(o: DevnetOptions = {}): Promise<Devnet> {
  await assertBelowEphemeral(o.validators ?? 1, o.portOffset ?? 0);
  const home = mkdtempSync(join(tmpdir(), "trustnet-devnet-"));
  const cli = async (args: readonly string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<{ stdout: string; stderr: string }> => {
    try {
      return await run(process.execPath, [CLI, ...args, "--home", home], { env: { ...process.env, ...opts.env }, maxBuffer: 64 << 20 });
    } catch (err) {
      const e = err as { stderr?: string; stdout?: string; message: string };
      throw new Error(`trustnet ${args.join(" ")} failed: ${e.stderr || e.message}`, { cause: err });
    }
  };
  const up = [
    "devnet", "up", "--validators", String(o.validators ?? 1), "--block-time", o.blockTime ?? "300ms",
    "--port-offset", String(o.portOffset ?? 0), ...(o.transport ? ["--transport", o.transport] : []), "--timeout", "120",
    ...(o.appArgs ?? ["--check-invariants"]).map((a) => `--app-arg=${a}`), ...(o.upArgs ?? []),
    ...(o.unbondingTime ? ["--unbonding-time", o.unbondingTime] : []),
  ];
  try {
    if (o.comet) {
      const same = ["--validators", String(o.validators ?? 1), "--block-time", o.blockTime ?? "300ms", "--port-offset", String(o.portOffset ?? 0), ...(o.transport ? ["--transport", o.transport] : [])];
      await cli(["devnet", "generate", ...same, ...(o.unbondingTime ? ["--unbonding-time", o.unbondingTime] : [])]);
      tuneComet(home, o.validators ?? 1, o.comet);
    }
    await cli(up, { env: o.env ?? {} });
  } catch (err) {
    spawnSync(process.execPath, [CLI, "devnet", "down", "--home", home]);
    throw err;
  }
  const manifest = JSON.parse(readFileSync(join(home, "devnet", "devnet.json"), "utf8")) as { nodes: { ports: { rpc: number } }[] };
  const faucet = JSON.parse(readFileSync(join(home, "devnet", "faucet.json"), "utf8")) as { address: string; mnemonic: string };
  const down = async (): Promise<void> => {
    await cli(["devnet", "down"]).catch(() => undefined);
  };
  return {
    home,
    rpc: `http://127.0.0.1:${manifest.nodes[0]?.ports.rpc}`,
    faucet,
    cli,
    async cliJson<T>(args: readonly string[]): Promise<T> {
      return JSON.parse((await cli([...args, "--output", "json"])).stdout) as T;
    },
    log: (name) => {
      try {
        return readFileSync(join(home, "logs", name), "utf8");
      } catch {
        return "";
      }
    },
    down,
    async destroy() {
      await down();
      if (!process.env.TRUSTNET_KEEP_TEST_HOME) rmSync(home, { recursive: true, force: true });
    },
  };
}

/** One CometBFT RPC call written as its URI form (`status`, `block?height=3`), through the chain client. */
export async function rpc<T = Record<string, unknown>>(base: string, path: string): Promise<T> {
  const [method = "", query = ""] = path.split("?");
  return new CometRpc(base, 5000).call<T>(method, Object.fromEntries(new URLSearchParams(query)));
}

export const height = (base: string): Promise<number> => new CometRpc(base, 5000).height();

export const waitForHeight = (base: string, h: number, timeoutMs = 60_000): Promise<number> => new CometRpc(base, 5000).waitForHeight(h, { timeoutMs });

export function supervisorState(home: string): { supervisorPid: number; pairs: { index: number; appPid?: number; cometPid?: number; restarts: number }[] } {
  return JSON.parse(readFileSync(join(home, "run", "devnet-state.json"), "utf8")) as never;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
