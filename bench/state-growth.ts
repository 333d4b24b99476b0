// `npm run bench -- state-growth [--accounts 1000000] [--checkpoints 10000,100000,1000000] [--txs 1000] [--blocks 5]
//                                  [--load-block 20000]`
// How the per-block cost grows with the state: builds an account state in the state store with the app's own key
// layout (auth/a/<address> → BaseAccount, bank/b/<len|address>utrust → balance), committed in blocks of
// --load-block accounts. At each checkpoint a fresh process (like a restarted app) opens the database and runs
// --blocks blocks of --txs bank sends each (sender account sequence, sender and recipient balances, fee collector:
// the writes a MsgSend makes), and reports the app-hash time (store.stage), the commit time (SQLite write) and
// its RSS. The goal (issue 15, P6): RSS ≤ 300 MB at 1M accounts; per-block cost O(changes · log n), not O(n).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { StateStore, toHex, type Value } from "../abci-app/src/store/index.ts";
import { accountKey } from "../abci-app/src/modules/auth/keys.ts";
import { balanceKey } from "../abci-app/src/modules/bank/keys.ts";
import { percentile } from "./lib/chain-load.ts";
import { prng } from "./lib/report.ts";
import { DENOM } from "@trustnet/abci-app";

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

interface ProbeResult { accounts: number; openMs: number; stageMs: number[]; commitMs: number[]; writes: number; rssMb: number; heapMb: number }

/** In the child: open the database like a restarted app, run `blocks` send blocks, report timings and RSS. */
function probe(db: string, accounts: number, txs: number, blocks: number): ProbeResult {
  const t0 = performance.now();
  const store = StateStore.open(db, { keepVersions: 100 });
  const openMs = performance.now() - t0;
  const rand = prng(accounts);
  const seq = new Map<number, bigint>();
  const stageMs: number[] = [];
  const commitMs: number[] = [];
  let writes = 0;
  try {
    for (let b = 0; b < blocks; b++) {
      const changes = sendBlock(accounts, txs, rand, seq);
      writes = changes.size;
      const s = performance.now();
      store.stage(store.lastHeight + 1n, changes);
      const c = performance.now();
      store.commit();
      stageMs.push(c - s);
      commitMs.push(performance.now() - c);
    }
  } finally {
    store.close();
  }
  const mu = process.memoryUsage();
  return { accounts, openMs, stageMs, commitMs, writes, rssMb: mu.rss / 2 ** 20, heapMb: mu.heapUsed / 2 ** 20 };
}

async function probeInChild(db: string, accounts: number, txs: number, blocks: number): Promise<ProbeResult> {
  const runTs = fileURLToPath(new URL("./run.ts", import.meta.url));
  const child = spawn(process.execPath, [runTs, "state-growth", "--probe", db, "--accounts", String(accounts), "--txs", String(txs), "--blocks", String(blocks)], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => { out += d.toString(); });
  const code = await new Promise<number | null>((r) => child.once("close", r));
  if (code !== 0) throw new Error(`probe at ${accounts} accounts failed (exit ${code})`);
  return JSON.parse(out.trim().split("\n").pop()!) as ProbeResult;
}

export async function run(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args], options: {
      accounts: { type: "string", default: "1000000" }, checkpoints: { type: "string" }, txs: { type: "string", default: "1000" },
      blocks: { type: "string", default: "5" }, "load-block": { type: "string", default: "20000" }, probe: { type: "string" },
    },
  });
  const total = Number(values.accounts);
  const txs = Number(values.txs);
  const blocks = Number(values.blocks);
  const loadBlock = Number(values["load-block"]);
  for (const [k, v] of [["accounts", total], ["txs", txs], ["blocks", blocks], ["load-block", loadBlock]] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw new Error(`--${k} must be a positive integer`);
  }
  if (values.probe) {
    process.stdout.write(`${JSON.stringify(probe(values.probe, total, txs, blocks))}\n`);
    return;
  }
  const checkpoints = (values.checkpoints ?? [10_000, 100_000, 1_000_000].filter((c) => c < total).concat(total).join(",")).split(",").map(Number);
  if (checkpoints.some((c) => !Number.isSafeInteger(c) || c < 1 || c > total)) throw new Error("--checkpoints must be positive integers ≤ --accounts");
  const dir = mkdtempSync(join(tmpdir(), "bench-state-growth-"));
  const db = join(dir, "state.db");
  const results: ProbeResult[] = [];
  const loadRates: string[] = [];
  try {
    let built = 0;
    for (const cp of [...new Set(checkpoints)].sort((a, b) => a - b)) {
      const store = StateStore.open(db, { keepVersions: 100 });
      const t0 = performance.now();
      const from = built;
      try {
        while (built < cp) {
          const m = new Map<string, Value | null>();
          for (let i = 0; i < loadBlock && built < cp; i++, built++) {
            m.set(toHex(accountKey(addressOf(built))), account(built, 0n));
            m.set(toHex(balanceKey(addressOf(built), DENOM)), enc.encode("1000000000"));
          }
          store.stage(store.lastHeight + 1n, m);
          store.commit();
          if ((built / loadBlock) % 10 === 0 || built === cp) process.stderr.write(`  state: ${built} accounts (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
        }
      } finally {
        store.close();
      }
      loadRates.push(`${from}→${cp}: ${((cp - from) / ((performance.now() - t0) / 1000)).toFixed(0)} accounts/s`);
      process.stderr.write(`  probing at ${cp} accounts: ${blocks} blocks of ${txs} sends in a fresh process…\n`);
      const r = await probeInChild(db, cp, txs, blocks);
      results.push(r);
      process.stderr.write(`  at ${cp} accounts: app hash ${percentile(r.stageMs, 50).toFixed(1)} ms/block, commit ${percentile(r.commitMs, 50).toFixed(1)} ms/block, RSS ${r.rssMb.toFixed(0)} MB (builder RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB)\n`);
    }
    const size = statSync(db).size;
    console.log(`\nState growth: blocks of ${txs} bank sends (${results[0]?.writes ?? 0} store writes each) on a state of n accounts; median of ${blocks} blocks;`);
    console.log(`a fresh process opens the database like a restarted app (RSS measured after the blocks). DB at the end: ${(size / 2 ** 20).toFixed(0)} MB.`);
    const head = ["accounts", "open ms", "app hash ms/block", "commit ms/block", "max stage+commit ms", "RSS MB", "heap MB"];
    const rows = results.map((r) => [String(r.accounts), r.openMs.toFixed(0), percentile(r.stageMs, 50).toFixed(1), percentile(r.commitMs, 50).toFixed(1),
      Math.max(...r.stageMs.map((s, i) => s + r.commitMs[i]!)).toFixed(1), r.rssMb.toFixed(0), r.heapMb.toFixed(0)]);
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (c: readonly string[]): string => `| ${c.map((x, i) => x.padEnd(w[i]!)).join(" | ")} |`;
    console.log(line(head));
    console.log(`|${w.map((n) => "-".repeat(n + 2)).join("|")}|`);
    for (const r of rows) console.log(line(r));
    const first = results[0];
    const last = results.at(-1);
    if (first && last && first !== last) {
      const g = (r: ProbeResult): number => percentile(r.stageMs, 50) + percentile(r.commitMs, 50);
      console.log(`\nper-block cost ${last.accounts / first.accounts}x the accounts: ${(g(last) / g(first)).toFixed(2)}x the time (log2 n grows ${(Math.log2(last.accounts) / Math.log2(first.accounts)).toFixed(2)}x)`);
    }
    console.log(`state build rate: ${loadRates.join("; ")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
