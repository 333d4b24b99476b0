// The Cosmos SDK anchor for the throughput benchmarks: a `simd` binary (the ibc-go v8.8.0 test simapp on Cosmos SDK
// v0.50.15, CometBFT 0.38 in-process) built from the Go module proxy into a cache outside the repository, and a
// single-validator chain run from a throwaway home. No simd code is kept in this repository: the build module's
// main.go is copied at run time from the Go module cache (`go mod download github.com/cosmos/ibc-go/v8@v8.8.0`).
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { accessSync, constants, copyFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { setTomlKeys } from "../../cli/src/devnet/toml.ts";
import { waitForHeight } from "./chain-ready.ts";

const run = promisify(execFile);

export const SDK_VERSION = "v0.50.15";
export const IBC_GO_VERSION = "v8.8.0";
/** The Cosmos SDK v0.50 go.mod's replace directives that point at other modules (the relative ones are dropped). */
export const SDK_REPLACES: readonly (readonly [string, string])[] = [
  ["github.com/99designs/keyring", "github.com/cosmos/keyring v1.2.0"],
  ["github.com/dgrijalva/jwt-go", "github.com/golang-jwt/jwt/v4 v4.4.2"],
  ["github.com/gin-gonic/gin", "github.com/gin-gonic/gin v1.9.1"],
  ["github.com/syndtr/goleveldb", "github.com/syndtr/goleveldb v1.0.1-0.20210819022825-2ae1ddf74ef7"],
];

/** The go.mod of the throwaway build module (pure; its text holds no simd code, only module requirements). */
export function simdGoMod(): string {
  return [
    "module trustnet.invalid/bench-simd",
    "",
    "go 1.22",
    "",
    "require (",
    `\tgithub.com/cosmos/cosmos-sdk ${SDK_VERSION}`,
    `\tgithub.com/cosmos/ibc-go/v8 ${IBC_GO_VERSION}`,
    ")",
    "",
    "replace (",
    ...SDK_REPLACES.map(([from, to]) => `\t${from} => ${to}`),
    ")",
    "",
  ].join("\n");
}

export function simdCacheDir(): string {
  return process.env.TRUSTNET_BENCH_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "trustnet-bench", "simd");
}

async function streamed(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, log: (l: string) => void): Promise<void> {
  const p = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const tail: string[] = [];
  for (const s of [p.stdout, p.stderr]) {
    createInterface({ input: s }).on("line", (l) => {
      tail.push(l);
      if (tail.length > 30) tail.shift();
      log(l);
    });
  }
  const code = await new Promise<number | null>((res) => p.once("close", res));
  if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${code}):\n${tail.join("\n")}`);
}

/**
 * The `go` to build simd with: the one on PATH, else the toolchain `npm test`'s prerequisites installed when the
 * machine had none (scripts/lib/go-env.sh links it into $TRUSTNET_TEST_BIN, default ~/.cache/trustnet-test/bin).
 */
export function goCommand(env: NodeJS.ProcessEnv = process.env): string {
  const testBin = env.TRUSTNET_TEST_BIN ?? join(env.HOME ?? homedir(), ".cache", "trustnet-test", "bin");
  for (const dir of [...(env.PATH ?? "").split(delimiter).filter(Boolean), testBin]) {
    try {
      accessSync(join(dir, "go"), constants.X_OK);
      return join(dir, "go");
    } catch {
      // not here
    }
  }
  throw new Error(`building simd needs Go >= 1.22: no go on PATH or in ${testBin}; run \`sh scripts/prereqs.sh --only 10-cometbft\` (it installs the pinned Go toolchain there when the machine has none) or install Go`);
}

/**
 * The path of a built simd, building it on first use (about 3 minutes and 1.6 GB cold). The binary lives in
 * `~/.cache/trustnet-bench/simd/<sdk>-<ibc-go>/simd`; a half-built one is never left under that name.
 */
export async function ensureSimd(log: (line: string) => void): Promise<string> {
  const dir = join(simdCacheDir(), `${SDK_VERSION}-ibc-go-${IBC_GO_VERSION}`);
  const bin = join(dir, "simd");
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), "trustnet-simd-build-"));
  const go = goCommand();
  const env = { ...process.env, GOFLAGS: "-mod=mod", GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? "local" };
  try {
    log(`building simd (Cosmos SDK ${SDK_VERSION}, ibc-go ${IBC_GO_VERSION} testing/simapp) in ${work}; cold: ~3 min, 1.6 GB`);
    const { stdout } = await run(go, ["mod", "download", "-json", `github.com/cosmos/ibc-go/v8@${IBC_GO_VERSION}`], { cwd: work, env });
    const modDir = (JSON.parse(stdout) as { Dir?: string }).Dir;
    if (!modDir) throw new Error(`go mod download gave no directory for ibc-go ${IBC_GO_VERSION}`);
    writeFileSync(join(work, "go.mod"), simdGoMod());
    copyFileSync(join(modDir, "testing", "simapp", "simd", "main.go"), join(work, "main.go"));
    chmodSync(join(work, "main.go"), 0o644);
    await streamed(go, ["mod", "tidy"], work, env, (l) => log(`  go mod tidy: ${l}`));
    let lines = 0;
    await streamed(go, ["build", "-o", `${bin}.tmp`, "."], work, env, (l) => { if (++lines % 20 === 1) log(`  go build: ${l}`); });
    renameSync(`${bin}.tmp`, bin);
    log(`simd built: ${bin}`);
    return bin;
  } finally {
    rmSync(work, { recursive: true, force: true });
    rmSync(`${bin}.tmp`, { force: true });
  }
}

export interface SimdPorts { readonly rpc: number; readonly p2p: number; readonly grpc: number; readonly metrics: number; /** Go pprof (`rpc.pprof_laddr`), bench profiling only. */ readonly pprof?: number }
export interface SimdChain { readonly home: string; readonly rpc: string; readonly cometMetrics: string; readonly chainId: string; readonly denom: string; stop(): Promise<void>; readonly pid: number }

interface GenesisDoc {
  app_state: {
    auth: { accounts: { "@type": string; address: string; pub_key: null; account_number: string; sequence: string }[] };
    bank: { balances: { address: string; coins: { denom: string; amount: string }[] }[]; supply: { denom: string; amount: string }[] };
  };
}

/** Adds funded base accounts to a simd genesis (pure): numbered after the existing ones; supply kept consistent. */
export function fundSimdGenesis(g: GenesisDoc, addresses: readonly string[], denom: string, amount: bigint): GenesisDoc {
  const accounts = g.app_state.auth.accounts;
  let next = accounts.reduce((m, a) => Math.max(m, Number(a.account_number) + 1), 0);
  for (const address of addresses) {
    if (accounts.some((a) => a.address === address)) throw new Error(`genesis already has ${address}`);
    accounts.push({ "@type": "/cosmos.auth.v1beta1.BaseAccount", address, pub_key: null, account_number: String(next++), sequence: "0" });
    g.app_state.bank.balances.push({ address, coins: [{ denom, amount: String(amount) }] });
  }
  const supply = g.app_state.bank.supply;
  if (supply.length > 0) {
    const s = supply.find((c) => c.denom === denom);
    const add = amount * BigInt(addresses.length);
    if (s) s.amount = String(BigInt(s.amount) + add);
    else supply.push({ denom, amount: String(add) });
  }
  return g;
}

/**
 * Initialises and starts a one-validator simd chain in `home` with CometBFT listening on loopback `ports`,
 * `timeout_commit`, a mempool of `mempoolSize` txs, and `accounts` funded in genesis; resolves when height 2 exists.
 */
export async function startSimdChain(o: {
  simd: string; home: string; chainId: string; ports: SimdPorts; timeoutCommit: string; mempoolSize: number;
  accounts: readonly string[]; log: (line: string) => void;
}): Promise<SimdChain> {
  const denom = "stake";
  const h = ["--home", o.home];
  const kr = ["--keyring-backend", "test"];
  await run(o.simd, ["init", "bench", "--chain-id", o.chainId, "--default-denom", denom, ...h]);
  await run(o.simd, ["keys", "add", "val", ...kr, ...h]);
  await run(o.simd, ["genesis", "add-genesis-account", "val", `1000000000000000${denom}`, ...kr, ...h]);
  await run(o.simd, ["genesis", "gentx", "val", `1000000000000${denom}`, "--chain-id", o.chainId, ...kr, ...h]);
  await run(o.simd, ["genesis", "collect-gentxs", ...h]);
  const gfile = join(o.home, "config", "genesis.json");
  const g = fundSimdGenesis(JSON.parse(readFileSync(gfile, "utf8")) as GenesisDoc, o.accounts, denom, 1_000_000_000_000n);
  writeFileSync(gfile, JSON.stringify(g));
  const cfg = join(o.home, "config", "config.toml");
  writeFileSync(cfg, setTomlKeys(readFileSync(cfg, "utf8"), [
    ["rpc", "laddr", `tcp://127.0.0.1:${o.ports.rpc}`],
    ["rpc", "pprof_laddr", o.ports.pprof === undefined ? "" : `127.0.0.1:${o.ports.pprof}`],
    ["p2p", "laddr", `tcp://127.0.0.1:${o.ports.p2p}`],
    ["consensus", "timeout_commit", o.timeoutCommit],
    ["mempool", "size", o.mempoolSize],
    ["tx_index", "indexer", "kv"],
    // The same CometBFT metrics as the other chains' (TrustNet's devnet turns them on), on loopback.
    ["instrumentation", "prometheus", true],
    ["instrumentation", "prometheus_listen_addr", `127.0.0.1:${o.ports.metrics}`],
  ]));
  const out = openSync(join(o.home, "simd.log"), "a");
  const child: ChildProcess = spawn(o.simd, ["start", ...h, "--minimum-gas-prices", `0${denom}`, "--grpc.address", `127.0.0.1:${o.ports.grpc}`, "--api.enable=false", "--log_level", "warn"], { stdio: ["ignore", out, out] });
  closeSync(out);
  const rpc = `http://127.0.0.1:${o.ports.rpc}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(t);
  };
  const log = join(o.home, "simd.log");
  try {
    await waitForHeight(rpc, 2, 120_000, () => child.exitCode === null ? undefined : `simd exited (${child.exitCode}); see ${log}:\n${readFileSync(log, "utf8").slice(-2000)}`);
  } catch (err) {
    await stop();
    throw err;
  }
  o.log(`simd chain ${o.chainId} up: rpc ${rpc}, pid ${child.pid}`);
  return { home: o.home, rpc, cometMetrics: `http://127.0.0.1:${o.ports.metrics}/metrics`, chainId: o.chainId, denom, stop, pid: child.pid! };
}
