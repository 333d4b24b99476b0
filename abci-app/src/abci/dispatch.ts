// The one table that maps each ABCI 2.0 method (Request/Response oneof key) to its name, its protobuf codecs
// and the Application method that answers it. Both transports (socket and gRPC) dispatch through it.
import type { BinaryReader, BinaryWriter } from "cosmjs-types/binary";
import {
  RequestApplySnapshotChunk, RequestCheckTx, RequestCommit, RequestEcho, RequestExtendVote, RequestFinalizeBlock,
  RequestFlush, RequestInfo, RequestInitChain, RequestListSnapshots, RequestLoadSnapshotChunk, RequestOfferSnapshot,
  RequestPrepareProposal, RequestProcessProposal, RequestQuery, RequestVerifyVoteExtension, Response,
  ResponseApplySnapshotChunk, ResponseCheckTx, ResponseCommit, ResponseEcho, ResponseExtendVote, ResponseFinalizeBlock,
  ResponseFlush, ResponseInfo, ResponseInitChain, ResponseListSnapshots, ResponseLoadSnapshotChunk,
  ResponseOfferSnapshot, ResponsePrepareProposal, ResponseProcessProposal, ResponseQuery, ResponseVerifyVoteExtension,
} from "cosmjs-types/tendermint/abci/types";
import type { Request } from "cosmjs-types/tendermint/abci/types";
import type { Application, Reply } from "./application.ts";
import { errorMessage } from "./logger.ts";

/** The oneof key of an ABCI method, shared by `Request` and `Response` (e.g. "finalizeBlock"). */
export type MethodKey = keyof Request;

/** Encoder/decoder of one protobuf message type, as cosmjs-types generates them. */
export interface MessageCodec<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
}

/** One row of the method table. */
export interface MethodSpec<K extends MethodKey> {
  /** The protobuf/gRPC method name, e.g. "FinalizeBlock" (gRPC path /tendermint.abci.ABCI/FinalizeBlock). */
  readonly name: string;
  readonly request: MessageCodec<NonNullable<Request[K]>>;
  readonly response: MessageCodec<NonNullable<Response[K]>>;
  readonly call: (app: Application, req: NonNullable<Request[K]>) => Reply<Partial<NonNullable<Response[K]>>>;
}

export type MethodTable = { readonly [K in MethodKey]: MethodSpec<K> };

/** All 16 ABCI 2.0 methods (CometBFT v0.38, proto package tendermint.abci). Echo and Flush never reach the app. */
export const ABCI_METHODS: MethodTable = {
  echo: { name: "Echo", request: RequestEcho, response: ResponseEcho, call: (_app, r) => ({ message: r.message }) },
  flush: { name: "Flush", request: RequestFlush, response: ResponseFlush, call: () => ({}) },
  info: { name: "Info", request: RequestInfo, response: ResponseInfo, call: (app, r) => app.info(r) },
  initChain: { name: "InitChain", request: RequestInitChain, response: ResponseInitChain, call: (app, r) => app.initChain(r) },
  query: { name: "Query", request: RequestQuery, response: ResponseQuery, call: (app, r) => app.query(r) },
  checkTx: { name: "CheckTx", request: RequestCheckTx, response: ResponseCheckTx, call: (app, r) => app.checkTx(r) },
  commit: { name: "Commit", request: RequestCommit, response: ResponseCommit, call: (app, r) => app.commit(r) },
  listSnapshots: {
    name: "ListSnapshots", request: RequestListSnapshots, response: ResponseListSnapshots,
    call: (app, r) => app.listSnapshots(r),
  },
  offerSnapshot: {
    name: "OfferSnapshot", request: RequestOfferSnapshot, response: ResponseOfferSnapshot,
    call: (app, r) => app.offerSnapshot(r),
  },
  loadSnapshotChunk: {
    name: "LoadSnapshotChunk", request: RequestLoadSnapshotChunk, response: ResponseLoadSnapshotChunk,
    call: (app, r) => app.loadSnapshotChunk(r),
  },
  applySnapshotChunk: {
    name: "ApplySnapshotChunk", request: RequestApplySnapshotChunk, response: ResponseApplySnapshotChunk,
    call: (app, r) => app.applySnapshotChunk(r),
  },
  prepareProposal: {
    name: "PrepareProposal", request: RequestPrepareProposal, response: ResponsePrepareProposal,
    call: (app, r) => app.prepareProposal(r),
  },
  processProposal: {
    name: "ProcessProposal", request: RequestProcessProposal, response: ResponseProcessProposal,
    call: (app, r) => app.processProposal(r),
  },
  extendVote: { name: "ExtendVote", request: RequestExtendVote, response: ResponseExtendVote, call: (app, r) => app.extendVote(r) },
  verifyVoteExtension: {
    name: "VerifyVoteExtension", request: RequestVerifyVoteExtension, response: ResponseVerifyVoteExtension,
    call: (app, r) => app.verifyVoteExtension(r),
  },
  finalizeBlock: {
    name: "FinalizeBlock", request: RequestFinalizeBlock, response: ResponseFinalizeBlock,
    call: (app, r) => app.finalizeBlock(r),
  },
};

export const METHOD_KEYS: readonly MethodKey[] = Object.keys(ABCI_METHODS) as MethodKey[];

/** The result of dispatching one request: the response, or the error to report as an exception. */
export type DispatchResult =
  | { readonly ok: true; readonly key: MethodKey; readonly response: Response }
  | { readonly ok: false; readonly key: MethodKey | undefined; readonly error: string; readonly cause?: unknown };

/** Which oneof keys a decoded Request sets (normally exactly one). */
export function requestKeys(request: Request): MethodKey[] {
  return METHOD_KEYS.filter((k) => request[k] !== undefined);
}

/** Runs one method of the app and wraps its (partial) answer into a full `Response`. Never throws. */
export async function callMethod<K extends MethodKey>(
  app: Application, key: K, req: NonNullable<Request[K]>,
): Promise<DispatchResult> {
  const spec = ABCI_METHODS[key] as MethodSpec<K>;
  try {
    const partial: unknown = (await spec.call(app, req)) ?? {};
    if (typeof partial !== "object" || partial === null) {
      return { ok: false, key, error: `${spec.name} handler returned ${typeof partial}, expected an object` };
    }
    const response = Response.fromPartial({ [key]: partial } as Parameters<typeof Response.fromPartial>[0]);
    return { ok: true, key, response };
  } catch (cause) {
    return { ok: false, key, error: `${spec.name} failed: ${errorMessage(cause)}`, cause };
  }
}

/** Dispatches a decoded socket `Request` (a oneof wrapper). Never throws. */
export async function dispatchRequest(app: Application, request: Request): Promise<DispatchResult> {
  const keys = requestKeys(request);
  const [key] = keys;
  if (key === undefined) {
    return {
      ok: false, key: undefined,
      error: "unknown or empty ABCI request: no ABCI 2.0 method field is set (this app speaks ABCI 2.0 as in CometBFT v0.38)",
    };
  }
  if (keys.length > 1) {
    return { ok: false, key: undefined, error: `malformed ABCI request: it sets ${keys.length} methods (${keys.join(", ")})` };
  }
  return callMethod(app, key, request[key] as NonNullable<Request[typeof key]>);
}

/** `Response{exception:{error}}`. */
export function exceptionResponse(error: string): Response {
  return Response.fromPartial({ exception: { error } });
}

/** Encodes a Response; if the app's answer cannot be encoded, encodes an exception that says so instead. */
export function encodeResponse(response: Response): { readonly bytes: Uint8Array; readonly error?: string } {
  try {
    return { bytes: Response.encode(response).finish() };
  } catch (cause) {
    const key = METHOD_KEYS.find((k) => response[k] !== undefined);
    const error = `cannot encode the ${key ? ABCI_METHODS[key].name : "ABCI"} response: ${errorMessage(cause)}`;
    return { bytes: Response.encode(exceptionResponse(error)).finish(), error };
  }
}
