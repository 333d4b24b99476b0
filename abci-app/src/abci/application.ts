import type {
  RequestApplySnapshotChunk, RequestCheckTx, RequestCommit, RequestExtendVote, RequestFinalizeBlock, RequestInfo,
  RequestInitChain, RequestListSnapshots, RequestLoadSnapshotChunk, RequestOfferSnapshot, RequestPrepareProposal,
  RequestProcessProposal, RequestQuery, RequestVerifyVoteExtension, ResponseApplySnapshotChunk, ResponseCheckTx,
  ResponseCommit, ResponseExtendVote, ResponseFinalizeBlock, ResponseInfo, ResponseInitChain, ResponseListSnapshots,
  ResponseLoadSnapshotChunk, ResponseOfferSnapshot, ResponsePrepareProposal, ResponseProcessProposal, ResponseQuery,
  ResponseVerifyVoteExtension,
} from "cosmjs-types/tendermint/abci/types";

/** A handler may answer synchronously or with a promise. */
export type Reply<T> = T | Promise<T>;

/**
 * The ABCI 2.0 application: one method per ABCI call (Echo and Flush are the transport's business).
 * The socket and gRPC servers depend only on this interface; the state machine implements it.
 * Responses may be partial: the transport fills defaults with `Response*.fromPartial`.
 */
export interface Application {
  info(req: RequestInfo): Reply<Partial<ResponseInfo>>;
  query(req: RequestQuery): Reply<Partial<ResponseQuery>>;
  checkTx(req: RequestCheckTx): Reply<Partial<ResponseCheckTx>>;
  initChain(req: RequestInitChain): Reply<Partial<ResponseInitChain>>;
  prepareProposal(req: RequestPrepareProposal): Reply<Partial<ResponsePrepareProposal>>;
  processProposal(req: RequestProcessProposal): Reply<Partial<ResponseProcessProposal>>;
  finalizeBlock(req: RequestFinalizeBlock): Reply<Partial<ResponseFinalizeBlock>>;
  extendVote(req: RequestExtendVote): Reply<Partial<ResponseExtendVote>>;
  verifyVoteExtension(req: RequestVerifyVoteExtension): Reply<Partial<ResponseVerifyVoteExtension>>;
  commit(req: RequestCommit): Reply<Partial<ResponseCommit>>;
  listSnapshots(req: RequestListSnapshots): Reply<Partial<ResponseListSnapshots>>;
  offerSnapshot(req: RequestOfferSnapshot): Reply<Partial<ResponseOfferSnapshot>>;
  loadSnapshotChunk(req: RequestLoadSnapshotChunk): Reply<Partial<ResponseLoadSnapshotChunk>>;
  applySnapshotChunk(req: RequestApplySnapshotChunk): Reply<Partial<ResponseApplySnapshotChunk>>;
  /**
   * Optional early work, started by the transport as a request arrives, before it waits its turn (calls are
   * answered one at a time): e.g. verifying signatures on worker threads. It must not change any answer; the
   * request is answered after the promise settles. It must never reject (a rejection is ignored).
   */
  prepareCheckTx?(req: RequestCheckTx): Promise<void> | undefined;
  prepareFinalizeBlock?(req: RequestFinalizeBlock): Promise<void> | undefined;
}
