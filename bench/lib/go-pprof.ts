// CPU profiles of a Go process (CometBFT, simd) through its net/http/pprof listener (`rpc.pprof_laddr`), taken
// while a load shape runs: back-to-back windows of `/debug/pprof/profile?seconds=N` saved as files, then summarised
// with `go tool pprof` over all windows of the shape (pprof merges several profiles of one binary): the top
// functions, and every sample's stack sorted into what CometBFT was doing (COMET_WORK) per committed tx.
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

/** `go tool pprof -top` over `files` (merged): the first `lines` functions by flat CPU. */
export async function pprofTop(files: readonly string[], lines = 30): Promise<string> {
  return (await run("go", ["tool", "pprof", "-top", `-nodecount=${lines}`, ...files], { maxBuffer: 16 << 20 })).stdout;
}

/**
 * What a CometBFT stack is doing, first match wins (so the RPC's JSON encoding is counted before the rest of the RPC,
 * and a CheckTx sent from broadcast_tx_sync under the RPC). A stack is the frames' function names, innermost first.
 */
export const COMET_WORK: readonly (readonly [string, (stack: string) => boolean])[] = [
  ["RPC: JSON-encoding answers (block_results' events)", (s) => s.includes("makeJSONRPCHandler") && /libs\/json\.|encoding\/json\.Marshal|encodeState/.test(s)],
  ["RPC: broadcast_tx_sync → CheckTx", (s) => s.includes("BroadcastTxSync")],
  ["RPC: other (HTTP, request decode)", (s) => s.includes("net/http.(*conn).serve")],
  ["kv tx/block indexer", (s) => /txindex|indexer\/block|IndexerService/.test(s)],
  ["leveldb compaction", (s) => s.includes("goleveldb") && /[cC]ompaction/.test(s) && !s.includes("BlockExecutor")],
  ["mempool recheck", (s) => /recheckTxs|Recheck/.test(s)],
  ["saving FinalizeBlock responses", (s) => s.includes("SaveFinalizeBlockResponse")],
  ["event bus (fireEvents, pubsub)", (s) => /fireEvents|pubsub|EventBus/.test(s)],
  ["ABCI block calls (Prepare/Process/FinalizeBlock/Commit)", (s) => /appConnConsensus|FinalizeBlock|PrepareProposal|ProcessProposal|\.Commit\b/.test(s)],
  ["consensus, block store (other)", (s) => /consensus\.|store\.\(\*BlockStore\)|state\.dbStore/.test(s)],
  ["gRPC client transport", (s) => s.includes("google.golang.org/grpc")],
  ["Go GC", (s) => /gcBgMarkWorker|runtime\.bgsweep|runtime\.bgscavenge/.test(s)],
  ["mempool (other)", (s) => s.includes("mempool.")],
];

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, ms: 1e-3, us: 1e-6, "µs": 1e-6, ns: 1e-9 };

/** Parses `go tool pprof -traces` output into (seconds, stack) samples. */
export function parseTraces(text: string): { seconds: number; stack: string }[] {
  const out: { seconds: number; stack: string }[] = [];
  for (const block of text.split(/^-+\+-+$/mu).slice(1)) {
    const lines = block.split("\n").filter((l) => l.trim() !== "");
    const m = /^\s*([\d.]+)(s|ms|us|µs|ns)\s+(.*)$/u.exec(lines[0] ?? "");
    if (!m) continue;
    out.push({ seconds: Number(m[1]) * UNIT_SECONDS[m[2]!]!, stack: [m[3]!, ...lines.slice(1).map((l) => l.trim())].join("\n") });
  }
  return out;
}

/** Seconds of CPU per COMET_WORK entry ("other" for the rest) and in all, over the samples. */
export function classifySamples(samples: readonly { seconds: number; stack: string }[]): { total: number; by: Map<string, number> } {
  const by = new Map<string, number>([...COMET_WORK.map(([name]) => [name, 0] as const), ["other", 0]]);
  let total = 0;
  for (const { seconds, stack } of samples) {
    total += seconds;
    const name = COMET_WORK.find(([, match]) => match(stack))?.[0] ?? "other";
    by.set(name, by.get(name)! + seconds);
  }
  return { total, by };
}

/** The profiles' CPU sorted into COMET_WORK, as ms per tx for `txs` transactions. */
export async function cometWork(files: readonly string[], txs: number): Promise<{ total: number; by: Map<string, number> }> {
  const text = (await run("go", ["tool", "pprof", "-traces", ...files], { maxBuffer: 256 << 20 })).stdout;
  const { total, by } = classifySamples(parseTraces(text));
  const perTx = (s: number): number => (s * 1000) / Math.max(1, txs);
  return { total: perTx(total), by: new Map([...by].map(([k, v]) => [k, perTx(v)])) };
}
