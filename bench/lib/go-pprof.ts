// CPU profiles of a Go process (CometBFT, simd) through its net/http/pprof listener (`rpc.pprof_laddr`), taken
// while a load shape runs: back-to-back windows of `/debug/pprof/profile?seconds=N` saved as files, then summarised
// with `go tool pprof -top` over all windows of the shape (pprof merges several profiles of one binary).
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The pprof listener's port for a chain whose CometBFT metrics listen on `metricsPort`: the next one. */
export const pprofPortFor = (metricsPort: number): number => metricsPort + 1;

/**
 * Runs `f` while saving CPU profiles of the Go process serving pprof at `base` (http://127.0.0.1:PORT) into `dir`
 * as `<name>-<i>.pb.gz`, windows of `windowSeconds`; returns `f`'s result and the files. The last window ends
 * up to `windowSeconds` after `f` (a Go CPU profile cannot be cut short), so it also holds the shape's tail.
 */
export async function profileWhile<T>(base: string, dir: string, name: string, f: () => Promise<T>, windowSeconds = 3): Promise<{ result: T; files: string[] }> {
  const files: string[] = [];
  let done = false;
  let failure: Error | undefined;
  // A failed window ends the loop; the error is reported once the work is over (never an unhandled rejection).
  const loop = (async () => {
    for (let i = 0; !done; i++) {
      const res = await fetch(`${base}/debug/pprof/profile?seconds=${windowSeconds}`);
      if (!res.ok) throw new Error(`pprof ${base}: HTTP ${res.status} ${await res.text()}`);
      const file = join(dir, `${name}-${i}.pb.gz`);
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      files.push(file);
    }
  })().catch((err: unknown) => { failure = err instanceof Error ? err : new Error(String(err)); });
  let result: T;
  try {
    result = await f();
  } finally {
    done = true;
    await loop;
  }
  if (failure) throw failure;
  return { result, files };
}

/** `go tool pprof -top` over `files` (merged), the first `lines` functions by flat CPU, plus a cumulative view. */
export async function pprofTop(files: readonly string[], lines = 30): Promise<string> {
  if (files.length === 0) return "  (no profile)";
  const top = async (extra: string[]): Promise<string> =>
    (await run("go", ["tool", "pprof", "-top", `-nodecount=${lines}`, ...extra, ...files], { maxBuffer: 16 << 20 })).stdout;
  return [await top([]), await top(["-cum"])].join("\n");
}
