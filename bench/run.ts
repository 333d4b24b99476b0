// Benchmark dispatcher: `node bench/run.ts <name> [args…]` (or `npm run bench -- <name> [args…]`) imports
// bench/<name>.ts and awaits its exported `run(args)`.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface BenchModule {
  readonly run: (args: readonly string[]) => unknown;
}

const dir = fileURLToPath(new URL(".", import.meta.url));
// Benchmarks are the top-level .ts files; shared helpers live in bench/lib/.
const available = readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "run.ts" && !f.includes(".spec."))
  .map((f) => f.slice(0, -3)).sort();
const [name, ...args] = process.argv.slice(2);

if (name === undefined || !/^[a-z0-9][a-z0-9-]*$/.test(name) || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [args]\navailable benchmarks: ${available.join(", ") || "(none)"}`);
  process.exit(2);
}
const mod = (await import(`./${name}.ts`)) as Partial<BenchModule>;
if (typeof mod.run !== "function") {
  console.error(`bench/${name}.ts does not export run(args)`);
  process.exit(2);
}
await mod.run(args);
