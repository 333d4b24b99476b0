import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import type { Application } from "../abci/index.ts";

/**
 * The app's Prometheus metrics, in one Registry per process (per instance, so tests can build many apps in one
 * process). Labels are bounded: ABCI method names, tx result codes, REST route templates, HTTP status codes.
 */
export interface AppMetrics {
  readonly registry: Registry;
  readonly height: Gauge;
  readonly txs: Counter<"code">;
  readonly leaseEvents: Counter<"event">;
  readonly checkTx: Histogram;
  readonly finalizeBlock: Histogram;
  readonly commit: Histogram;
  readonly abciDuration: Histogram<"method">;
  /** The state store's share of a block: `stage` computes the app hash of the block's changes, `commit` writes them. */
  readonly storeDuration: Histogram<"op">;
  readonly restRequests: Counter<"route" | "method" | "code">;
}

export interface MetricSources {
  /** Keys in the committed state (read at scrape time). */
  readonly stateKeys?: () => number;
  /** Bonded validators; until a staking module exists, the size of CometBFT's validator set. */
  readonly validatorsBonded?: () => Promise<number>;
  /** Open leases (pending or ready) in the committed state (read at scrape time; O(providers)). */
  readonly leasesActive?: () => number;
  /** Signatures the signature pool's workers verified ahead of their tx's turn (a running count). */
  readonly signaturesPreverified?: () => number;
}

const ABCI_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export function createMetrics(version: string, sources: MetricSources = {}): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const build = new Gauge({ name: "trustnet_build_info", help: "TrustNet app version (value 1)", labelNames: ["version"], registers: [registry] });
  build.set({ version }, 1);
  if (sources.stateKeys) {
    const count = sources.stateKeys;
    new Gauge({ name: "trustnet_state_keys", help: "Keys in the committed application state", registers: [registry], collect() { this.set(count()); } });
  }
  if (sources.validatorsBonded) {
    const bonded = sources.validatorsBonded;
    new Gauge({
      name: "trustnet_validators_bonded", help: "Bonded validators (CometBFT's validator set until staking exists)", registers: [registry],
      async collect() {
        try { this.set(await bonded()); } catch { /* node unreachable: keep the last value */ }
      },
    });
  }
  if (sources.leasesActive) {
    const active = sources.leasesActive;
    new Gauge({ name: "trustnet_leases_active", help: "Open leases (pending or ready)", registers: [registry], collect() { this.set(active()); } });
  }
  if (sources.signaturesPreverified) {
    const verified = sources.signaturesPreverified;
    let seen = 0;
    new Counter({
      name: "trustnet_signatures_preverified_total", help: "Signatures verified on the signature pool's worker threads ahead of their tx's turn", registers: [registry],
      collect() { const now = verified(); this.inc(Math.max(0, now - seen)); seen = now; },
    });
  }
  const txs = new Counter({ name: "trustnet_txs_total", help: "Transactions executed in blocks, by result code (0 = success)", labelNames: ["code"], registers: [registry] });
  txs.inc({ code: "0" }, 0);
  const hist = (name: string, help: string): Histogram => new Histogram({ name, help, registers: [registry], buckets: ABCI_BUCKETS });
  return {
    registry,
    height: new Gauge({ name: "trustnet_block_height", help: "Last committed block height", registers: [registry] }),
    txs,
    leaseEvents: new Counter({
      name: "trustnet_lease_events_total", help: "Leasing events in executed blocks, by type (lease_created, lease_ready, lease_settled, lease_closed, provider_…)",
      labelNames: ["event"], registers: [registry],
    }),
    checkTx: hist("trustnet_checktx_seconds", "Time spent in CheckTx"),
    finalizeBlock: hist("trustnet_finalize_block_seconds", "Time spent in FinalizeBlock"),
    commit: hist("trustnet_commit_seconds", "Time spent in Commit"),
    abciDuration: new Histogram({ name: "trustnet_abci_method_duration_seconds", help: "Time spent in each ABCI method", labelNames: ["method"], registers: [registry], buckets: ABCI_BUCKETS }),
    storeDuration: new Histogram({
      name: "trustnet_store_duration_seconds", help: "Time spent in the state store per block: stage (app hash) and commit (SQLite write)", labelNames: ["op"], registers: [registry],
      buckets: ABCI_BUCKETS,
    }),
    restRequests: new Counter({ name: "trustnet_rest_requests_total", help: "REST requests by route template, method and status", labelNames: ["route", "method", "code"], registers: [registry] }),
  };
}

const METHODS = [
  "info", "query", "checkTx", "initChain", "prepareProposal", "processProposal", "finalizeBlock", "extendVote", "verifyVoteExtension", "commit",
  "listSnapshots", "offerSnapshot", "loadSnapshotChunk", "applySnapshotChunk",
] as const;

/** Result codes are bounded by the codes the app defines; anything else is counted as "other". */
const codeLabel = (code: number): string => (Number.isInteger(code) && code >= 0 && code < 100 ? String(code) : "other");

/** Leasing's event types: fixed by the module's code (events.ts), so a bounded label set. */
const LEASE_EVENT = /^(?:lease|provider)_[a-z_]{1,32}$/;

function countLeaseEvents(m: AppMetrics, r: { txResults?: { events?: Event[] }[]; events?: Event[] }): void {
  const count = (events: readonly Event[] | undefined): void => {
    for (const e of events ?? []) if (LEASE_EVENT.test(e.type)) m.leaseEvents.inc({ event: e.type });
  };
  count(r.events);
  for (const x of r.txResults ?? []) count(x.events);
}

/** A block's results counted by code, one counter update per distinct code (not one per tx). */
function countResults(m: AppMetrics, results: readonly { code: number }[]): void {
  const byCode = new Map<string, number>();
  for (const x of results) {
    const label = codeLabel(x.code);
    byCode.set(label, (byCode.get(label) ?? 0) + 1);
  }
  for (const [code, n] of byCode) m.txs.inc({ code }, n);
}

/** Wraps an Application so that every ABCI call is timed and block results are counted; behaviour is unchanged. */
export function instrument(app: Application, m: AppMetrics, lastHeight: () => bigint): Application {
  const own: Partial<Record<string, Histogram>> = { checkTx: m.checkTx, finalizeBlock: m.finalizeBlock, commit: m.commit };
  const wrapped: Record<string, unknown> = {};
  for (const name of METHODS) {
    const f = (app[name] as (req: never) => unknown).bind(app);
    const h = own[name];
    const timed = m.abciDuration.labels({ method: name }); // the labelled child, looked up once, not per call
    wrapped[name] = (req: never): unknown => {
      const end = timed.startTimer();
      const end2 = h?.startTimer();
      const done = (): void => { end(); end2?.(); };
      let r: unknown;
      try {
        r = f(req);
      } catch (err) {
        done();
        throw err;
      }
      const after = (v: unknown): unknown => {
        done();
        const t = (v as { txResults?: { code: number }[] } | undefined)?.txResults;
        if (name === "finalizeBlock" && t) {
          countResults(m, t);
          countLeaseEvents(m, v as { txResults?: { events?: Event[] }[]; events?: Event[] });
        }
        if (name === "commit") m.height.set(Number(lastHeight()));
        return v;
      };
      if (r instanceof Promise) return r.then(after, (err: unknown) => { done(); throw err; });
      return after(r);
    };
  }
  // The optional early-work hooks pass through untimed (they run beside the calls, not as calls).
  if (app.prepareCheckTx) wrapped.prepareCheckTx = app.prepareCheckTx.bind(app);
  if (app.prepareFinalizeBlock) wrapped.prepareFinalizeBlock = app.prepareFinalizeBlock.bind(app);
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
