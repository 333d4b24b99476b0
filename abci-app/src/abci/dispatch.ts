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
  ResponseApplySnapshotChunk_Result, ResponseOfferSnapshot_Result, ResponseProcessProposal_ProposalStatus,
  ResponseVerifyVoteExtension_VerifyStatus,
} from "cosmjs-types/tendermint/abci/types";
import type { Request } from "cosmjs-types/tendermint/abci/types";
import type { Application, Reply } from "./application.ts";
import { encodeUvarint } from "./framing.ts";
import { errorMessage } from "./logger.ts";
import { encodeCheckTxAnswer, encodeFinalizeBlockAnswer } from "./response-encoder.ts";

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
  /**
   * The answer when `call` throws. Every method but InitChain, FinalizeBlock and Commit has one: an exception would
   * make CometBFT stop (a query connection error exits the node), so a failure becomes a code or a refusal instead.
   * Those three have no safe answer: their errors halt the node deliberately, with the error logged.
   */
  readonly onError?: (error: string) => Partial<NonNullable<Response[K]>>;
  /**
   * Encodes the app's partial answer directly (the same bytes as `response.encode(response.fromPartial(answer))`).
   * Set for FinalizeBlock and CheckTx, whose answers are big or frequent: `callMethod` then skips fromPartial and
   * encodes at once, so an answer that cannot be encoded still fails as the method (CheckTx: its `onError` answer).
   */
  readonly encodeAnswer?: (answer: Partial<NonNullable<Response[K]>>) => Uint8Array;
}

export type MethodTable = { readonly [K in MethodKey]: MethodSpec<K> };

/** The code a failed Query or CheckTx answers with: the SDK's ErrInternal (1). */
const internal = (error: string) => ({ code: 1, codespace: "sdk", log: `internal error: ${error}` });

/** All 16 ABCI 2.0 methods (CometBFT v0.38, proto package tendermint.abci). Echo and Flush never reach the app. */
export const ABCI_METHODS: MethodTable = {
  echo: { name: "Echo", request: RequestEcho, response: ResponseEcho, call: (_app, r) => ({ message: r.message }) },
  flush: { name: "Flush", request: RequestFlush, response: ResponseFlush, call: () => ({}) },
  info: { name: "Info", request: RequestInfo, response: ResponseInfo, call: (app, r) => app.info(r),
    onError: (error) => ({ data: `trustnet (Info failed: ${error})` }) },
  initChain: { name: "InitChain", request: RequestInitChain, response: ResponseInitChain, call: (app, r) => app.initChain(r) },
  query: { name: "Query", request: RequestQuery, response: ResponseQuery, call: (app, r) => app.query(r), onError: internal },
  checkTx: {
    name: "CheckTx", request: RequestCheckTx, response: ResponseCheckTx, call: (app, r) => app.checkTx(r), onError: internal,
    encodeAnswer: encodeCheckTxAnswer,
  },
  commit: { name: "Commit", request: RequestCommit, response: ResponseCommit, call: (app, r) => app.commit(r) },
  listSnapshots: {
    name: "ListSnapshots", request: RequestListSnapshots, response: ResponseListSnapshots,
    call: (app, r) => app.listSnapshots(r), onError: () => ({ snapshots: [] }),
  },
  offerSnapshot: {
    name: "OfferSnapshot", request: RequestOfferSnapshot, response: ResponseOfferSnapshot,
    call: (app, r) => app.offerSnapshot(r), onError: () => ({ result: ResponseOfferSnapshot_Result.REJECT }),
  },
  loadSnapshotChunk: {
    name: "LoadSnapshotChunk", request: RequestLoadSnapshotChunk, response: ResponseLoadSnapshotChunk,
    call: (app, r) => app.loadSnapshotChunk(r), onError: () => ({ chunk: new Uint8Array() }),
  },
  applySnapshotChunk: {
    name: "ApplySnapshotChunk", request: RequestApplySnapshotChunk, response: ResponseApplySnapshotChunk,
    call: (app, r) => app.applySnapshotChunk(r), onError: () => ({ result: ResponseApplySnapshotChunk_Result.REJECT_SNAPSHOT }),
  },
  prepareProposal: {
    name: "PrepareProposal", request: RequestPrepareProposal, response: ResponsePrepareProposal,
    call: (app, r) => app.prepareProposal(r), onError: () => ({ txs: [] }),
  },
  processProposal: {
    name: "ProcessProposal", request: RequestProcessProposal, response: ResponseProcessProposal,
    call: (app, r) => app.processProposal(r), onError: () => ({ status: ResponseProcessProposal_ProposalStatus.REJECT }),
  },
  extendVote: { name: "ExtendVote", request: RequestExtendVote, response: ResponseExtendVote, call: (app, r) => app.extendVote(r),
    onError: () => ({ voteExtension: new Uint8Array() }) },
  verifyVoteExtension: {
    name: "VerifyVoteExtension", request: RequestVerifyVoteExtension, response: ResponseVerifyVoteExtension,
    call: (app, r) => app.verifyVoteExtension(r), onError: () => ({ status: ResponseVerifyVoteExtension_VerifyStatus.REJECT }),
  },
  finalizeBlock: {
    name: "FinalizeBlock", request: RequestFinalizeBlock, response: ResponseFinalizeBlock,
    call: (app, r) => app.finalizeBlock(r), encodeAnswer: encodeFinalizeBlockAnswer,
  },
};

export const METHOD_KEYS: readonly MethodKey[] = Object.keys(ABCI_METHODS) as MethodKey[];

/** The result of dispatching one request: the response, or the error to report as an exception. */
export type DispatchResult =
  | {
    /**
     * `response` holds the answer; for a method with `encodeAnswer` it is the app's partial answer as returned
     * (not normalised by fromPartial) and `encoded` its message bytes (e.g. a ResponseFinalizeBlock), which the
     * transports send instead of encoding `response` again.
     */
    readonly ok: true; readonly key: MethodKey; readonly response: Response; readonly encoded?: Uint8Array;
    /** Set when the method failed and `response` is its `onError` answer: log it as an error. */
    readonly recovered?: { readonly error: string; readonly cause?: unknown };
  }
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
  const encode = spec.encodeAnswer;
  const wrap = (partial: unknown): { response: Response; encoded?: Uint8Array } => (encode
    ? { response: { [key]: partial } as Response, encoded: encode(partial as Partial<NonNullable<Response[K]>>) }
    : { response: Response.fromPartial({ [key]: partial } as Parameters<typeof Response.fromPartial>[0]) });
  let failure: { error: string; cause?: unknown };
  try {
    const partial: unknown = (await spec.call(app, req)) ?? {};
    if (typeof partial === "object" && partial !== null) return { ok: true, key, ...wrap(partial) };
    failure = { error: `${spec.name} handler returned ${typeof partial}, expected an object` };
  } catch (cause) {
    failure = { error: `${spec.name} failed: ${errorMessage(cause)}`, cause };
  }
  if (!spec.onError) return { ok: false, key, ...failure };
  return { ok: true, key, ...wrap(spec.onError(failure.error.slice(0, 1000))), recovered: failure };
}

/**
 * Starts the app's early work for a request as it arrives (Application.prepareCheckTx / prepareFinalizeBlock): a
 * FinalizeBlock always (a block's signatures verify in parallel), a CheckTx only when it will wait behind other
 * calls (`waiting`; alone it is cheaper to verify inline). The promise never rejects. Never throws.
 */
export function prepareRequest(app: Application, request: Request, waiting: boolean): Promise<void> | undefined {
  try {
    let p: Promise<void> | undefined;
    if (request.checkTx !== undefined && waiting) p = app.prepareCheckTx?.(request.checkTx);
    else if (request.finalizeBlock !== undefined) p = app.prepareFinalizeBlock?.(request.finalizeBlock);
    return p?.catch(() => undefined);
  } catch {
    return undefined;
  }
}

/** A call received and not yet started, and its early work once a call ahead of it looked ahead. */
export interface Arrival {
  readonly key: MethodKey;
  readonly request: unknown;
  prepared: Promise<void> | undefined;
}

/**
 * The gRPC servers' early work (Application.prepare*: signatures on worker threads) for calls that arrived and have
 * not started. A FinalizeBlock starts its own at once. A CheckTx that arrives is remembered; when a call ahead of it
 * on the same server starts, every call remembered so far starts its early work, while that call runs inline. Each
 * arrival is looked ahead to once. Never throws (prepareRequest does not).
 */
export class LookAhead {
  readonly #app: Application;
  /** Whether the app has CheckTx early work at all. */
  readonly early: boolean;
  readonly #unprepared = new Set<Arrival>();

  constructor(app: Application) {
    this.#app = app;
    this.early = typeof app.prepareCheckTx === "function";
  }

  /** Registers a call as it arrives. */
  arrive(key: MethodKey, request: unknown): Arrival {
    const arrival: Arrival = { key, request, prepared: undefined };
    if (key === "finalizeBlock") arrival.prepared = prepareRequest(this.#app, { [key]: request } as Request, true);
    else if (key === "checkTx" && this.early) this.#unprepared.add(arrival);
    return arrival;
  }

  /** The call's own turn: it runs inline, the calls behind it start their early work; answers its own, if any. */
  start(arrival: Arrival): Promise<void> | undefined {
    this.#unprepared.delete(arrival);
    for (const a of this.#unprepared) a.prepared = prepareRequest(this.#app, { [a.key]: a.request } as Request, true);
    this.#unprepared.clear();
    return arrival.prepared;
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

/** The tag of each pre-encoded answer's field in `Response` (oneof value, field 9 check_tx, 21 finalize_block). */
const RESPONSE_TAGS: Partial<Record<MethodKey, Uint8Array>> = {
  checkTx: Uint8Array.of(9 << 3 | 2), finalizeBlock: Uint8Array.of(0xaa, 0x01), // (21 << 3 | 2) as a varint
};

/**
 * Encodes a Response; if the app's answer cannot be encoded, encodes an exception that says so instead. A method
 * with `encodeAnswer` is encoded by it (its answer may be partial); `encoded` is that answer already encoded
 * (DispatchResult.encoded), wrapped into the oneof as is.
 */
export function encodeResponse(response: Response, encoded?: Uint8Array): { readonly bytes: Uint8Array; readonly error?: string } {
  try {
    const key = METHOD_KEYS.find((k) => response[k] !== undefined);
    const tag = key && RESPONSE_TAGS[key];
    const encodeAnswer = key && (ABCI_METHODS[key] as MethodSpec<MethodKey>).encodeAnswer;
    if (tag && encodeAnswer) {
      const body = encoded ?? encodeAnswer(response[key] as Partial<NonNullable<Response[MethodKey]>>);
      return { bytes: Buffer.concat([tag, encodeUvarint(body.length), body]) };
    }
    return { bytes: Response.encode(response).finish() };
  } catch (cause) {
    const key = METHOD_KEYS.find((k) => response[k] !== undefined);
    const error = `cannot encode the ${key ? ABCI_METHODS[key].name : "ABCI"} response: ${errorMessage(cause)}`;
    return { bytes: Response.encode(exceptionResponse(error)).finish(), error };
  }
}
