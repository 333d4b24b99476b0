// `npm run bench -- crash-soak [--cycles N] [--seed S]`: the crash soak at 100 cycles (npm test runs 10) on a devnet
// on the contract ports (hold /tmp/trustnet-e2e.lock). Prints the kill, tx and block counts.
import { parseArgs } from "node:util";
import { crashSoak } from "../test/helpers/crash-soak.ts";
import { startDevnet, waitForHeight } from "../test/helpers/devnet.ts";

export async function run(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({ args: [...args], options: { cycles: { type: "string", default: "100" }, seed: { type: "string", default: "1" } } });
  const d = await startDevnet({ env: { TRUSTNET_SUPERVISOR_MIN_BACKOFF_MS: "200", TRUSTNET_SUPERVISOR_HEALTHY_MS: "1500" }, blockTime: "300ms", upArgs: ["--inflation", "0"] });
  try {
    await waitForHeight(d.rpc, 2);
    const cycles = Number(values.cycles);
    const r = await crashSoak(d, cycles, Number(values.seed), (c) => process.stderr.write(`  cycle ${c}/${cycles}\n`));
    console.log(`\ncrash soak: ${r.cycles} cycles in ${(r.ms / 1000).toFixed(0)} s over ${r.blocks} blocks`);
    console.log(`  kills: app ${r.kills.app}, cometbft ${r.kills.cometbft}, both ${r.kills.both}`);
    console.log(`  sends: ${r.broadcast} broadcast, ${r.inBlocks} in blocks (${r.failedInBlock} failed in their block), ${r.committed} seen committed during the soak, ${r.recheckedOk} rechecked unchanged`);
    console.log(`  problems: ${r.problems.length === 0 ? "none" : "\n    " + r.problems.join("\n    ")}`);
    if (r.problems.length > 0) process.exitCode = 1;
  } finally {
    await d.destroy();
  }
}
