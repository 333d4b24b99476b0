import type { ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import { AppError, ErrInvalidRequest, ErrTxDecode, ErrUnknownRequest } from "../sdk/errors.ts";
import type { QueryCtx } from "../sdk/context.ts";
import type { QueryHandler } from "../sdk/module.ts";
import { type MessageSchema, ProtoScanError, scanMessage } from "../sdk/proto-scan.ts";
import { MAX_TX_BYTES } from "../sdk/tx/decode.ts";
import { ABCI_ANSWER_LIMIT_BYTES } from "./block-answer-budget.ts";

/** The largest query request data: room for a simulate of the largest tx. CometBFT's RPC caps requests at ~1 MB too. */
export const MAX_QUERY_DATA_BYTES = MAX_TX_BYTES + 64 * 1024;

/**
 * The largest query answer value. CometBFT's gRPC ABCI client accepts answers of at most 4 MiB
 * (ABCI_ANSWER_LIMIT_BYTES): past that its caller got grpc-go's "received message larger than max" instead of an
 * answer. A page of 1,000 large entries can pass it, so the router answers a clear error instead, on every
 * transport alike (the same query answers the same everywhere). 64 KiB is kept for the rest of ResponseQuery.
 */
export const MAX_QUERY_ANSWER_BYTES = ABCI_ANSWER_LIMIT_BYTES - 64 * 1024;

interface Route {
  readonly handler: QueryHandler;
  readonly request: MessageSchema;
}

/**
 * Routes gRPC-style ABCI query paths to handlers. The request data passes the strict scan (unknown fields, groups,
 * depth) before the handler's generated decoder sees it, as the SDK's codec does for gRPC queries. Never throws:
 * AppErrors keep their code; anything else is code 1 with a log, and `onInternalError` is told (a bug to fix).
 */
export class QueryRouter {
  readonly #routes = new Map<string, Route>();
  readonly #onInternalError: (path: string, err: unknown) => void;

  constructor(onInternalError: (path: string, err: unknown) => void = () => {}) {
    this.#onInternalError = onInternalError;
  }

  add(h: QueryHandler): void {
    if (this.#routes.has(h.path)) throw new Error(`query path ${h.path} registered twice`);
    if (!h.request) throw new Error(`query path ${h.path} has no request schema (strict decoding needs one)`);
    this.#routes.set(h.path, { handler: h, request: h.request });
  }

  paths(): string[] {
    return [...this.#routes.keys()].sort();
  }

  run(path: string, data: Uint8Array, ctx: QueryCtx): Partial<ResponseQuery> {
    const r = this.#routes.get(path);
    try {
      if (!r) throw ErrUnknownRequest.wrap(`unknown query path ${JSON.stringify(path.slice(0, 200))}`);
      if (data.length > MAX_QUERY_DATA_BYTES) throw ErrInvalidRequest.wrap(`query data is ${data.length} bytes, the limit is ${MAX_QUERY_DATA_BYTES}`);
      try {
        scanMessage(data, r.request);
      } catch (err) {
        if (err instanceof ProtoScanError) throw ErrTxDecode.wrap(`cannot decode query request: ${err.message}`);
        throw err;
      }
      const value = r.handler.handle(ctx, data);
      if (value.length > MAX_QUERY_ANSWER_BYTES) {
        throw ErrInvalidRequest.wrap(`the answer is ${value.length} bytes, more than the ${MAX_QUERY_ANSWER_BYTES} a query may answer (CometBFT's ABCI client takes 4 MiB): ask for less (a smaller pagination.limit)`);
      }
      return { code: 0, value, height: ctx.height };
    } catch (err) {
      return queryError(err, ctx.height, (e) => this.#onInternalError(path, e));
    }
  }
}

/** A query failure as a response: an AppError's code, or code 1 "internal error" (reported to `onInternal`). */
export function queryError(err: unknown, height: bigint, onInternal: (err: unknown) => void): Partial<ResponseQuery> {
  if (err instanceof AppError) return { code: err.code, codespace: err.codespace, log: err.message, height };
  onInternal(err);
  const msg = err instanceof Error ? err.message : String(err);
  return { code: 1, codespace: "sdk", log: `internal error: ${msg.slice(0, 500)}`, height };
}
