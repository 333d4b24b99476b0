// How every launcher starts the app process (devnet supervisor, full node, VM units through the supervisor, the
// state-growth bench): one Node argv, so the V8 heap limits measured in bench/state-growth.ts are the ones that run.
import { fileURLToPath } from "node:url";

/** The app process's entry point. */
export const APP_MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

/**
 * V8 limits of the app process (issue 15, P6: RSS ≤ 300 MB at 1M accounts; figures in docs/ARCHITECTURE.md
 * "Memory (P6)"). The live heap is ~30 MB; without limits V8 keeps ~200 MB reserved for the garbage a block's
 * stage() promotes. A 2 MB semi-space makes scavenges cheap and frequent; the old-space cap is proven by the
 * bench's largest-block run (a full 21 MiB block of sends at 1M accounts) with room to spare.
 */
export const APP_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=2", "--max-old-space-size=256"];

/** The Node argv (after the node binary) that runs the app with `appArgs`. */
export function appNodeArgv(appArgs: readonly string[]): string[] {
  return [...APP_NODE_FLAGS, APP_MAIN, ...appArgs];
}
