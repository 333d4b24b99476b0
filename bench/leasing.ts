// `npm run bench -- leasing [--leases 1000,10000,100000] [--blocks 100]`
// Per-block cost of the leasing module's BeginBlock (resource rewards) and EndBlock (the bounded sweep) on real
// SQLite state as the number of open, ready leases grows to 100,000 (loaded through the keeper: real escrow, real
// bank). Lease i runs out of funds at one of 50 consecutive heights, so at every size each measured block has at
// least `maxClosesPerBlock` (K) leases due. For each size, over --blocks blocks on a branch of the committed state:
//   idle    BeginBlock + EndBlock at a height where nothing is due
//   sweep   BeginBlock + EndBlock at a height where ≥ K leases are due (closes exactly K: settle, refund, free capacity)
// and prints median / p95 in microseconds side by side. The claim to check: neither column grows with the leases.
// (Create-lease → SSH-ready time needs a VM: the provider daemon's side prints it.)
import { parseArgs } from "node:util";
import { LeasingSim } from "../abci-app/src/app/testing/leasing.ts";
import { tmpfsDbPath as tempDbPath } from "../abci-app/src/store/testing/helpers.ts";
import { EventSink } from "../abci-app/src/sdk/events.ts";
import { GasMeter } from "../abci-app/src/sdk/gas.ts";
import type { BlockCtx } from "../abci-app/src/sdk/context.ts";
import { Branch } from "../abci-app/src/store/index.ts";
import { addr, leaseMsg, readyMsg, registerMsg } from "../abci-app/src/modules/leasing/testing/fixtures.ts";

const WINDOW = 50n;
const RATE = 50n; // leaseMsg at registerMsg's prices
const RUNWAY = 10_000n; // blocks of funding before the due window

function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] ?? 0, p95: s[Math.floor(s.length * 0.95)] ?? 0 };
}

export async function run(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...args], options: { leases: { type: "string", default: "1000,10000,100000" }, blocks: { type: "string", default: "100" } } });
  const sizes = values.leases.split(",").map(BigInt).sort((a, b) => (a < b ? -1 : 1));
  const blocks = Number(values.blocks);
  const providers = Array.from({ length: 100 }, (_, i) => addr(i + 1));
  const tenant = addr(200);
  const max = sizes[sizes.length - 1] ?? 0n;
  const s = new LeasingSim({
    dbPath: tempDbPath("trustnet-bench-leasing-"), noInvariants: true, provision: 1_000_000n, params: { maxClosesPerBlock: "20", readyTimeoutBlocks: "1000000" },
    funded: [...providers.map((address) => ({ address, amount: 10n ** 12n })), { address: tenant, amount: max * RATE * (RUNWAY + 2n * WINDOW) + 10n ** 9n }],
  });
  const capacity = { cpuMillis: 10_000_000n, memoryMib: 1_000_000_000n, diskGib: 1_000_000_000n, bandwidthMbps: 0n };
  s.block(() => providers.forEach((p) => s.run(p, "/trustnet.leasing.v1.MsgRegisterProvider", registerMsg(p, capacity))));
  const leasing = s.modules.find((m) => m.name === "leasing");
  if (!leasing?.beginBlock || !leasing.endBlock) throw new Error("leasing has no blockers");
  const base = s.height + 1n;
  const ctxOn = (b: Branch, h: bigint): BlockCtx => ({
    store: b, height: h, time: new Date(Number(h) * 1000), chainId: "bench", mode: "finalize", events: new EventSink(), gas: new GasMeter(),
    block: { misbehavior: [], lastCommitVotes: [], proposerAddress: new Uint8Array(20) },
  });
  let loaded = 0n;
  const rows: string[] = [];
  for (const target of sizes) {
    while (loaded < target) {
      s.block(() => {
        for (let n = 0; n < 2000 && loaded < target; n++, loaded++) {
          const p = providers[Number(loaded % BigInt(providers.length))] as string;
          // ready at height h (this block): due at h + RUNWAY + (i mod WINDOW), whatever the block it was loaded in
          const dueAt = base + RUNWAY + (loaded % WINDOW);
          const r = s.run(tenant, "/trustnet.leasing.v1.MsgCreateLease", leaseMsg(tenant, p, { deposit: [{ denom: "utrust", amount: String(RATE * (dueAt - (s.height + 1n))) }] }));
          if (r.code !== 0) throw new Error(r.log);
          const ready = s.run(p, "/trustnet.leasing.v1.MsgLeaseReady", readyMsg(p, loaded + 1n)); // ids count from 1
          if (ready.code !== 0) throw new Error(ready.log);
        }
      });
      process.stderr.write(`  ${loaded} ready leases loaded (height ${s.height})\n`);
    }
    const idle: number[] = [];
    const sweep: number[] = [];
    for (let i = -20; i < blocks; i++) { // the first 20 rounds warm the JIT and caches and are not counted
      for (const [h, out] of [[s.height + 1n, idle], [base + RUNWAY + BigInt(i + 1000) % WINDOW, sweep]] as const) {
        const ctx = ctxOn(new Branch(s.store), h);
        const t = performance.now();
        leasing.beginBlock(ctx);
        leasing.endBlock(ctx);
        if (i >= 0) out.push((performance.now() - t) * 1000);
        const closed = ctx.events.list().filter((e) => e.type === "lease_closed").length;
        if (out === sweep && closed !== 20) throw new Error(`expected 20 closes at height ${h}, got ${closed}`);
        if (out === idle && closed !== 0) throw new Error(`expected no close at height ${h}, got ${closed}`);
      }
    }
    const si = stats(idle);
    const sw = stats(sweep);
    rows.push(`${String(loaded).padStart(11)}  ${si.median.toFixed(0).padStart(12)}  ${si.p95.toFixed(0).padStart(9)}  ${sw.median.toFixed(0).padStart(13)}  ${sw.p95.toFixed(0).padStart(10)}`);
  }
  console.log(`\nleasing per-block cost (µs; ${blocks} blocks each; begin = resource-reward index, end = sweep of at most K=20 due leases)`);
  console.log(`open leases  idle median  idle p95  sweep median  sweep p95`);
  for (const r of rows) console.log(r);
  s.close();
}
