// The SDK's PageRequest as gateway query parameters (`pagination.key|offset|limit|count_total|reverse`) and
// PageResponse `{next_key, total}`. `key` is standard base64 of the next item's sort key; `limit` defaults to 100
// and is clamped to MAX_LIMIT (Keplr always asks for 1000); `total` is counted with offset paging or count_total.
import type { PageRequest as SdkPageRequest, PageResponse as SdkPageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import type { PageRequest as KeyPageRequest, PageResponse as KeyPageResponse } from "../key-page.ts";
import { paginateSorted } from "../pagination.ts";
import { badRequest } from "./rest-errors.ts";

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
/** Bound on offsets (beyond it there is nothing a client could page through sensibly). */
export const MAX_OFFSET = 1_000_000;

export interface PageRequest {
  readonly key: Buffer | undefined;
  readonly offset: number;
  readonly limit: number;
  readonly countTotal: boolean;
  readonly reverse: boolean;
}

export interface PageResponse {
  readonly next_key: string | null;
  readonly total: string;
}

type Query = Record<string, unknown>;

function one(q: Query, name: string): string | undefined {
  const v = q[name];
  if (v === undefined) return undefined;
  if (typeof v !== "string") throw badRequest(`${name} must be given once`);
  return v;
}

function uint(q: Query, name: string): number | undefined {
  const v = one(q, name);
  if (v === undefined || v === "") return undefined;
  if (!/^\d{1,20}$/.test(v)) throw badRequest(`${name} must be a non-negative integer`);
  return Number(v);
}

function bool(q: Query, name: string): boolean {
  const v = one(q, name);
  if (v === undefined || v === "") return false;
  if (v !== "true" && v !== "false") throw badRequest(`${name} must be true or false`);
  return v === "true";
}

/** Standard, padded base64 (RFC 4648 §4), as the gateway prints bytes. */
export const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Parses `pagination.*` (Express's query object, with `pagination.key` as a flat name). */
export function parsePageRequest(q: Query): PageRequest {
  const rawKey = one(q, "pagination.key");
  let key: Buffer | undefined;
  if (rawKey !== undefined && rawKey !== "") {
    // URL-safe base64 is accepted too (a '+' that arrives as a space is restored).
    const k = rawKey.replace(/ /g, "+").replace(/-/g, "+").replace(/_/g, "/");
    const padded = k + "=".repeat((4 - (k.length % 4)) % 4);
    if (k.length > 4096 || !STANDARD_BASE64.test(padded)) throw badRequest("pagination.key must be base64");
    key = Buffer.from(padded, "base64");
  }
  const offset = uint(q, "pagination.offset") ?? 0;
  if (key !== undefined && offset > 0) throw badRequest("only one of pagination.key and pagination.offset may be set");
  if (offset > MAX_OFFSET) throw badRequest(`pagination.offset must be at most ${MAX_OFFSET}`);
  const limitRaw = uint(q, "pagination.limit");
  const limit = limitRaw === undefined || limitRaw === 0 ? DEFAULT_LIMIT : Math.min(limitRaw, MAX_LIMIT);
  // As in the SDK: limit 0 (unset) implies count_total; count_total is ignored when a key is given.
  const countTotal = key === undefined && (bool(q, "pagination.count_total") || limitRaw === undefined || limitRaw === 0);
  return { key, offset, limit, countTotal, reverse: bool(q, "pagination.reverse") };
}

/**
 * One page of `items` (sorted ascending by `keyOf`), for lists a route reads whole (the supply, the denoms'
 * metadata): the chain's paginateSorted (sdk/pagination.ts, which AllBalances and SpendableBalances page with) on the
 * parsed request. With a key, the page starts at the first item whose key is >= it (<= when reversed); next_key is
 * the key of the first item not returned.
 */
export function paginate<T>(items: readonly T[], p: PageRequest, keyOf: (t: T) => Buffer): { page: T[]; pagination: PageResponse } {
  const req = { key: p.key ?? new Uint8Array(), offset: BigInt(p.offset), limit: BigInt(p.limit), countTotal: p.countTotal, reverse: p.reverse };
  const { items: page, page: r } = paginateSorted(items, req, keyOf);
  return { page, pagination: pageResponseJson(r) };
}

/**
 * For lists the chain pages itself (sdk/key-page.ts): the gateway's `pagination.key` and `limit` forwarded as the
 * query's PageRequest; offset and reverse paging are refused (the chain would have to walk the list), count_total
 * is ignored (`total` answers "0").
 */
export function forwardedKeyPage(query: Query, what: string): KeyPageRequest[] {
  const p = parsePageRequest(query);
  if (p.offset > 0 || p.reverse) throw badRequest(`${what} page by pagination.key only`);
  return [{ key: p.key ?? new Uint8Array(), offset: 0n, limit: BigInt(p.limit), countTotal: 0n, reverse: 0n }];
}

/** The chain's PageResponse as the gateway's `{next_key, total}`. */
export const keyPageJson = (p: readonly KeyPageResponse[]): PageResponse => ({ next_key: p[0]?.nextKey.length ? Buffer.from(p[0].nextKey).toString("base64") : null, total: "0" });

/**
 * For the SDK-typed queries (cosmjs-types' PageRequest) that page in the store: the gateway's `pagination.*`
 * forwarded as they are (key, offset, limit, count_total, reverse: the chain refuses what it does not support). An
 * unset limit goes as 0, as the gateway sends it: the chain reads it as 100 with a count it may skip on a list longer
 * than it scans (sdk/pagination.ts), where an asked-for count_total is refused.
 */
export function forwardedPage(query: Query): SdkPageRequest {
  const p = parsePageRequest(query);
  const rawLimit = query["pagination.limit"]; // checked by parsePageRequest: absent, empty or digits
  const limitGiven = typeof rawLimit === "string" && rawLimit !== "" && Number(rawLimit) > 0;
  return {
    key: p.key ?? new Uint8Array(), offset: BigInt(p.offset), limit: limitGiven ? BigInt(p.limit) : 0n,
    countTotal: p.key === undefined && bool(query, "pagination.count_total"), reverse: p.reverse,
  };
}

/** The chain's PageResponse (cosmjs-types) as the gateway's `{next_key, total}`. */
export const pageResponseJson = (p: SdkPageResponse | undefined): PageResponse => ({
  next_key: p && p.nextKey.length > 0 ? Buffer.from(p.nextKey).toString("base64") : null, total: (p?.total ?? 0n).toString(),
});
