// How every launcher starts the app process (devnet supervisor, full node, VM units through the supervisor, the
// state-growth bench): one Node argv, so the V8 heap limits measured in bench/state-growth.ts are the ones that run.
import { fileURLToPath } from "node:url";

/** The app process's entry point. */
export const APP_MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

/**
 * V8 limits of the app process (issue 15, P6: RSS ≤ 300 MB at 1M accounts; figures in docs/ARCHITECTURE.md
 * "Memory (P6)"). The live heap is 30-80 MB; without limits V8 let the heap grow to ~200 MB more with the garbage a
 * block's stage() promotes. A 2 MB semi-space keeps that garbage young and collected by cheap scavenges. The old-space
 * cap is a ceiling, not a target: the largest block the chain admits (21 MiB of sends, ~70k txs, ~200k writes) at
 * 1M accounts needs 333-375 MB of heap (garbage included) and passes under 512 (a 256 cap ran out of memory on it).
 */
export const APP_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=2", "--max-old-space-size=512"];

/**
 * Raises (or lowers) the old-space cap for a node whose state outgrows it: every validator of a chain reaches the
 * same state at the same height, so a cap that is too small stops them all at once. Read by the launcher (never in
 * block execution), in MiB, 256 to 65536.
 */
export const APP_HEAP_ENV = "TRUSTNET_APP_MAX_HEAP_MB";

/** The Node argv (after the node binary) that runs the app with `appArgs` (the heap cap from `env`'s APP_HEAP_ENV, if set). */
export function appNodeArgv(appArgs: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const raw = env[APP_HEAP_ENV];
  if (raw === undefined || raw === "") return [...APP_NODE_FLAGS, APP_MAIN, ...appArgs];
  const mb = /^[1-9][0-9]{2,4}$/u.test(raw) ? Number(raw) : NaN;
  if (!(mb >= 256 && mb <= 65_536)) throw new Error(`${APP_HEAP_ENV}=${JSON.stringify(raw)}: the app's heap cap must be a whole number of MiB from 256 to 65536 (default 512)`);
  return [...APP_NODE_FLAGS.map((f) => (f.startsWith("--max-old-space-size=") ? `--max-old-space-size=${mb}` : f)), APP_MAIN, ...appArgs];
}
