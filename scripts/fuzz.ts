// `npm run fuzz -- tx [--count N] [--seed S] [--warm N]`: the determinism fuzzer (abci-app/src/fuzz).
import { parseArgs } from "node:util";
import { runTxFuzz } from "../abci-app/src/fuzz/harness.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { count: { type: "string", default: "10000" }, seed: { type: "string" }, warm: { type: "string", default: "100000" }, "per-block": { type: "string", default: "50" } },
});
if (positionals[0] !== "tx") {
  process.stderr.write("usage: npm run fuzz -- tx [--count N] [--seed S] [--warm N] [--per-block N]\n");
  process.exit(2);
}
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
process.stderr.write(`fuzz tx: seed ${seed} (repeat with --seed ${seed})\n`);
let lastPrint = 0;
const report = await runTxFuzz({
  count: Number(values.count), seed, warm: Number(values.warm), perBlock: Number(values["per-block"]),
  onProgress(done, total, height) {
    if (Date.now() - lastPrint > 2000 || done === total) {
      lastPrint = Date.now();
      process.stderr.write(`  ${done}/${total} inputs, height ${height}\n`);
    }
  },
});
console.log(JSON.stringify(report, null, 2));
