// `npm run bench -- fuzz [--count N] [--seed S]`: the determinism fuzzer at 100,000 inputs (npm test runs 10,000).
// Prints throughput and the outcome mix; fails if the two instances ever disagree.
import { parseArgs } from "node:util";
import { runTxFuzz } from "../abci-app/src/fuzz/harness.ts";

export async function run(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...args], options: { count: { type: "string", default: "100000" }, seed: { type: "string", default: "1" } } });
  const count = Number(values.count);
  let last = 0;
  const r = await runTxFuzz({
    count, seed: Number(values.seed),
    onProgress(done, total, height) {
      if (Date.now() - last > 5000 || done === total) {
        last = Date.now();
        process.stderr.write(`  ${done}/${total} inputs, height ${height}\n`);
      }
    },
  });
  console.log(`\nfuzz tx: ${r.inputs} inputs in ${r.blocks} blocks, seed ${r.seed}: both instances agreed after every block`);
  console.log(`  time ${(r.ms / 1000).toFixed(1)} s (${Math.round(r.inputs / (r.ms / 1000))} inputs/s, warm-up ${(r.warmMs / 1000).toFixed(1)} s)`);
  console.log(`  inputs by kind: ${Object.entries(r.byKind).map(([k, n]) => `${k} ${n}`).join(", ")}`);
  console.log(`  result codes:   ${Object.entries(r.codes).map(([c, n]) => `${c}: ${n}`).join(", ")}`);
  console.log(`  refused by the block answer budget: ${r.refused}`);
  console.log(`  last app hash   ${r.lastAppHash}`);
}
