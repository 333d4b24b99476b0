// The one interface through which every module contributes its REST routes. A route is declared once (method, path
// template in OpenAPI form, parameters, summary) and the same declaration drives the Express router, the parameter
// checks and the OpenAPI document, so the document cannot drift from what is served.
import type { RequestQuery, ResponseQuery } from "cosmjs-types/tendermint/abci/types";

export interface RestParam {
  readonly name: string;
  readonly in: "path" | "query";
  readonly description: string;
  readonly required?: boolean;
  readonly type?: "string" | "integer" | "boolean";
  /** Checked before the handler runs; a mismatch is a 400 with the SDK error body. */
  readonly pattern?: RegExp;
  /** A query parameter that may be given several times (`denoms=a&denoms=b`, grpc-gateway's repeated field); each is checked. */
  readonly repeated?: boolean;
  /** A path parameter that may span several segments (repository names contain `/`). */
  readonly multiSegment?: boolean;
}

export interface RouteCall {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  readonly body: unknown;
  /** `x-cosmos-block-height` of the request (0 = latest). */
  readonly height: bigint;
  /** Sets a response header (e.g. the height a query was answered at). */
  setHeader(name: string, value: string): void;
}

export interface RestRoute {
  readonly method: "get" | "post";
  /** OpenAPI-style template: `/cosmos/bank/v1beta1/balances/{address}`. */
  readonly path: string;
  readonly summary: string;
  /** OpenAPI tag: the module's name. */
  readonly tag?: string;
  readonly params?: readonly RestParam[];
  /** Takes `pagination.*` query parameters (documented automatically). */
  readonly paginated?: boolean;
  /** A JSON request body (POST), described for the document. */
  readonly body?: { readonly description: string; readonly required: readonly string[]; readonly properties: Readonly<Record<string, { type: string; description: string }>> };
  /** The answer, sent as JSON (JsonBytes as they are). */
  handler(call: RouteCall): Promise<unknown>;
}

/** An answer already serialized as JSON (UTF-8), for a handler that builds it faster than JSON.stringify would. */
export class JsonBytes {
  readonly bytes: Buffer;
  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }
}

/** What a module's routes may use: the app's query router, the node's CometBFT RPC, the app version. */
export interface RestContext {
  /** Runs an ABCI query at the call's height; a non-zero code becomes the matching gRPC/HTTP error. */
  abciQuery(call: RouteCall, path: string, data: Uint8Array): Promise<Uint8Array>;
  /** The same query without the error mapping: `{code, codespace, log, value}` (codes are the app's, log its user-facing message). */
  abciQueryRaw(call: RouteCall, path: string, data: Uint8Array): Promise<{ code: number; codespace: string; log: string; value: Uint8Array }>;
  /** CometBFT JSON-RPC; unreachable → 503, "not found" → 404, other RPC errors → 400 naming only the method. */
  rpc<T>(method: string, params: Record<string, unknown>): Promise<T>;
  readonly appVersion: string;
}

/** A module's contribution to the REST surface. */
export interface RestModule {
  readonly name: string;
  routes(ctx: RestContext): readonly RestRoute[];
}

export type AbciQueryFn = (req: RequestQuery) => Partial<ResponseQuery> | Promise<Partial<ResponseQuery>>;

// Parameter patterns shared by modules.
export const ADDRESS = /^trust1[02-9ac-hj-np-z]{38,58}$/;
export const TX_HASH = /^[0-9A-Fa-f]{64}$/;
export const HEIGHT = /^[1-9]\d{0,18}$/;
export const DENOM = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;

export const addressParam: RestParam = { name: "address", in: "path", required: true, description: "bech32 account address (trust1…)", pattern: ADDRESS };
