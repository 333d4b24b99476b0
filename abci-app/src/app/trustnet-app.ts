import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import { SimulateRequest, SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { ConfigResponse, StatusResponse } from "cosmjs-types/cosmos/base/node/v1beta1/query";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import {
  type RequestCheckTx, type RequestFinalizeBlock, type RequestInfo, type RequestInitChain, type RequestPrepareProposal,
  type RequestQuery, type ResponseCheckTx, type ResponseFinalizeBlock, type ResponseInfo, type ResponseInitChain,
  type RequestProcessProposal, type ResponsePrepareProposal, type ResponseProcessProposal, type ResponseQuery,
  CheckTxType, ExecTxResult, ResponseProcessProposal_ProposalStatus, ValidatorUpdate,
} from "cosmjs-types/tendermint/abci/types";
import "../sdk/proto-writer.ts"; // exact-size protobuf buffers (cosmjs-types allocates an 8 KiB slab per encode)
import { BaseApplication } from "../abci/base-application.ts";
import { Branch, type KVReader, type StateStore } from "../store/index.ts";
import type { BlockCtx, Ctx, QueryCtx } from "../sdk/context.ts";
import { assertBlockerOrder, genesisValidators, runBeginBlockers, runEndBlockers } from "./blockers.ts";
import { AppError, ErrInvalidHeight, ErrInvalidRequest, ErrOutOfGas, ErrTxDecode, ErrTxInMempoolCache } from "../sdk/errors.ts";
import { EventSink } from "../sdk/events.ts";
import { type BlockTime, blockTime, formatBlockTime, parseBlockTime } from "../sdk/block-time.ts";
import { GasMeter } from "../sdk/gas.ts";
import { txResultFieldBytes } from "../abci/response-encoder.ts";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../abci/framing.ts";
import { blockMaxBytesProblem } from "./block-size-limit.ts";
import {
  ABCI_ANSWER_LIMIT_BYTES, BlockAnswerBudget, CHECK_RESULTS_FROM_BYTES, ErrTxResultsTooLarge, fitEndEvents, MAX_BLOCK_TXS,
  MAX_TX_RESULT_BYTES, ProposalAnswerEstimate, proposalTxBytes,
} from "./block-answer-budget.ts";
import { parseAppState } from "./genesis.ts";
import { deadlineTooSoon, unproposable } from "./tx/proposal-rules.ts";
import { firstBrokenInvariant } from "./invariants.ts";
import { fromUtf8, utf8 } from "../sdk/keys.ts";
import type { ModuleDescriptor, MsgHandler } from "../sdk/module.ts";
import { type AppWiring, type BlockerOrder, buildModules, type Keepers } from "./modules.ts";
import { FeeCollectorName, pendingSignatures, rememberVerified, type SigVerifyPool } from "../modules/auth/index.ts";
import { QueryRouter, queryError } from "./query-router.ts";
import type { AnteDeps } from "../modules/auth/index.ts";
import { decodeTxOnce, scanOrReject } from "../sdk/tx/decode.ts";
import { DecodeCache, txHash } from "./tx/decode-cache.ts";
import { runTx, type TxEnv, type TxOutcome } from "./tx/run-tx.ts";
import * as S from "../sdk/tx/schemas.ts";
import { HistoricalView } from "./historical-view.ts";
import { DEC_ONE, formatDec } from "../sdk/dec.ts";
import { schema } from "../sdk/proto-scan.ts";

const NodeConfigRequest = schema("cosmos.base.node.v1beta1.ConfigRequest", []);
const NodeStatusRequest = schema("cosmos.base.node.v1beta1.StatusRequest", []);

export interface AppLogger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export interface AppOptions {
  readonly store: StateStore;
  readonly logger?: AppLogger;
  /** The modules and their wiring (default: buildModules()); a test registers a test module on a copy. */
  readonly wiring?: AppWiring;
  /** Run every module invariant after each block and halt when one breaks (tests, simulation). */
  readonly checkInvariants?: boolean;
  /** Accept `noop:` txs without signatures (benchmarks only; never on a real network). */
  readonly benchNoopTxs?: boolean;
  /**
   * The gas a simulate may use (the SDK's query-gas-limit). Default: the block max gas, or
   * DEFAULT_SIMULATE_GAS_LIMIT when the block gas is unlimited. A simulate over it answers out of gas (code 11).
   */
  readonly simulateGasLimit?: bigint;
  /**
   * Worker threads that verify signatures ahead of their tx's turn (prepareCheckTx, prepareFinalizeBlock). Optional:
   * without it every signature is verified inline, with the same results.
   */
  readonly sigPool?: SigVerifyPool;
  /**
   * The largest ABCI message this node's server takes (its `maxMessageBytes`; default DEFAULT_MAX_MESSAGE_BYTES).
   * InitChain refuses a genesis whose block.max_bytes could not cross it (app/block-size-limit.ts).
   */
  readonly maxMessageBytes?: number;
}

/** What `exportGenesis` answers: the app_state and where the new chain starts (initial_height = height + 1). */
export interface ExportedGenesis {
  readonly chainId: string;
  readonly height: bigint;
  /** The last block's time: the new chain's genesis_time. */
  readonly time: Date;
  readonly appState: Readonly<Record<string, unknown>>;
}

export const DEFAULT_SIMULATE_GAS_LIMIT = 100_000_000n;

export const APP_VERSION = "0.1.0";
const META_CHAIN_ID = "chain_id";
const META_MAX_GAS = "max_block_gas";
const META_BLOCK_TIME = "last_block_time";
const NOOP_PREFIX = utf8("noop:");
const silent: AppLogger = { info() {}, warn() {}, error() {} };

/** A PrepareProposal answer's txs stay this far below the limit. */
const PROPOSAL_ANSWER_LIMIT_BYTES = ABCI_ANSWER_LIMIT_BYTES - 64 * 1024;
/** The app hash (32 bytes) and the answer's own fields after the events, with room to spare. */
const END_OF_ANSWER_BYTES = 1024;

const isNoop = (tx: Uint8Array): boolean => tx.length >= NOOP_PREFIX.length && NOOP_PREFIX.every((b, i) => tx[i] === b);

/** A tx's ExecTxResult, built field by field: the outcome's events are complete Events already, so no fromPartial copy. */
function outcomeToResult(o: TxOutcome): ExecTxResult {
  return { code: o.code, data: o.data, log: o.log, info: "", gasWanted: o.gasWanted, gasUsed: o.gasUsed, events: o.events, codespace: o.codespace };
}

/**
 * The TrustNet state machine. Pure and deterministic: block execution uses only the request and the committed
 * state. FinalizeBlock stages, Commit persists (one SQLite transaction), CheckTx runs on its own branch.
 */
export class TrustNetApp extends BaseApplication {
  readonly keepers: Keepers;
  readonly modules: readonly ModuleDescriptor[];
  readonly #order: BlockerOrder;
  /** Where the ante handler pays fees: auth's fee_collector module account. */
  readonly #feeCollector: string;
  readonly #store: StateStore;
  readonly #log: AppLogger;
  readonly #opts: AppOptions;
  readonly #router = new Map<string, MsgHandler<unknown>>();
  readonly #queries = new QueryRouter((path, err) => this.#log.error({ err, path }, "internal error in a query"));
  #genesis: Branch | undefined;
  #pending: { height: bigint; time: BlockTime } | undefined;
  #check: Branch;
  /** Hashes of the txs the check state holds (accepted by CheckTx since the last Commit, or rechecked after it). */
  #checkHashes = new Set<string>();
  /** Each tx decoded once, shared by CheckTx, RECHECK, PrepareProposal and FinalizeBlock. */
  readonly #decodes: DecodeCache;
  /** The proposer's estimate of a block's result bytes (PrepareProposal only; no consensus rule). */
  readonly #answerEstimate = new ProposalAnswerEstimate();

  constructor(opts: AppOptions) {
    super();
    this.#opts = opts;
    this.#store = opts.store;
    this.#log = opts.logger ?? silent;
    const { keepers, modules, order } = opts.wiring ?? buildModules();
    this.keepers = keepers;
    this.modules = modules;
    this.#order = order;
    assertBlockerOrder(modules, order);
    this.#feeCollector = keepers.bank.moduleAccounts.get(FeeCollectorName).address; // declared by auth
    for (const m of modules) {
      for (const h of m.msgs ?? []) {
        if (!h.schema) throw new Error(`message ${h.typeUrl} has no schema (strict decoding needs one)`);
        this.#router.set(h.typeUrl, h as MsgHandler<unknown>);
      }
      for (const q of m.queries ?? []) this.#queries.add(q);
    }
    // The router's scan sees the deprecated `tx` field as opaque bytes; #simulate scans it with the Any resolver.
    this.#queries.add({ path: "/cosmos.tx.v1beta1.Service/Simulate", request: S.SimulateRequestEnvelope, handle: (ctx, data) => this.#simulate(ctx, data) });
    // The SDK's node service (client/grpc/node), which it registers on the app's query router too.
    this.#queries.add({ path: "/cosmos.base.node.v1beta1.Service/Config", request: NodeConfigRequest, handle: (ctx) => this.#nodeConfig(ctx) });
    this.#queries.add({ path: "/cosmos.base.node.v1beta1.Service/Status", request: NodeStatusRequest, handle: (ctx) => this.#nodeStatus(ctx) });
    this.#check = new Branch(this.#store);
    this.#decodes = new DecodeCache(this.#router);
    if (opts.sigPool !== undefined) {
      this.prepareCheckTx = (req) => (req.type === CheckTxType.RECHECK ? undefined : this.#preverify([req.tx])); // RECHECK verifies nothing
      if (opts.sigPool.size >= 2) this.prepareFinalizeBlock = (req) => this.#preverify(req.txs.filter((tx) => !this.#decodes.has(txHash(tx))));
    }
  }

  /** The decode cache's hits and misses (a metric; a miss in FinalizeBlock is a tx this node never checked). */
  get decodeStats(): { readonly hits: number; readonly misses: number } {
    return this.#decodes.stats;
  }

  get chainId(): string {
    const v = this.#store.getMeta(META_CHAIN_ID);
    return v ? fromUtf8(v) : (this.#pendingChainId ?? "");
  }

  #pendingChainId: string | undefined;
  #pendingMaxGas: bigint | undefined;

  get #maxGas(): bigint {
    if (this.#pendingMaxGas !== undefined) return this.#pendingMaxGas;
    const v = this.#store.getMeta(META_MAX_GAS);
    return v ? BigInt(fromUtf8(v)) : -1n;
  }

  get #lastBlockTime(): BlockTime {
    const v = this.#store.getMeta(META_BLOCK_TIME);
    return v ? parseBlockTime(fromUtf8(v)) : blockTime(undefined);
  }

  #anteDeps(): AnteDeps {
    return { auth: this.keepers.auth, bank: this.keepers.bank, feeCollector: this.#feeCollector, maxBlockGas: this.#maxGas };
  }

  #env(mode: TxEnv["mode"], height: bigint, time: BlockTime): TxEnv {
    return {
      mode, height, time, chainId: this.chainId, router: this.#router, ante: this.#anteDeps(),
      onInternalError: (err) => this.#log.error({ err }, "internal error while running a tx"),
      simulateGasLimit: this.#opts.simulateGasLimit ?? (this.#maxGas > 0n ? this.#maxGas : DEFAULT_SIMULATE_GAS_LIMIT),
    };
  }

  /**
   * The env of CheckTx and RECHECK: a function of the committed state only (height, block time, chain id, max gas),
   * so it is built once per committed block (reset by InitChain and Commit), not parsed again for every tx.
   */
  #checkEnvs = new Map<string, TxEnv>();

  #checkEnv(mode: "check" | "recheck", keepEvents = false): TxEnv {
    const key = keepEvents ? `${mode}+events` : mode;
    let env = this.#checkEnvs.get(key);
    if (env === undefined) {
      const base = this.#env(mode, this.#store.lastHeight + 1n, this.#lastBlockTime);
      env = keepEvents ? { ...base, keepEvents } : base;
      this.#checkEnvs.set(key, env);
    }
    return env;
  }

  /**
   * Set only with a signature pool (so a transport does no look-ahead for an app without one). Called by the
   * transport for a CheckTx that waits its turn behind other calls: its signatures start verifying on the pool
   * meanwhile (from the committed state's account numbers and keys). Never changes an answer: it only fills the
   * verified-signature and decode memories, both pure functions of the bytes. Never rejects.
   */
  readonly prepareCheckTx?: (req: RequestCheckTx) => Promise<void> | undefined;

  /**
   * The same for the txs of a block that this node never checked (block sync, replay, another proposer's txs), all
   * verified in parallel. Only with two or more workers: with one, the main thread would wait for it as long as it
   * would take to verify them itself. A tx CheckTx has seen (its decode is kept) was verified then.
   */
  readonly prepareFinalizeBlock?: (req: RequestFinalizeBlock) => Promise<void> | undefined;

  #preverify(txs: readonly Uint8Array[]): Promise<void> | undefined {
    const pool = this.#opts.sigPool;
    if (pool === undefined || txs.length === 0) return undefined;
    try {
      const chainId = this.chainId;
      const triples: ReturnType<typeof pendingSignatures> = [];
      for (const tx of txs) {
        if (this.#opts.benchNoopTxs && isNoop(tx)) continue;
        const decoded = this.#decodes.decode(tx, txHash(tx)).tx;
        if (decoded !== undefined) triples.push(...pendingSignatures(decoded, this.#store, chainId, this.keepers.auth));
      }
      if (triples.length === 0) return undefined;
      return pool.verify(triples).then((ok) => {
        ok.forEach((yes, i) => { if (yes) { const t = triples[i]!; rememberVerified(t.sig, t.hash, t.pubkey); } });
      });
    } catch (err) {
      this.#log.error({ err }, "internal error while preparing signatures (they are verified inline)");
      return undefined;
    }
  }

  override info(_req: RequestInfo): Partial<ResponseInfo> {
    const h = this.#store.lastHeight;
    return { data: "trustnet", version: APP_VERSION, appVersion: 1n, lastBlockHeight: h, lastBlockAppHash: h > 0n ? this.#store.lastAppHash : new Uint8Array() };
  }

  override initChain(req: RequestInitChain): Partial<ResponseInitChain> {
    if (this.#store.lastHeight > 0n) throw new Error(`InitChain called but the state is already at height ${this.#store.lastHeight}`);
    const tooLarge = blockMaxBytesProblem(req.consensusParams?.block?.maxBytes, this.#opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
    if (tooLarge) throw ErrInvalidRequest.wrap(`genesis ${tooLarge}`);
    const genesis = parseAppState(req.appStateBytes, this.modules);
    const branch = new Branch(this.#store);
    const time = blockTime(req.time);
    const ctx: Ctx = {
      store: branch, height: req.initialHeight, time: time.date, blockTime: time,
      chainId: req.chainId, mode: "finalize", events: new EventSink(), gas: new GasMeter(),
    };
    this.keepers.consensus.initFrom(branch, req.consensusParams);
    const genesisUpdates: [string, readonly ValidatorUpdate[]][] = [];
    for (const m of this.modules) if (m.genesis) genesisUpdates.push([m.name, m.genesis.initGenesis(ctx, genesis.get(m.name)) ?? []]);
    const validators = genesisValidators(genesisUpdates, req.validators);
    this.keepers.auth.ensureAccount(branch, this.#feeCollector);
    // The sections are valid one by one; together they must satisfy every invariant, or block 1 would halt.
    const broken = firstBrokenInvariant(this.modules, { store: new Branch(branch), height: req.initialHeight, chainId: req.chainId });
    if (broken) throw ErrInvalidRequest.wrap(`genesis app_state.${broken.module} disagrees with the rest of the genesis: invariant ${broken.name} is broken: ${broken.msg}`);
    this.#genesis = branch;
    this.#pendingChainId = req.chainId;
    this.#pendingMaxGas = req.consensusParams?.block?.maxGas ?? -1n;
    this.#check = branch.branch();
    this.#checkEnvs.clear();
    const appHash = this.#store.stage(req.initialHeight, branch.changes()); // the root only; nothing is persisted before Commit
    this.#store.discardStaged();
    this.#log.info({ chainId: req.chainId, initialHeight: req.initialHeight.toString() }, "InitChain");
    return { appHash, validators };
  }

  override checkTx(req: RequestCheckTx): Partial<ResponseCheckTx> {
    try {
      return this.#checkTx(req);
    } catch (err) {
      // A bug, never the sender's fault: refuse the tx with a code (an exception would stop CometBFT's mempool).
      this.#log.error({ err }, "internal error in CheckTx");
      return { code: 1, codespace: "sdk", log: `internal error: ${err instanceof Error ? err.message.slice(0, 500) : String(err)}` };
    }
  }

  #checkTx(req: RequestCheckTx): Partial<ResponseCheckTx> {
    if (this.#opts.benchNoopTxs && isNoop(req.tx)) return { code: 0, gasWanted: 1n, gasUsed: 1n };
    const mode = req.type === CheckTxType.RECHECK ? "recheck" : "check";
    const hash = txHash(req.tx);
    if (mode === "check" && this.#checkHashes.has(hash)) {
      const e = ErrTxInMempoolCache.wrap(`tx ${hash.toUpperCase()}`);
      return { code: e.code, codespace: e.codespace, log: e.message };
    }
    // A large tx's results are measured: one that could never fit a block's answer is refused here, unwritten.
    const large = req.tx.length >= CHECK_RESULTS_FROM_BYTES;
    const env = this.#checkEnv(mode, large);
    const decoded = this.#decodes.decode(req.tx, hash);
    const soon = mode === "check" ? deadlineTooSoon(decoded, env.time) : undefined;
    if (soon !== undefined) return { code: soon.code, codespace: soon.codespace, log: soon.message };
    let resultBytes = 0;
    const o = runTx(env, this.#check, decoded, large ? (out) => {
      resultBytes = txResultFieldBytes(outcomeToResult(out));
      return out.code !== 0 || resultBytes <= MAX_TX_RESULT_BYTES;
    } : undefined);
    if (o.code === 0 && resultBytes > MAX_TX_RESULT_BYTES) {
      const e = ErrTxResultsTooLarge.wrap(`its results take ${resultBytes} bytes, more than the ${MAX_TX_RESULT_BYTES} one tx may have in a block's answer (CometBFT's gRPC client accepts 4 MiB)`);
      return { code: e.code, codespace: e.codespace, log: e.message, gasWanted: o.gasWanted, gasUsed: o.gasUsed };
    }
    if (o.code === 0) this.#checkHashes.add(hash);
    // No `data` in CheckTx, as the SDK: CometBFT's broadcast_tx_sync returns it hex-encoded and cosmjs decodes it
    // as base64, which throws for most lengths (e.g. a MultiSend's TxMsgData).
    return { code: o.code, codespace: o.codespace, log: o.log, gasWanted: o.gasWanted, gasUsed: o.gasUsed };
  }

  /**
   * The proposal: txs in mempool order while they fit max_tx_bytes, max_gas, MAX_BLOCK_TXS and the answer budget
   * (their own bytes in this answer, and their estimated results in FinalizeBlock's: block-answer-budget.ts).
   */
  override prepareProposal(req: RequestPrepareProposal): Partial<ResponsePrepareProposal> {
    const maxGas = this.#maxGas;
    const time = blockTime(req.time);
    const txs: Uint8Array[] = [];
    const taken = new Set<string>();
    let bytes = 0n;
    let gas = 0n;
    let answerBytes = 0;
    let results = 0;
    for (const tx of req.txs) {
      if (bytes + BigInt(tx.length) > req.maxTxBytes || txs.length === MAX_BLOCK_TXS) break;
      let wanted = 0n;
      let hash: string | undefined;
      if (!(this.#opts.benchNoopTxs && isNoop(tx))) {
        hash = txHash(tx);
        if (taken.has(hash)) continue;
        const decoded = this.#decodes.decode(tx, hash);
        // ProcessProposal's rule (proposal-rules.ts): never propose what it would reject
        if (unproposable(decoded, req.height, time) !== undefined) continue;
        wanted = decoded.gasWanted;
      }
      if (maxGas > 0n && gas + wanted > maxGas) continue;
      const own = proposalTxBytes(tx.length);
      const result = this.#answerEstimate.estimate(tx.length);
      if (answerBytes + own > PROPOSAL_ANSWER_LIMIT_BYTES || (txs.length > 0 && results + result > ProposalAnswerEstimate.limit)) break;
      bytes += BigInt(tx.length);
      gas += wanted;
      answerBytes += own;
      results += result;
      if (hash !== undefined) taken.add(hash);
      txs.push(tx);
    }
    return { txs };
  }

  /**
   * Rejects a block that an honest PrepareProposal could not have made: more txs than the answer budget can refuse
   * (MAX_BLOCK_TXS), a tx twice, a tx that is not well-formed or has expired at this block (proposal-rules.ts), or
   * declared gas past max_gas. Such txs would fail in FinalizeBlock without paying, so a block of them is free junk.
   */
  override processProposal(req: RequestProcessProposal): Partial<ResponseProcessProposal> {
    const reject = (why: string, index?: number): Partial<ResponseProcessProposal> => {
      this.#log.warn({ height: req.height, txs: req.txs.length, index, why }, "rejected a proposal");
      return { status: ResponseProcessProposal_ProposalStatus.REJECT };
    };
    if (req.txs.length > MAX_BLOCK_TXS) return reject(`more than ${MAX_BLOCK_TXS} txs`);
    const time = blockTime(req.time);
    const maxGas = this.#maxGas;
    const seen = new Set<string>();
    let gas = 0n;
    for (let i = 0; i < req.txs.length; i++) {
      const tx = req.txs[i]!;
      if (this.#opts.benchNoopTxs && isNoop(tx)) continue;
      const hash = txHash(tx);
      if (seen.has(hash)) return reject(`tx ${hash.toUpperCase()} appears twice`, i);
      seen.add(hash);
      const decoded = this.#decodes.decode(tx, hash);
      const problem = unproposable(decoded, req.height, time);
      if (problem !== undefined) return reject(`tx ${hash.toUpperCase()}: ${problem}`, i);
      gas += decoded.gasWanted;
      if (maxGas > 0n && gas > maxGas) return reject(`the txs declare more gas than max_gas ${maxGas}`, i);
    }
    return { status: ResponseProcessProposal_ProposalStatus.ACCEPT };
  }

  override finalizeBlock(req: RequestFinalizeBlock): Partial<ResponseFinalizeBlock> {
    const time = blockTime(req.time);
    const block = new Branch(this.#store);
    this.#genesis?.writeTo(block);
    const blockCtx = (): BlockCtx => ({
      store: block, height: req.height, time: time.date, blockTime: time, chainId: this.chainId, mode: "finalize", events: new EventSink(), gas: new GasMeter(),
      block: { misbehavior: req.misbehavior, lastCommitVotes: req.decidedLastCommit?.votes ?? [], proposerAddress: req.proposerAddress },
    });
    const beginCtx = blockCtx();
    runBeginBlockers(this.modules, this.#order.begin, beginCtx);
    // As SDK v0.50's baseapp: every block event says which phase emitted it (`mode`, not indexed).
    beginCtx.events.addAttribute(0, "mode", "BeginBlock", false);
    const beginEvents = beginCtx.events.list();
    const env = this.#env("finalize", req.height, time);
    const maxGas = this.#maxGas;
    // The answer must fit what CometBFT's ABCI client accepts: past the budget a tx is refused unexecuted.
    const budget = new BlockAnswerBudget(req.txs.length, beginEvents);
    let blockGas = 0n;
    let admittedTxBytes = 0;
    const txResults = req.txs.map((tx) => {
      if (this.#opts.benchNoopTxs && isNoop(tx)) {
        const r = ExecTxResult.fromPartial({ code: 0, gasWanted: 1n, gasUsed: 1n });
        if (!budget.admit(r)) return budget.refuse(1n);
        admittedTxBytes += tx.length;
        return r;
      }
      const hash = txHash(tx);
      const decoded = this.#decodes.decode(tx, hash);
      this.#decodes.forget(hash);
      const wanted = decoded.gasWanted;
      if (budget.full) return budget.refuse(wanted);
      // The block gas meter: a tx whose gas limit would take the block past max_gas is not executed (a correct
      // proposer never includes one; this guards against one that does).
      if (maxGas > 0n && blockGas + wanted > maxGas) {
        const e = ErrOutOfGas.wrap(`block gas limit reached: block used ${blockGas}, tx wants ${wanted}, max_gas ${maxGas}`);
        const r = ExecTxResult.fromPartial({ code: e.code, codespace: e.codespace, log: e.message, gasWanted: wanted });
        if (!budget.admit(r)) return budget.refuse(wanted);
        admittedTxBytes += tx.length;
        return r;
      }
      let result: ExecTxResult | undefined;
      const o = runTx(env, block, decoded, (out) => {
        const r = outcomeToResult(out);
        if (!budget.admit(r)) return false;
        result = r;
        return true;
      });
      if (result === undefined) return budget.refuse(wanted);
      // As the SDK's block gas meter (GasConsumedToLimit): what the tx used, at most what it declared. A tx that ran
      // out of gas used more than it declared, but counting that would refuse later txs PrepareProposal planned for.
      blockGas += o.gasUsed < o.gasWanted ? o.gasUsed : o.gasWanted;
      admittedTxBytes += tx.length;
      return result;
    });
    this.#answerEstimate.learn(budget.admittedBytes, admittedTxBytes);
    const endCtx = blockCtx();
    const validatorUpdates = runEndBlockers(this.modules, this.#order.end, endCtx);
    endCtx.events.addAttribute(0, "mode", "EndBlock", false);
    if (this.#opts.checkInvariants) this.#assertInvariants(block, req.height);
    this.#store.setMetaStaged(META_BLOCK_TIME, utf8(formatBlockTime(time)));
    if (this.#pendingChainId !== undefined) {
      this.#store.setMetaStaged(META_CHAIN_ID, utf8(this.#pendingChainId));
      this.#store.setMetaStaged(META_MAX_GAS, utf8(String(this.#pendingMaxGas ?? -1n)));
    }
    const appHash = this.#store.stage(req.height, block.changes());
    this.#pending = { height: req.height, time };
    // The end-block events fit the reserve kept for them (bounded sweeps); if ever they do not, the last are dropped.
    const end = fitEndEvents(budget.usedBytes, END_OF_ANSWER_BYTES + validatorUpdates.reduce((n, v) => n + 8 + ValidatorUpdate.encode(v).finish().length, 0), endCtx.events.list());
    if (end.dropped > 0) this.#log.error({ height: req.height, dropped: end.dropped }, "end-block events dropped: the FinalizeBlock answer would pass the ABCI limit");
    return { txResults, appHash, validatorUpdates, events: [...beginEvents, ...end.events] };
  }

  override commit(): { retainHeight: bigint } {
    if (!this.#pending) throw new Error("Commit without FinalizeBlock");
    this.#store.commit();
    this.#pending = undefined;
    this.#genesis = undefined;
    this.#pendingChainId = undefined;
    this.#pendingMaxGas = undefined;
    this.#check = new Branch(this.#store);
    this.#checkEnvs.clear();
    this.#checkHashes = new Set();
    return { retainHeight: 0n };
  }

  override query(req: RequestQuery): Partial<ResponseQuery> {
    try {
      return this.#query(req);
    } catch (err) {
      return queryError(err, this.#store.lastHeight, (e) => this.#log.error({ err: e, path: req.path.slice(0, 200) }, "internal error in a query"));
    }
  }

  #query(req: RequestQuery): Partial<ResponseQuery> {
    if (req.prove) {
      const e = ErrInvalidRequest.wrap(`query path ${JSON.stringify(req.path.slice(0, 200))} does not support proofs (prove=true)`);
      return { code: e.code, codespace: e.codespace, log: e.message, height: this.#store.lastHeight };
    }
    const last = this.#store.lastHeight;
    const height = req.height === 0n ? last : req.height;
    if (height > last || height < 1n || height < this.#store.oldestHeight) {
      const e = ErrInvalidHeight.wrap(`height ${req.height} is not available (oldest ${this.#store.oldestHeight}, latest ${last})`);
      return { code: e.code, codespace: e.codespace, log: e.message, height: last };
    }
    const view: KVReader = height === last ? this.#store : new HistoricalView(this.#store, height);
    const ctx: QueryCtx = { store: new Branch(view), height, chainId: this.chainId };
    return this.#queries.run(req.path, req.data, ctx);
  }

  #simulate(ctx: QueryCtx, data: Uint8Array): Uint8Array {
    scanOrReject(data, S.SimulateRequest, {
      allowNonCritical: true, resolveAny: (url) => this.#router.get(url)?.schema ?? S.PUBKEY_SCHEMAS.get(url),
    });
    const req = SimulateRequest.decode(data);
    // cosmjs sends an encoded Tx{body, auth_info, signatures}: wire-identical to TxRaw{body_bytes, auth_info_bytes,
    // signatures}, since embedded messages are length-delimited bytes. Older clients fill the deprecated `tx` field.
    let raw: Uint8Array;
    if (req.txBytes.length > 0) raw = req.txBytes;
    else if (req.tx) {
      raw = TxRaw.encode({ bodyBytes: TxBody.encode(req.tx.body ?? TxBody.fromPartial({})).finish(), authInfoBytes: AuthInfo.encode(req.tx.authInfo ?? AuthInfo.fromPartial({})).finish(), signatures: req.tx.signatures }).finish();
    } else {
      throw ErrTxDecode.wrap("empty simulate request");
    }
    const o = runTx(this.#env("simulate", ctx.height + 1n, this.#lastBlockTime), new Branch(ctx.store), decodeTxOnce(raw, this.#router));
    if (o.code !== 0) throw new AppError(o.codespace, o.code, o.log);
    // As the SDK's (v0.50) Result: `data` the TxMsgData, and its responses again in `msg_responses`.
    return SimulateResponse.encode(SimulateResponse.fromPartial({
      gasInfo: { gasWanted: o.gasWanted, gasUsed: o.gasUsed },
      result: { data: o.data, log: o.log, events: o.events, msgResponses: TxMsgData.decode(o.data).msgResponses },
    })).finish();
  }

  /**
   * The node's configuration as the SDK's node service reports it: the minimum gas price is the chain's (an auth
   * parameter and a consensus rule here, not a per-node setting) as a DecCoin; history is pruned at every commit
   * beyond the kept heights (keep 0: nothing is pruned); this app has no halt height.
   */
  #nodeConfig(ctx: QueryCtx): Uint8Array {
    const gp = this.keepers.auth.getParams(ctx.store).minGasPrice;
    const keep = this.#store.keepVersions;
    return ConfigResponse.encode({
      minimumGasPrice: `${formatDec((gp.numerator * DEC_ONE) / gp.denominator)}${gp.denom}`,
      pruningKeepRecent: keep.toString(), pruningInterval: keep === 0n ? "0" : "1", haltHeight: 0n,
    }).finish();
  }

  /**
   * The height the query reads at, the oldest height queries can read and, at the latest height, the last block's time. app_hash and
   * validator_hash (the block header's) are CometBFT's: the app does not keep headers, and the REST route adds them.
   */
  #nodeStatus(ctx: QueryCtx): Uint8Array {
    // At the height the query reads (the latest, or a past one asked for); the app keeps only the last block's time,
    // so a past height's is left out (the REST route takes it from CometBFT's header).
    const t = ctx.height === this.#store.lastHeight ? this.#lastBlockTime : undefined;
    return StatusResponse.encode({
      earliestStoreHeight: this.#store.oldestHeight, height: ctx.height, timestamp: t ? { seconds: t.seconds, nanos: t.nanos } : undefined,
      appHash: new Uint8Array(), validatorHash: new Uint8Array(),
    }).finish();
  }

  #assertInvariants(view: KVReader, height: bigint): void {
    const ctx: QueryCtx = { store: new Branch(view), height, chainId: this.chainId };
    const broken = firstBrokenInvariant(this.modules, ctx);
    if (broken) throw new Error(`invariant ${broken.name} broken at height ${height}: ${broken.msg}`);
  }

  /**
   * The committed state as a genesis (the SDK's ExportAppStateAndValidators): every module's section at the last
   * height, from its exportGenesis. A chain started from it, at `height + 1`, holds this state at its first block.
   */
  exportGenesis(): ExportedGenesis {
    const height = this.#store.lastHeight;
    if (height < 1n) throw new Error("nothing to export: no block is committed yet");
    const ctx: QueryCtx = { store: new Branch(this.#store), height, chainId: this.chainId };
    const appState: Record<string, unknown> = {};
    for (const m of this.modules) if (m.genesis) appState[m.name] = m.genesis.toJson(m.genesis.exportGenesis(ctx));
    return { chainId: this.chainId, height, time: this.#lastBlockTime.date, appState };
  }

  /** Runs every invariant against the committed state; for tests. */
  checkInvariants(): void {
    this.#assertInvariants(this.#store, this.#store.lastHeight);
  }
}
