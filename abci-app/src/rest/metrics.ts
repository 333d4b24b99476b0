import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Application } from "../abci/index.ts";

/** The app's Prometheus metrics (own Registry per instance, so tests can build many apps in one process). */
export interface AppMetrics {
  readonly registry: Registry;
  readonly height: Gauge;
  readonly txs: Counter<"result">;
  readonly abciDuration: Histogram<"method">;
  /** The state store's share of a block: `stage` computes the app hash of the block's changes, `commit` writes them. */
  readonly storeDuration: Histogram<"op">;
  readonly restRequests: Counter<"route" | "method" | "code">;
}

export function createMetrics(version: string): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const build = new Gauge({ name: "trustnet_build_info", help: "TrustNet app version (value 1)", labelNames: ["version"], registers: [registry] });
  build.set({ version }, 1);
  return {
    registry,
    height: new Gauge({ name: "trustnet_block_height", help: "Last committed block height", registers: [registry] }),
    txs: new Counter({ name: "trustnet_txs_total", help: "Transactions executed in blocks, by result", labelNames: ["result"], registers: [registry] }),
    abciDuration: new Histogram({
      name: "trustnet_abci_method_duration_seconds", help: "Time spent in each ABCI method", labelNames: ["method"], registers: [registry],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
    storeDuration: new Histogram({
      name: "trustnet_store_duration_seconds", help: "Time spent in the state store per block: stage (app hash) and commit (SQLite write)", labelNames: ["op"], registers: [registry],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
    restRequests: new Counter({ name: "trustnet_rest_requests_total", help: "REST requests by route template, method and status", labelNames: ["route", "method", "code"], registers: [registry] }),
  };
}

const METHODS = [
  "info", "query", "checkTx", "initChain", "prepareProposal", "processProposal", "finalizeBlock", "extendVote", "verifyVoteExtension", "commit",
  "listSnapshots", "offerSnapshot", "loadSnapshotChunk", "applySnapshotChunk",
] as const;

/** Wraps an Application so that every ABCI call is timed and block results are counted; behaviour is unchanged. */
export function instrument(app: Application, m: AppMetrics, lastHeight: () => bigint): Application {
  const wrapped: Record<string, unknown> = {};
  for (const name of METHODS) {
    const f = (app[name] as (req: never) => unknown).bind(app);
    wrapped[name] = (req: never): unknown => {
      const end = m.abciDuration.startTimer({ method: name });
      try {
        const r = f(req) as { txResults?: { code: number }[] };
        if (name === "finalizeBlock" && r.txResults) for (const t of r.txResults) m.txs.inc({ result: t.code === 0 ? "ok" : "failed" });
        if (name === "commit") m.height.set(Number(lastHeight()));
        return r;
      } finally {
        end();
      }
    };
  }
  return wrapped as unknown as Application;
}

/** The two store methods a block spends its persistence time in (a structural view of StateStore). */
export interface TimedStore {
  stage(height: bigint, changes: never): Uint8Array;
  commit(): unknown;
}

/** Times `stage` (the app hash) and `commit` on this store instance; behaviour and results are unchanged. */
export function instrumentStore(store: TimedStore, m: AppMetrics): void {
  const stage = store.stage.bind(store);
  const commit = store.commit.bind(store);
  Object.assign(store, {
    stage: (height: bigint, changes: never): Uint8Array => {
      const end = m.storeDuration.startTimer({ op: "stage" });
      try { return stage(height, changes); } finally { end(); }
    },
    commit: (): unknown => {
      const end = m.storeDuration.startTimer({ op: "commit" });
      try { return commit(); } finally { end(); }
    },
  });
}
