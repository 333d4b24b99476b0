// The app's time per phase, from its own Prometheus metrics on :1317/metrics: two scrapes around a load, and the
// difference of the sums and counts of trustnet_abci_method_duration_seconds, trustnet_store_duration_seconds
// and trustnet_txs_total.

/** Prometheus text exposition → `name{labels}` → value (pure). Comments and blank lines are skipped. */
export function parsePromText(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?)\s+(\S+)/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

export interface PhaseTimes {
  readonly txs: number;
  readonly blocks: number;
  /** Mean ms per CheckTx call. */
  readonly checkTxMs: number;
  readonly checkTxCalls: number;
  /** Mean ms per FinalizeBlock, and per tx in it (FinalizeBlock time / txs executed). */
  readonly finalizeBlockMs: number;
  readonly finalizePerTxMs: number;
  readonly commitMs: number;
  /** Mean ms per block in the store: stage (the app hash) and commit (SQLite write). NaN when not exposed. */
  readonly appHashMs: number;
  readonly storeCommitMs: number;
  /** Totals over the window, seconds: how busy the app was in each method. */
  readonly busySeconds: { readonly checkTx: number; readonly finalizeBlock: number; readonly commit: number; readonly other: number };
  readonly rssMb: number;
}

const get = (m: Map<string, number>, k: string): number => m.get(k) ?? 0;

/** The per-phase cost between two scrapes (pure). */
export function phaseDelta(before: Map<string, number>, after: Map<string, number>): PhaseTimes {
  const d = (k: string): number => get(after, k) - get(before, k);
  const abci = (method: string, part: "sum" | "count"): number => d(`trustnet_abci_method_duration_seconds_${part}{method="${method}"}`);
  const store = (op: string, part: "sum" | "count"): number => d(`trustnet_store_duration_seconds_${part}{op="${op}"}`);
  const mean = (sum: number, n: number): number => (n > 0 ? (sum / n) * 1000 : Number.NaN);
  // trustnet_txs_total is labelled by result code: sum every code's series.
  const txs = [...after.keys()].filter((k) => k.startsWith("trustnet_txs_total{")).reduce((sum, k) => sum + d(k), 0);
  const blocks = abci("finalizeBlock", "count");
  const other = ["info", "query", "prepareProposal", "processProposal", "extendVote", "verifyVoteExtension"].reduce((s, x) => s + abci(x, "sum"), 0);
  return {
    txs, blocks,
    checkTxMs: mean(abci("checkTx", "sum"), abci("checkTx", "count")), checkTxCalls: abci("checkTx", "count"),
    finalizeBlockMs: mean(abci("finalizeBlock", "sum"), blocks), finalizePerTxMs: mean(abci("finalizeBlock", "sum"), txs),
    commitMs: mean(abci("commit", "sum"), abci("commit", "count")),
    appHashMs: after.has(`trustnet_store_duration_seconds_count{op="stage"}`) ? mean(store("stage", "sum"), store("stage", "count")) : Number.NaN,
    storeCommitMs: after.has(`trustnet_store_duration_seconds_count{op="commit"}`) ? mean(store("commit", "sum"), store("commit", "count")) : Number.NaN,
    busySeconds: { checkTx: abci("checkTx", "sum"), finalizeBlock: abci("finalizeBlock", "sum"), commit: abci("commit", "sum"), other },
    rssMb: get(after, "process_resident_memory_bytes") / 2 ** 20,
  };
}

/**
 * CometBFT's own view of its ABCI calls between two scrapes of its Prometheus endpoint (pure): per method, the mean
 * ms per call and the number of calls, from `cometbft_abci_connection_method_timing_seconds` (proxy/metrics.go,
 * summed over its `type` label and chain id). For an out-of-process app this is the whole hop (encode, transport,
 * the app's server and handler, decode); for simd, whose app is in-process, it is the app's handler.
 */
export function cometAbciDelta(before: Map<string, number>, after: Map<string, number>): Map<string, { ms: number; calls: number }> {
  const sums = new Map<string, { sum: number; count: number }>();
  for (const [k, v] of after) {
    const m = /^cometbft_abci_connection_method_timing_seconds_(sum|count)\{(.*)\}$/.exec(k);
    const method = m ? /(?:^|,)method="([^"]+)"/.exec(m[2]!)?.[1] : undefined;
    if (!m || method === undefined) continue;
    const e = sums.get(method) ?? { sum: 0, count: 0 };
    e[m[1] === "sum" ? "sum" : "count"] += v - get(before, k);
    sums.set(method, e);
  }
  const out = new Map<string, { ms: number; calls: number }>();
  for (const [method, e] of [...sums].sort(([a], [b]) => (a < b ? -1 : 1))) if (e.count > 0) out.set(method, { ms: (e.sum / e.count) * 1000, calls: e.count });
  return out;
}

export function formatCometAbci(d: ReadonlyMap<string, { ms: number; calls: number }>): string {
  return [...d].map(([method, e]) => `  ${method.padEnd(18)} ${e.ms.toFixed(3)} ms/call (${e.calls} calls, ${(e.ms * e.calls / 1000).toFixed(1)} s)`).join("\n");
}

export async function scrape(metricsUrl: string): Promise<Map<string, number>> {
  const r = await fetch(metricsUrl, { signal: AbortSignal.timeout(10_000) });
  if (!r.ok) throw new Error(`${metricsUrl}: HTTP ${r.status}`);
  return parsePromText(await r.text());
}

export function formatPhases(p: PhaseTimes): string {
  const f = (x: number, digits = 3): string => (Number.isNaN(x) ? "n/a" : x.toFixed(digits));
  return [
    `  CheckTx            ${f(p.checkTxMs)} ms/call (${p.checkTxCalls} calls, ${f(p.busySeconds.checkTx, 1)} s busy)`,
    `  FinalizeBlock      ${f(p.finalizeBlockMs, 1)} ms/block, ${f(p.finalizePerTxMs)} ms/tx (${p.txs} txs in ${p.blocks} blocks, ${f(p.busySeconds.finalizeBlock, 1)} s busy)`,
    `    of which app hash (store.stage) ${f(p.appHashMs, 1)} ms/block`,
    `  Commit             ${f(p.commitMs, 1)} ms/block (store commit ${f(p.storeCommitMs, 1)} ms/block, ${f(p.busySeconds.commit, 1)} s busy)`,
    `  other ABCI calls   ${f(p.busySeconds.other, 1)} s busy; app RSS ${p.rssMb.toFixed(0)} MB`,
  ].join("\n");
}
