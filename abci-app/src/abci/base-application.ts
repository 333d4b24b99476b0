// Safe defaults for every ABCI method, to extend or to use as is in tests.
import {
  ExecTxResult, ResponseApplySnapshotChunk_Result, ResponseOfferSnapshot_Result, ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
} from "cosmjs-types/tendermint/abci/types";
import type {
  RequestApplySnapshotChunk, RequestCheckTx, RequestCommit, RequestExtendVote, RequestFinalizeBlock, RequestInfo,
  RequestInitChain, RequestListSnapshots, RequestLoadSnapshotChunk, RequestOfferSnapshot, RequestPrepareProposal,
  RequestProcessProposal, RequestQuery, RequestVerifyVoteExtension, ResponseApplySnapshotChunk, ResponseCheckTx,
  ResponseCommit, ResponseExtendVote, ResponseFinalizeBlock, ResponseInfo, ResponseInitChain, ResponseListSnapshots,
  ResponseLoadSnapshotChunk, ResponseOfferSnapshot, ResponsePrepareProposal, ResponseProcessProposal, ResponseQuery,
  ResponseVerifyVoteExtension,
} from "cosmjs-types/tendermint/abci/types";
import type { Application, Reply } from "./application.ts";

/**
 * Keeps txs in proposal order while their summed byte length stays ≤ maxTxBytes; stops at the first tx that would
 * overflow (as CometBFT's BaseApplication does), so the proposer never exceeds the block's data limit.
 */
export function takeTxsWithinLimit(txs: readonly Uint8Array[], maxTxBytes: bigint): Uint8Array[] {
  const kept: Uint8Array[] = [];
  let total = 0n;
  for (const tx of txs) {
    total += BigInt(tx.length);
    if (total > maxTxBytes) break;
    kept.push(tx);
  }
  return kept;
}

/**
 * An Application whose every method answers safely: empty Info (height 0), accept every tx, ProcessProposal and
 * VerifyVoteExtension ACCEPT (never UNKNOWN, which panics CometBFT), PrepareProposal trimmed to max_tx_bytes,
 * FinalizeBlock with one OK result per tx, no snapshots (offers and chunks ABORT).
 */
export class BaseApplication implements Application {
  info(_req: RequestInfo): Reply<Partial<ResponseInfo>> {
    return {};
  }

  query(_req: RequestQuery): Reply<Partial<ResponseQuery>> {
    return {};
  }

  checkTx(_req: RequestCheckTx): Reply<Partial<ResponseCheckTx>> {
    return { code: 0 };
  }

  initChain(_req: RequestInitChain): Reply<Partial<ResponseInitChain>> {
    return {};
  }

  prepareProposal(req: RequestPrepareProposal): Reply<Partial<ResponsePrepareProposal>> {
    return { txs: takeTxsWithinLimit(req.txs, req.maxTxBytes) };
  }

  processProposal(_req: RequestProcessProposal): Reply<Partial<ResponseProcessProposal>> {
    return { status: ResponseProcessProposal_ProposalStatus.ACCEPT };
  }

  finalizeBlock(req: RequestFinalizeBlock): Reply<Partial<ResponseFinalizeBlock>> {
    return { txResults: req.txs.map(() => ExecTxResult.fromPartial({ code: 0 })) };
  }

  extendVote(_req: RequestExtendVote): Reply<Partial<ResponseExtendVote>> {
    return {};
  }

  verifyVoteExtension(_req: RequestVerifyVoteExtension): Reply<Partial<ResponseVerifyVoteExtension>> {
    return { status: ResponseVerifyVoteExtension_VerifyStatus.ACCEPT };
  }

  commit(_req: RequestCommit): Reply<Partial<ResponseCommit>> {
    return { retainHeight: 0n };
  }

  listSnapshots(_req: RequestListSnapshots): Reply<Partial<ResponseListSnapshots>> {
    return { snapshots: [] };
  }

  offerSnapshot(_req: RequestOfferSnapshot): Reply<Partial<ResponseOfferSnapshot>> {
    return { result: ResponseOfferSnapshot_Result.ABORT };
  }

  loadSnapshotChunk(_req: RequestLoadSnapshotChunk): Reply<Partial<ResponseLoadSnapshotChunk>> {
    return { chunk: new Uint8Array(0) };
  }

  applySnapshotChunk(_req: RequestApplySnapshotChunk): Reply<Partial<ResponseApplySnapshotChunk>> {
    return { result: ResponseApplySnapshotChunk_Result.ABORT };
  }
}
