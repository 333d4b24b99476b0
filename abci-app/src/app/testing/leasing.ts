// Keeper-level test and benchmark harness for the leasing module: the app's real keepers and message handlers
// (buildModules), a real StateStore (SQLite) committed block by block, begin/end blockers in BLOCKER_ORDER, and every
// module invariant checked after each block. Messages skip signatures: `run` checks the claimed sender is the
// message's signer, runs validateBasic and the handler on a branch, and keeps the writes only on success.
import { EventSink } from "../../sdk/events.ts";
import { AppError } from "../../sdk/errors.ts";
import { GasMeter } from "../../sdk/gas.ts";
import type { BlockCtx, Ctx } from "../../sdk/context.ts";
import type { MsgHandler, ModuleDescriptor } from "../../sdk/module.ts";
import { Branch, StateStore } from "../../store/index.ts";
import { runBeginBlockers, runEndBlockers } from "../blockers.ts";
import { BLOCKER_ORDER, buildModules, type Keepers } from "../modules.ts";
import type { MintKeeper } from "../../modules/leasing/index.ts";
import type { Event } from "cosmjs-types/tendermint/abci/types";

const T0 = 1_700_000_000_000;


export interface MsgResult {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly data?: Uint8Array;
  readonly events: readonly Event[];
}

export interface LeasingSimOptions {
  readonly dbPath: string;
  /** Genesis leasing params (JSON form, decimal strings). */
  readonly params?: Record<string, string>;
  /** utrust balances at genesis. */
  readonly funded: readonly { readonly address: string; readonly amount: bigint }[];
  /** The block provision a fake mint creates into fee_collector each block (0: no mint). */
  readonly provision?: bigint;
  /** A whole leasing genesis section (JSON), instead of `params`. */
  readonly genesis?: unknown;
  /** Skip the per-block invariant check (benchmarks). */
  readonly noInvariants?: boolean;
}

/**
 * The modules this harness runs: leasing on bank and auth. Only leasing's genesis is written, so the others' blockers
 * and invariants (mint's supply record, staking's pools) have no state to work on; the fake mint above stands in for x/mint.
 */
const EXERCISED: ReadonlySet<string> = new Set(["auth", "bank", "leasing"]);

export class LeasingSim {
  readonly store: StateStore;
  readonly keepers: Keepers;
  readonly modules: readonly ModuleDescriptor[];
  readonly #exercised: readonly ModuleDescriptor[];
  height = 0n;
  #block: Branch | undefined;
  readonly #handlers: Map<string, MsgHandler<unknown>>;
  readonly #opts: LeasingSimOptions;
  /** Events of the last block's begin/end blockers. */
  blockEvents: Event[] = [];

  constructor(o: LeasingSimOptions) {
    this.#opts = o;
    this.store = StateStore.open(o.dbPath);
    const built = buildModules();
    this.keepers = built.keepers;
    this.modules = built.modules;
    this.#exercised = built.modules.filter((m) => EXERCISED.has(m.name));
    this.#handlers = new Map(this.modules.flatMap((m) => (m.msgs ?? []).map((h) => [h.typeUrl, h as MsgHandler<unknown>] as const)));
    const provision = o.provision ?? 0n;
    const mint: MintKeeper = { blockProvision: () => provision };
    this.keepers.leasing.setMintKeeper(mint);
    const gen = new Branch(this.store);
    const ctx = this.#ctx(gen, 1n);
    const leasing = this.modules.find((m) => m.name === "leasing");
    if (!leasing?.genesis) throw new Error("no leasing module");
    leasing.genesis.initGenesis(ctx, leasing.genesis.validateGenesis(o.genesis ?? (o.params ? { params: o.params } : undefined)));
    for (const f of o.funded) this.keepers.bank.mintCoins(ctx, f.address, [{ denom: "utrust", amount: f.amount }]);
    this.store.stage(1n, gen.changes());
    this.store.commit();
    this.height = 1n;
  }

  #ctx(store: Branch, height: bigint): BlockCtx {
    return {
      store, height, time: new Date(T0 + Number(height) * 1000), chainId: "trustnet-local-1", mode: "finalize", events: new EventSink(), gas: new GasMeter(),
      block: { misbehavior: [], lastCommitVotes: [], proposerAddress: new Uint8Array(20) },
    };
  }

  /** Opens the next block: the fake mint's provision into fee_collector, then the begin-blockers. */
  begin(): void {
    const h = this.height + 1n;
    const block = new Branch(this.store);
    const ctx = this.#ctx(block, h);
    if ((this.#opts.provision ?? 0n) > 0n) this.keepers.bank.mintCoins(ctx, this.keepers.bank.moduleAccounts.get("fee_collector").address, [{ denom: "utrust", amount: this.#opts.provision ?? 0n }]);
    runBeginBlockers(this.#exercised, BLOCKER_ORDER.begin.filter((n) => EXERCISED.has(n)), ctx);
    this.blockEvents = ctx.events.list();
    this.#block = block;
  }

  /** Runs one message from `sender` in the open block; its writes stay only when it succeeds. */
  run(sender: string, typeUrl: string, value: object): MsgResult {
    const block = this.#block;
    if (!block) throw new Error("run() outside a block: call begin() first");
    const h = this.#handlers.get(typeUrl);
    if (!h) throw new Error(`no handler for ${typeUrl}`);
    const sub = block.branch();
    const ctx: Ctx = this.#ctx(sub, this.height + 1n);
    try {
      const msg = value as never;
      h.validateBasic(msg);
      if (h.signers(msg)[0] !== sender) return { code: 4, codespace: "sdk", log: `${sender} is not the signer`, events: [] };
      const r = h.handle(ctx, msg);
      sub.writeTo(block);
      return { code: 0, codespace: "", log: "", data: r.value, events: ctx.events.list() };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return { code: e.code, codespace: e.codespace, log: e.message, events: [] };
    }
  }

  /** End-blockers, invariants, commit. */
  end(): void {
    const block = this.#block;
    if (!block) throw new Error("end() without begin()");
    const h = this.height + 1n;
    const ctx = this.#ctx(block, h);
    runEndBlockers(this.#exercised, BLOCKER_ORDER.end.filter((n) => EXERCISED.has(n)), ctx);
    this.blockEvents.push(...ctx.events.list());
    if (!this.#opts.noInvariants) this.checkInvariants(block, h);
    this.store.stage(h, block.changes());
    this.store.commit();
    this.height = h;
    this.#block = undefined;
  }

  /** One whole block with `fn` inside. */
  block<T>(fn: () => T = () => undefined as T): T {
    this.begin();
    const out = fn();
    this.end();
    return out;
  }

  checkInvariants(view: Branch | StateStore = this.store, height = this.height): void {
    const ctx = { store: view instanceof Branch ? view : new Branch(view), height, chainId: "trustnet-local-1" };
    for (const m of this.#exercised) {
      for (const inv of m.invariants ?? []) {
        const r = inv.check(ctx);
        if (r.broken) throw new Error(`invariant ${inv.name} broken at height ${height}: ${r.msg}`);
      }
    }
  }

  /** Every committed key/value of the leasing, bank and auth modules (hex), to show that a refused message changed nothing. */
  snapshot(): string[] {
    const out: string[] = [];
    for (const prefix of ["leasing/", "bank/", "auth/"]) {
      for (const [k, v] of this.store.iterate(new TextEncoder().encode(prefix))) out.push(`${Buffer.from(k).toString("hex")}=${Buffer.from(v).toString("hex")}`);
    }
    return out;
  }

  balance(address: string): bigint {
    return this.keepers.bank.getBalance(this.store, address, "utrust");
  }

  /** A query against the committed state. */
  query<T>(path: string, data: Uint8Array, decode: (b: Uint8Array) => T): T {
    const q = this.modules.flatMap((m) => m.queries ?? []).find((x) => x.path === path);
    if (!q) throw new Error(`no query ${path}`);
    return decode(q.handle({ store: new Branch(this.store), height: this.height, chainId: "trustnet-local-1" }, data));
  }

  close(): void {
    this.store.close();
  }
}
