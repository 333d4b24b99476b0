// `npm run bench -- abci [--seconds 20] [--concurrency 32]`: what our ABCI path costs, before signatures.
// Runs a single-node devnet twice with the same generated CometBFT config and the same load from our generator
// over broadcast_tx_sync: (1) the TrustNet app with its no-op tx type, (2) CometBFT's built-in kvstore app.
import { spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { findCometbft } from "../cli/src/devnet/cometbft-bin.ts";
import { devnetDown, devnetUp } from "../cli/src/devnet/control.ts";
import { generateDevnet } from "../cli/src/devnet/generate.ts";
import { setTomlKey } from "../cli/src/devnet/toml.ts";
import { type LoadResult, runLoad, waitForHeight } from "./lib/loadgen.ts";

const BLOCK_TIME = "1s";
const pad = "x".repeat(180);
// Valid for both apps: kvstore stores key:value (exactly one colon, no "="); TrustNet's bench mode accepts `noop:` txs unsigned.
const makeTx = (run: string) => (i: number): Uint8Array => new TextEncoder().encode(`noop:${run}-${i}-${pad}`);

function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0);
}

function row(name: string, r: LoadResult): string {
  const tps = r.committed / r.seconds;
  return `${name.padEnd(26)} ${tps.toFixed(0).padStart(9)} ${String(r.committed).padStart(10)} ${String(r.endHeight - r.startHeight).padStart(7)} ${pct(r.latenciesMs, 50).toFixed(1).padStart(8)} ${pct(r.latenciesMs, 99).toFixed(1).padStart(8)} ${String(r.rejected + r.errors).padStart(8)}`;
}

async function withTrustnet(seconds: number, concurrency: number, transport: "socket" | "grpc"): Promise<LoadResult> {
  const home = mkdtempSync(join(tmpdir(), "bench-abci-trustnet-"));
  try {
    process.stderr.write(`[1/2] TrustNet app (no-op txs, ${transport} ABCI): starting a devnet…\n`);
    const up = await devnetUp({ home, validators: 1, blockTime: BLOCK_TIME, transport, timeoutMs: 120_000, portOffset: 6000, appArgs: ["--bench-noop-txs"], log: () => undefined });
    const rpc = `http://127.0.0.1:${up.manifest.nodes[0]?.ports.rpc}`;
    await waitForHeight(rpc, 2);
    process.stderr.write(`      load for ${seconds}s, ${concurrency} in flight\n`);
    return await runLoad({ rpc, seconds, concurrency, makeTx: makeTx("t"), onProgress: (l) => process.stderr.write(l + "\n") });
  } finally {
    await devnetDown(home);
    rmSync(home, { recursive: true, force: true });
  }
}

async function withKvstore(seconds: number, concurrency: number): Promise<LoadResult> {
  const home = mkdtempSync(join(tmpdir(), "bench-abci-kvstore-"));
  const cometbft = findCometbft(home);
  process.stderr.write("[2/2] CometBFT built-in kvstore: starting…\n");
  const m = await generateDevnet({ home, validators: 1, cometbft, blockTime: BLOCK_TIME, portOffset: 6100 });
  const cometHome = join(home, "devnet", "node0", "cometbft");
  const cfg = join(cometHome, "config", "config.toml");
  writeFileSync(cfg, setTomlKey(readFileSync(cfg, "utf8"), "", "proxy_app", "kvstore"));
  const log = openSync(join(home, "cometbft.log"), "a");
  const p = spawn(cometbft, ["start", "--home", cometHome], { stdio: ["ignore", log, log] });
  try {
    const rpc = `http://127.0.0.1:${m.nodes[0]?.ports.rpc}`;
    await waitForHeight(rpc, 2);
    process.stderr.write(`      load for ${seconds}s, ${concurrency} in flight\n`);
    return await runLoad({ rpc, seconds, concurrency, makeTx: makeTx("k"), onProgress: (l) => process.stderr.write(l + "\n") });
  } finally {
    p.kill("SIGTERM");
    await new Promise((r) => p.once("exit", r));
    rmSync(home, { recursive: true, force: true });
  }
}

export async function run(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...args], options: { seconds: { type: "string", default: "20" }, concurrency: { type: "string", default: "32" }, transport: { type: "string", default: "socket" } } });
  const transport = values.transport === "grpc" ? "grpc" : "socket";
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const ours = await withTrustnet(seconds, concurrency, transport);
  const kv = await withKvstore(seconds, concurrency);
  console.log(`\nABCI path benchmark: single node, timeout_commit ${BLOCK_TIME}, ${seconds}s of load, ${concurrency} broadcast_tx_sync in flight, ~200-byte txs`);
  console.log(`${"app".padEnd(26)} ${"tx/s".padStart(9)} ${"committed".padStart(10)} ${"blocks".padStart(7)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"refused".padStart(8)}`);
  console.log(row(`trustnet no-op (${transport})`, ours));
  console.log(row("cometbft kvstore (anchor)", kv));
  const ratio = ours.committed / ours.seconds / (kv.committed / kv.seconds);
  console.log(`\nratio trustnet / kvstore: ${ratio.toFixed(2)}x  (p50/p99 are broadcast_tx_sync round trips, i.e. CheckTx latency)`);
}
