// `npm run bench -- state-growth [--accounts 1000000] [--checkpoints 10000,100000,1000000] [--txs 1000] [--blocks 5] [--inline-checkpoint]
//                                  [--load-block 100000] [--big-txs 69905] [--no-big] [--db FILE]`
// How the per-block cost and the app's memory grow with the state: builds an account state in the state store with
// the app's own key layout (auth/a/<address> → BaseAccount, bank/b/<len|address>utrust → balance), through the real
// store API (stage + commit, so the real tree and the real SQLite rows), in blocks of --load-block accounts. At each
// checkpoint a fresh process started exactly as the app is (the V8 flags of abci-app/src/app-argv.ts, the app's
// module graph loaded, the store opened with the app's options and pragmas) runs --blocks blocks of --txs bank sends
// each (sender account sequence, sender and recipient balances, fee collector: the writes a MsgSend makes) and
// reports the app-hash time (store.stage), the commit time (SQLite write), the background WAL checkpoint's time, the
// tree rows stage() read per written key and the WAL pages each commit wrote (counts: the O(log n) law without
// cache or machine-load effects), its RSS and peak RSS. At the last
// checkpoint another such process runs the largest block the chain admits: --big-txs sends (CometBFT's block
// max_bytes of 312-byte send txs), proving the heap cap holds it. The goal (issue 15, P6): RSS ≤ 300 MB at 1M
// accounts; per-block cost O(changes · log n), not O(n). `--db FILE` builds into FILE and keeps it (a later run with the
// same FILE starts from the accounts it holds), so the 1M state is built once.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { getHeapStatistics } from "node:v8";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { StateStore, toHex, type Value } from "../abci-app/src/store/index.ts";
import { accountKey } from "../abci-app/src/modules/auth/keys.ts";
import { balanceKey } from "../abci-app/src/modules/bank/keys.ts";
import { percentile } from "./lib/chain-load.ts";
import { prng } from "./lib/report.ts";
import { DENOM } from "@trustnet/abci-app";
import { APP_NODE_FLAGS } from "../abci-app/src/app-argv.ts";
import { SigVerifyPool } from "../abci-app/src/modules/auth/index.ts";

/** CometBFT's default block.max_bytes (21 MiB) over a cosmjs MsgSend TxRaw (312 bytes, +3 bytes of framing). */
const BLOCK_MAX_BYTES = 22_020_096;
const SEND_TX_BYTES = 312 + 3;
const MB = 2 ** 20;

const enc = new TextEncoder();
/** The 20-byte address of account `i` (deterministic). */
export function addressOf(i: number): Uint8Array {
  const a = new Uint8Array(20);
  new DataView(a.buffer).setUint32(0, i);
  a.set(enc.encode("trustnet-bench-a"), 4); // the other 16 bytes
  return a;
}
const FEE_COLLECTOR = new Uint8Array(20).fill(0xfe);
const pubkey = (i: number): Uint8Array => { const p = new Uint8Array(33); p[0] = 2; new DataView(p.buffer).setUint32(1, i); return p; };

function account(i: number, sequence: bigint): Uint8Array {
  return BaseAccount.encode({ address: `acct${i}`, pubKey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: pubkey(i) }, accountNumber: BigInt(i), sequence }).finish();
}

/** The writes of `txs` sends between random accounts of the first `n` (pure given `rand`). */
export function sendBlock(n: number, txs: number, rand: () => number, seq: Map<number, bigint>): Map<string, Value | null> {
  const m = new Map<string, Value | null>();
  let fees = 0n;
  for (let t = 0; t < txs; t++) {
    const from = Math.floor(rand() * n);
    const to = Math.floor(rand() * n);
    const s = (seq.get(from) ?? 0n) + 1n;
    seq.set(from, s);
    m.set(toHex(accountKey(addressOf(from))), account(from, s));
    m.set(toHex(balanceKey(addressOf(from), DENOM)), enc.encode(String(1_000_000_000n - s * 2501n)));
    m.set(toHex(balanceKey(addressOf(to), DENOM)), enc.encode(String(1_000_000_000n + BigInt(t))));
    fees += 2500n;
  }
  m.set(toHex(balanceKey(FEE_COLLECTOR, DENOM)), enc.encode(String(fees)));
  return m;
}

interface ProbeResult {
  accounts: number; txs: number; openMs: number; stageMs: number[]; commitMs: number[]; checkpointMs: number[]; writes: number;
  /** Tree node rows stage() read from SQLite per written key, and WAL frames (4 KiB pages) each commit wrote. */
  rowsPerWrite: number[]; walFrames: (number | null)[];
  rssMb: number; peakRssMb: number; heapMb: number; heapLimitMb: number; stagedHeapMb: number;
}

/** In the child (started like the app): open the database like a restarted app, run `blocks` send blocks, report. */
async function probe(db: string, accounts: number, txs: number, blocks: number, inlineCheckpoint: boolean): Promise<ProbeResult> {
  await import("../abci-app/src/main.ts"); // the app process's code (REST, gRPC, metrics, modules), as resident as in the app
  // The app's signature pool (its default size: worker threads are resident memory too), idle here.
  const sigPool = new SigVerifyPool(SigVerifyPool.defaultSize());
  const t0 = performance.now();
  // As abci-app/src/main.ts opens it (--keep-versions default); --inline-checkpoint: SQLite's auto-checkpoint in COMMIT.
  const store = StateStore.open(db, { keepVersions: 100, backgroundCheckpoint: !inlineCheckpoint });
  const openMs = performance.now() - t0;
  // Seeded by the height too: a probe on a kept --db must not replay the sends of an earlier probe (no-op writes).
  const rand = prng(accounts + txs + Number(store.lastHeight));
  const seq = new Map<number, bigint>();
  const stageMs: number[] = [];
  const commitMs: number[] = [];
  const checkpointMs: number[] = [];
  const rowsPerWrite: number[] = [];
  const walFrames: (number | null)[] = [];
  let writes = 0;
  let stagedHeap = 0;
  try {
    for (let b = 0; b < blocks; b++) {
      const changes = sendBlock(accounts, txs, rand, seq);
      writes = changes.size;
      const rows = store.treeRowsRead;
      const s = performance.now();
      store.stage(store.lastHeight + 1n, changes);
      const c = performance.now();
      rowsPerWrite.push((store.treeRowsRead - rows) / writes);
      stagedHeap = Math.max(stagedHeap, getHeapStatistics().used_heap_size);
      store.commit();
      const k = performance.now();
      stageMs.push(c - s);
      commitMs.push(k - c);
      // The background checkpoint runs in the gap between blocks (block time), so a block starts after it ends.
      const done = await store.checkpointed();
      checkpointMs.push(performance.now() - k);
      walFrames.push(done.walFrames ?? null);
    }
  } finally {
    store.close();
  }
  const mu = process.memoryUsage();
  await sigPool.close();
  return {
    accounts, txs, openMs, stageMs, commitMs, checkpointMs, writes, rowsPerWrite, walFrames, rssMb: mu.rss / MB, peakRssMb: peakRss() / MB,
    heapMb: mu.heapUsed / MB, heapLimitMb: getHeapStatistics().heap_size_limit / MB, stagedHeapMb: stagedHeap / MB,
  };
}

/**
 * This process's peak RSS: VmHWM, which starts afresh at exec. (getrusage's maxrss survives exec, so a probe spawned
 * by a builder of several GB would report the builder's size.)
 */
function peakRss(): number {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
  if (m === null) throw new Error("no VmHWM in /proc/self/status: the probe's peak RSS needs Linux");
  return Number(m[1]) * 1024;
}

async function probeInChild(db: string, accounts: number, txs: number, blocks: number, inlineCheckpoint: boolean): Promise<ProbeResult> {
  const runTs = fileURLToPath(new URL("./run.ts", import.meta.url));
  const child = spawn(process.execPath, [...APP_NODE_FLAGS, runTs, "state-growth", "--probe", db, "--accounts", String(accounts), "--txs", String(txs),
    "--blocks", String(blocks), ...(inlineCheckpoint ? ["--inline-checkpoint"] : [])], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => { out += d.toString(); });
  const code = await new Promise<number | null>((r) => child.once("close", r));
  if (code !== 0) throw new Error(`probe at ${accounts} accounts (${txs} sends a block, flags ${APP_NODE_FLAGS.join(" ")}) failed (exit ${code})`);
  return JSON.parse(out.trim().split("\n").pop()!) as ProbeResult;
}

const ms = (xs: readonly number[]): string => percentile(xs, 50).toFixed(1);

function printTable(head: readonly string[], rows: readonly (readonly string[])[]): void {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: readonly string[]): string => `| ${c.map((x, i) => x.padEnd(w[i]!)).join(" | ")} |`;
  console.log(line(head));
  console.log(`|${w.map((n) => "-".repeat(n + 2)).join("|")}|`);
  for (const r of rows) console.log(line(r));
}

/** Adds accounts [from, to) to the database in stages of `loadBlock` accounts, printing progress. */
function buildState(db: string, from: number, to: number, loadBlock: number): void {
  const store = StateStore.open(db, { keepVersions: 100 });
  const t0 = performance.now();
  try {
    for (let built = from; built < to;) {
      const m = new Map<string, Value | null>();
      for (let i = 0; i < loadBlock && built < to; i++, built++) {
        m.set(toHex(accountKey(addressOf(built))), account(built, 0n));
        m.set(toHex(balanceKey(addressOf(built), DENOM)), enc.encode("1000000000"));
      }
      store.stage(store.lastHeight + 1n, m);
      store.commit();
      const s = (performance.now() - t0) / 1000;
      process.stderr.write(`  state: ${built} accounts (${s.toFixed(0)} s, ${((built - from) / s).toFixed(0)} accounts/s, builder RSS ` +
        `${(process.memoryUsage().rss / MB).toFixed(0)} MB)\n`);
    }
  } finally {
    store.close();
  }
}

export async function run(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args], options: {
      accounts: { type: "string", default: "1000000" }, checkpoints: { type: "string" }, txs: { type: "string", default: "1000" },
      blocks: { type: "string", default: "5" }, "load-block": { type: "string", default: "100000" }, probe: { type: "string" }, db: { type: "string" },
      "big-txs": { type: "string", default: String(Math.floor(BLOCK_MAX_BYTES / SEND_TX_BYTES)) }, "no-big": { type: "boolean", default: false },
      "inline-checkpoint": { type: "boolean", default: false },
    },
  });
  const total = Number(values.accounts);
  const txs = Number(values.txs);
  const blocks = Number(values.blocks);
  const loadBlock = Number(values["load-block"]);
  const bigTxs = Number(values["big-txs"]);
  for (const [k, v] of [["accounts", total], ["txs", txs], ["blocks", blocks], ["load-block", loadBlock], ["big-txs", bigTxs]] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer`);
  }
  if (values.probe) {
    process.stdout.write(`${JSON.stringify(await probe(values.probe, total, txs, blocks, values["inline-checkpoint"]))}\n`);
    return;
  }
  const checkpoints = (values.checkpoints ?? [10_000, 100_000, 1_000_000].filter((c) => c < total).concat(total).join(",")).split(",").map(Number);
  if (checkpoints.some((c) => !Number.isSafeInteger(c) || c < 1 || c > total)) throw new Error("--checkpoints must be positive integers ≤ --accounts");
  const dir = values.db === undefined ? mkdtempSync(join(tmpdir(), "bench-state-growth-")) : undefined;
  const db = dir === undefined ? values.db! : join(dir, "state.db");
  const results: ProbeResult[] = [];
  const loadRates: string[] = [];
  let big: ProbeResult | undefined;
  try {
    let built = accountsIn(db);
    if (built > 0) process.stderr.write(`  ${db} already holds ${built} accounts\n`);
    const sorted = [...new Set(checkpoints)].sort((a, b) => a - b);
    for (const cp of sorted) {
      if (cp < built) throw new Error(`${db} holds ${built} accounts, more than the checkpoint ${cp}`);
      const t0 = performance.now();
      buildState(db, built, cp, loadBlock);
      if (cp > built) loadRates.push(`${built}→${cp}: ${((cp - built) / ((performance.now() - t0) / 1000)).toFixed(0)} accounts/s`);
      built = cp;
      process.stderr.write(`  probing at ${cp} accounts: ${blocks} blocks of ${txs} sends in a fresh process (${APP_NODE_FLAGS.join(" ")})…\n`);
      const r = await probeInChild(db, cp, txs, blocks, values["inline-checkpoint"]);
      results.push(r);
      process.stderr.write(`  at ${cp} accounts: app hash ${ms(r.stageMs)} ms/block, commit ${ms(r.commitMs)} ms/block, ` +
        `${percentile(r.rowsPerWrite, 50).toFixed(1)} node rows/write, WAL ${r.walFrames.join("/")} pages, RSS ${r.rssMb.toFixed(0)} MB, ` +
        `peak ${r.peakRssMb.toFixed(0)} MB\n`);
      if (cp === sorted.at(-1) && !values["no-big"]) {
        process.stderr.write(`  the largest block at ${cp} accounts: ${bigTxs} sends in a fresh process…\n`);
        big = await probeInChild(db, cp, bigTxs, 1, values["inline-checkpoint"]);
        process.stderr.write(`  largest block: app hash ${ms(big.stageMs)} ms, commit ${ms(big.commitMs)} ms, peak RSS ${big.peakRssMb.toFixed(0)} MB\n`);
      }
    }
    const size = statSync(db).size;
    console.log(`\nState growth: blocks of ${txs} bank sends (${results[0]?.writes ?? 0} store writes each) on a state of n accounts; median of ${blocks} blocks;`);
    console.log(`a fresh process started like the app (${APP_NODE_FLAGS.join(" ")}; heap limit ${results[0]?.heapLimitMb.toFixed(0)} MB) opens the database`);
    console.log(`like a restarted app (RSS and heap measured after the blocks; peak = the process's max RSS; heap at staged = the V8 heap in use
right after the largest stage(), garbage included). DB at the end: ${(size / MB).toFixed(0)} MB.`);
    const probes = big === undefined ? results : [...results, big];
    console.log(`node rows/write: tree rows stage() read from SQLite per written key; WAL pages/block: 4 KiB pages the commit wrote; checkpoint ms:
the background WAL checkpoint after the commit (between blocks, off the critical path${values["inline-checkpoint"] ? "; --inline-checkpoint: in COMMIT" : ""}).`);
    printTable(["accounts", "sends/block", "writes", "open ms", "app hash ms/block", "commit ms/block", "checkpoint ms", "node rows/write", "WAL pages/block",
      "max stage+commit ms", "RSS MB", "peak RSS MB", "heap MB", "heap at staged MB"],
      probes.map((r) => [String(r.accounts), String(r.txs), String(r.writes), r.openMs.toFixed(0), ms(r.stageMs), ms(r.commitMs), ms(r.checkpointMs),
        percentile(r.rowsPerWrite, 50).toFixed(1), r.walFrames.every((f) => f !== null) ? percentile(r.walFrames as number[], 50).toFixed(0) : "—",
        Math.max(...r.stageMs.map((s, i) => s + r.commitMs[i]!)).toFixed(1), r.rssMb.toFixed(0), r.peakRssMb.toFixed(0), r.heapMb.toFixed(0), r.stagedHeapMb.toFixed(0)]));
    const first = results[0];
    const last = results.at(-1);
    if (first && last && first !== last) {
      const g = (r: ProbeResult): number => percentile(r.stageMs, 50) + percentile(r.commitMs, 50);
      console.log(`\nper-block cost ${last.accounts / first.accounts}x the accounts: ${(g(last) / g(first)).toFixed(2)}x the time (log2 n grows ${(Math.log2(last.accounts) / Math.log2(first.accounts)).toFixed(2)}x)`);
    }
    if (loadRates.length > 0) console.log(`state build rate: ${loadRates.join("; ")}`);
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

/** Accounts a kept --db already holds (two keys each, plus the fee collector's balance once probed; 0 for a new file). */
function accountsIn(db: string): number {
  if (!existsSync(db)) return 0;
  const store = StateStore.open(db, { integrityCheck: false });
  try {
    return Math.floor(store.countKeys() / 2);
  } finally {
    store.close();
  }
}
