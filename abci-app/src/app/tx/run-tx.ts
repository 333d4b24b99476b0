import { TxMsgData } from "cosmjs-types/cosmos/base/abci/v1beta1/abci";
import type { Event } from "cosmjs-types/tendermint/abci/types";
import type { Branch } from "../../store/index.ts";
import type { BlockTime } from "../../sdk/block-time.ts";
import type { Ctx, ExecMode } from "../../sdk/context.ts";
import { AppError } from "../../sdk/errors.ts";
import { EventSink } from "../../sdk/events.ts";
import { GasKVStore } from "../../sdk/gas-kv.ts";
import { GasMeter } from "../../sdk/gas.ts";
import { type AnteDeps, runAnte } from "../../modules/auth/index.ts";
import type { MsgRouter, TxDecodeResult } from "../../sdk/tx/decode.ts";

/** The result of running one transaction; maps 1:1 onto ResponseCheckTx / ExecTxResult. */
export interface TxOutcome {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly gasWanted: bigint;
  readonly gasUsed: bigint;
  readonly events: Event[];
  readonly data: Uint8Array;
}

export interface TxEnv {
  readonly mode: ExecMode;
  readonly height: bigint;
  readonly time: BlockTime;
  readonly chainId: string;
  readonly router: MsgRouter;
  readonly ante: AnteDeps;
  /** Build the events and data in check mode too (CheckTx of a large tx measures its answer: block-answer-budget.ts). */
  readonly keepEvents?: boolean;
  /** The gas a simulate may use (the SDK's query-gas-limit); unset = unlimited. */
  readonly simulateGasLimit?: bigint;
  /** Called for errors that are not AppErrors (bugs): in finalize mode they are then re-thrown (a deliberate halt). */
  readonly onInternalError?: (err: unknown) => void;
}

/**
 * An AppError is the tx's result. Anything else is a bug (or a resource limit such as a stack overflow, whose
 * outcome may differ between nodes): in a block it is re-thrown, so FinalizeBlock fails and the node halts
 * deliberately with the error logged, rather than committing a result another node might not reach. In CheckTx and
 * simulate it becomes code 1 "internal error", logged.
 */
function failure(err: unknown, gasWanted: bigint, gasUsed: bigint, events: Event[], env: TxEnv): TxOutcome {
  if (err instanceof AppError) return { code: err.code, codespace: err.codespace, log: err.message, gasWanted, gasUsed, events, data: new Uint8Array() };
  env.onInternalError?.(err);
  if (env.mode === "finalize") throw err;
  return { code: 1, codespace: "sdk", log: "internal error", gasWanted, gasUsed, events, data: new Uint8Array() };
}

/**
 * Runs a decoded transaction (decodeTxOnce / DecodeCache) on a branch of `parent` (house rule 7). In finalize mode ante effects (fee, sequence) are written
 * back when the ante checks pass, message effects only when every message succeeds. In check/recheck mode a tx is
 * written back only when it succeeds as a whole. In simulate mode nothing is written. `admit` (FinalizeBlock's
 * answer budget) sees the outcome before anything is written, and when it answers false the tx writes nothing.
 */
export function runTx(env: TxEnv, parent: Branch, decoded: TxDecodeResult, admit?: (o: TxOutcome) => boolean): TxOutcome {
  // Every outcome is shown to `admit` before anything of the tx is written; `false` writes nothing.
  const settle = (o: TxOutcome, write?: () => void): TxOutcome => {
    if (admit === undefined || admit(o)) write?.();
    return o;
  };
  const tx = decoded.tx;
  if (tx === undefined) return settle(failure(decoded.error, 0n, 0n, [], env));
  const simulate = env.mode === "simulate";
  const gasWanted = tx.authInfo.fee?.gasLimit ?? 0n;
  const gas = new GasMeter(simulate ? env.simulateGasLimit : gasWanted);
  const txBranch = parent.branch();
  // CheckTx answers neither events nor data (see TrustNetApp.checkTx): in check and recheck mode none are built,
  // except for a large tx, whose answer CheckTx measures (env.keepEvents).
  const answers = env.mode === "finalize" || simulate || env.keepEvents === true;
  const anteEvents = new EventSink({ keep: answers });
  const ctxFor = (store: Branch, events: EventSink): Ctx => ({
    store: new GasKVStore(store, gas), height: env.height, time: env.time.date, blockTime: env.time, chainId: env.chainId, mode: env.mode, events, gas,
  });
  try {
    runAnte(ctxFor(txBranch, anteEvents), tx, env.ante, { verifySignatures: env.mode === "check" || env.mode === "finalize", simulate });
  } catch (err) {
    return settle(failure(err, gasWanted, gas.consumed, [], env));
  }
  const msgBranch = txBranch.branch();
  const msgEvents = new EventSink({ keep: answers });
  const responses: { typeUrl: string; value: Uint8Array }[] = [];
  try {
    const ctx = ctxFor(msgBranch, msgEvents);
    // As the SDK's baseapp (v0.50 runMsgs): every event of message i carries `msg_index` = i, so an indexer can
    // tell the messages of a multi-message tx apart.
    tx.msgs.forEach((m, i) => {
      const from = msgEvents.size;
      responses.push(m.handler.handle(ctx, m.msg as never));
      msgEvents.addAttribute(from, "msg_index", String(i));
    });
  } catch (err) {
    // In a block the fee and the sequence are spent even when a message fails. In CheckTx a failed tx never
    // enters the mempool, so it must leave the check state untouched (else the sender's next tx would see a
    // sequence that no pending tx holds).
    const failed = failure(err, gasWanted, gas.consumed, anteEvents.list(), env);
    return settle(failed, env.mode === "finalize" ? () => { txBranch.writeTo(parent); } : undefined);
  }
  anteEvents.append(msgEvents);
  const data = answers ? TxMsgData.encode(TxMsgData.fromPartial({ msgResponses: responses })).finish() : new Uint8Array();
  const done: TxOutcome = { code: 0, codespace: "", log: "", gasWanted, gasUsed: gas.consumed, events: anteEvents.list(), data };
  return settle(done, simulate ? undefined : () => {
    msgBranch.writeTo(txBranch);
    txBranch.writeTo(parent);
  });
}
