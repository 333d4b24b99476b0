// The size of a block's FinalizeBlock answer is a consensus rule. CometBFT v0.38's gRPC ABCI client (grpc_client.go:
// grpc.NewClient with no call options) accepts answers of at most grpc-go's default 4 MiB; a bigger
// ResponseFinalizeBlock fails the block ("grpc: received message larger than max (5516407 vs. 4194304)", then
// CONSENSUS FAILURE), and every replay of that block fails the same way: the chain stops for good. A bank send's
// result is ~1,400 bytes of events, so ~3,000 sends in one block were enough. The rule holds on every transport, so
// that nodes on socket and on gRPC compute the same results (their codes and gas are in the next block's
// LastResultsHash). See docs/abci-transport.md "The 4 MiB answer".
//
// - FinalizeBlock (this class): a tx whose result would take the answer past the limit is not executed (nothing is
//   written: no fee, no sequence) and answers ErrBlockAnswerFull; so does every later tx of the block. Room is kept
//   for the refusals of the txs still to come, so the answer always fits, whatever the block holds.
// - ProcessProposal: a proposal of more than MAX_BLOCK_TXS txs is rejected (their refusals alone could not fit).
// - PrepareProposal (ProposalAnswerEstimate): the proposer stops a block before its estimated results reach the
//   budget, so the refusal above is for blocks whose results were much larger than expected.
import type { Event, ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { eventsFieldBytes, txResultFieldBytes } from "../abci/response-encoder.ts";
import { registerError } from "../sdk/errors.ts";

/** What CometBFT's gRPC ABCI client accepts in one answer (grpc-go's defaultClientMaxReceiveMessageSize). */
export const ABCI_ANSWER_LIMIT_BYTES = 4 * 1024 * 1024;
/**
 * Kept for what the answer holds after the txs: end-block events (staking matures at most 3 × 256 entries a block,
 * leasing sweeps a bounded batch), validator updates, consensus param updates, the app hash.
 */
export const END_OF_BLOCK_RESERVE_BYTES = 256 * 1024;
/** The tx results' share of the answer (with the begin-block events). */
export const TX_RESULTS_LIMIT_BYTES = ABCI_ANSWER_LIMIT_BYTES - END_OF_BLOCK_RESERVE_BYTES;
/** The most txs a block may hold (ProcessProposal): the refusals of this many fit the budget with room to spare. */
export const MAX_BLOCK_TXS = 10_000;

export const ErrBlockAnswerFull = registerError("trustnet", 1, "block answer full");
export const ErrTxResultsTooLarge = registerError("trustnet", 2, "tx results too large for any block");

/**
 * The largest result one tx may have: alone in a block, after begin-block events of up to 256 KiB, it fits. CheckTx
 * measures the results of every tx from CHECK_RESULTS_FROM_BYTES on (it builds no events otherwise) and refuses a
 * bigger one: such a tx could never apply, and every block holding it would refuse it free of charge.
 */
export const MAX_TX_RESULT_BYTES = TX_RESULTS_LIMIT_BYTES - 256 * 1024;
/** Txs this large have their results measured in CheckTx. Below it a tx's results stay far under the limit. */
export const CHECK_RESULTS_FROM_BYTES = 32 * 1024;

const REFUSAL_LOG = `${ErrBlockAnswerFull.description}: the block's results reached the ${TX_RESULTS_LIMIT_BYTES}-byte budget of an ABCI answer; this tx was not executed and changed nothing: send it again`;

/** The result of a tx the budget refused. */
export function refusal(gasWanted: bigint): ExecTxResult {
  return {
    code: ErrBlockAnswerFull.code, codespace: ErrBlockAnswerFull.codespace, log: REFUSAL_LOG, data: new Uint8Array(), info: "",
    gasWanted, gasUsed: 0n, events: [],
  };
}

/** The most bytes one refusal takes in the answer (the longest gas-wanted varint). */
export const REFUSAL_MAX_BYTES = txResultFieldBytes(refusal(2n ** 64n - 1n));

/** One block's running account of its answer, tx by tx, in block order (deterministic: sizes of deterministic results). */
export class BlockAnswerBudget {
  #used: number;
  /** The admitted results' bytes (what the proposer's estimate learns from). */
  #admitted = 0;
  /** Txs not yet answered. */
  #left: number;
  #full = false;

  constructor(txs: number, beginEvents: readonly Event[]) {
    this.#used = eventsFieldBytes(beginEvents);
    this.#left = txs;
  }

  /** Set once a result did not fit: every later tx of the block is refused unexecuted. */
  get full(): boolean { return this.#full; }

  /** The answer's bytes so far (begin-block events and the tx results counted). */
  get usedBytes(): number { return this.#used; }

  /** The bytes of the results admitted so far (refusals not counted). */
  get admittedBytes(): number { return this.#admitted; }

  /**
   * Whether `result` fits with room left for refusing every later tx; if so it is counted. A result that does not
   * fit makes the block full: the caller then writes nothing of the tx and answers `refuse`.
   */
  admit(result: ExecTxResult): boolean {
    if (this.#full) return false;
    const n = txResultFieldBytes(result);
    if (this.#used + n + (this.#left - 1) * REFUSAL_MAX_BYTES > TX_RESULTS_LIMIT_BYTES) {
      this.#full = true;
      return false;
    }
    this.#used += n;
    this.#admitted += n;
    this.#left -= 1;
    return true;
  }

  /** The refusal of the next tx, counted. */
  refuse(gasWanted: bigint): ExecTxResult {
    this.#full = true;
    const r = refusal(gasWanted);
    this.#used += txResultFieldBytes(r);
    this.#left -= 1;
    return r;
  }
}

/**
 * The end-block events that fit what is left of the answer after `usedBytes` and `otherBytes` (validator and
 * consensus param updates, app hash). Normally all of them; past the limit the last ones are dropped and one
 * `block_answer_trimmed` event says how many (events are not part of any hash, but a stopped chain is worse).
 */
export function fitEndEvents(usedBytes: number, otherBytes: number, events: readonly Event[]): { events: Event[]; dropped: number } {
  const room = ABCI_ANSWER_LIMIT_BYTES - usedBytes - otherBytes;
  if (eventsFieldBytes(events) <= room) return { events: [...events], dropped: 0 };
  const marker = (dropped: number): Event => ({ type: "block_answer_trimmed", attributes: [{ key: "dropped_events", value: String(dropped), index: false }] });
  const kept: Event[] = [];
  let size = eventsFieldBytes([marker(events.length)]);
  for (const e of events) {
    const n = eventsFieldBytes([e]);
    if (size + n > room) break;
    kept.push(e);
    size += n;
  }
  const dropped = events.length - kept.length;
  return { events: [...kept, marker(dropped)], dropped };
}

/**
 * Result bytes per byte of tx assumed before this node has executed a block with txs. A tx's events mostly echo
 * what it carries (addresses, amounts, digests): a bank send's result is ~4.4 times its bytes, a MultiSend's ~4.7.
 */
const FIRST_RESULT_BYTES_PER_TX_BYTE = 8;
/** The share of the budget a proposal's estimated results may fill. */
const PROPOSAL_SHARE = 0.95;
/** The estimate's margin over the ratio last seen. */
const ESTIMATE_MARGIN = 1.1;

/**
 * The proposer's estimate of a block's answer (PrepareProposal; node-local, no consensus rule): a tx's bytes times
 * the result bytes per tx byte of the last block this node executed, with a margin. Results are known only after
 * execution, so a block whose txs answer much more per byte than the last block's can still reach the FinalizeBlock
 * budget, which then refuses the rest.
 */
export class ProposalAnswerEstimate {
  #ratio = FIRST_RESULT_BYTES_PER_TX_BYTE;

  /** Learns from an executed block: its executed txs' result bytes, and those txs' own bytes. */
  learn(resultBytes: number, txBytes: number): void {
    if (txBytes > 0) this.#ratio = Math.max(0.05, resultBytes / txBytes);
  }

  /** A tx's estimated result bytes. */
  estimate(txLength: number): number {
    return Math.ceil(this.#ratio * txLength * ESTIMATE_MARGIN);
  }

  /** The estimated results one proposal may hold. */
  static readonly limit = Math.floor(TX_RESULTS_LIMIT_BYTES * PROPOSAL_SHARE);
}

/** The bytes a tx takes in a PrepareProposal answer (field 1, repeated bytes). */
export function proposalTxBytes(txLength: number): number {
  return 1 + (txLength < 0x80 ? 1 : txLength < 0x4000 ? 2 : txLength < 0x200000 ? 3 : txLength < 0x10000000 ? 4 : 5) + txLength;
}
