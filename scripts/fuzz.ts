// `npm run fuzz -- tx [--count N] [--seed S] [--warm N] [--per-block N] [--big-every N]`: the determinism fuzzer
// (abci-app/src/fuzz). --big-every N: every Nth block is ten MultiSends whose results pass the block answer budget.
import { parseArgs } from "node:util";
import { runTxFuzz } from "../abci-app/src/fuzz/harness.ts";

const parsed = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { count: { type: "string", default: "10000" }, seed: { type: "string" }, warm: { type: "string", default: "100000" }, "per-block": { type: "string", default: "50" }, "big-every": { type: "string", default: "0" } },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nusage: npm run fuzz -- tx [--count N] [--seed S] [--warm N] [--per-block N] [--big-every N]\n`);
    process.exit(2);
  }
})();
const { values, positionals } = parsed;
if (positionals[0] !== "tx") {
  process.stderr.write("usage: npm run fuzz -- tx [--count N] [--seed S] [--warm N] [--per-block N] [--big-every N]\n");
  process.exit(2);
}
for (const k of ["count", "warm", "per-block", "big-every"] as const) {
  const v = Number(values[k]);
  if (!Number.isSafeInteger(v) || v < (k === "count" || k === "per-block" ? 1 : 0)) {
    process.stderr.write(`--${k} must be a ${k === "count" || k === "per-block" ? "positive" : "non-negative"} integer, got ${values[k]}\n`);
    process.exit(2);
  }
}
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
process.stderr.write(`fuzz tx: seed ${seed} (repeat with --seed ${seed})\n`);
let lastPrint = 0;
const report = await runTxFuzz({
  count: Number(values.count), seed, warm: Number(values.warm), perBlock: Number(values["per-block"]), bigEvery: Number(values["big-every"]),
  onProgress(done, total, height) {
    if (Date.now() - lastPrint > 2000 || done === total) {
      lastPrint = Date.now();
      process.stderr.write(`  ${done}/${total} inputs, height ${height}\n`);
    }
  },
});
console.log(JSON.stringify(report, null, 2));
