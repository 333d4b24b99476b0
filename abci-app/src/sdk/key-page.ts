// Key pagination for the hand-declared (messageCodec) modules, leasing and registry: the SDK's
// cosmos.base.query.v1beta1.PageRequest/PageResponse on the wire, as a `repeated` field of at most one entry (wire-
// identical to the SDK's optional message field). Only `key` and `limit` are honoured: offset, count_total and
// reverse would walk the whole list, so they are refused.
import { ErrInvalidRequest } from "./errors.ts";
import { bytes, messageCodec, u64 } from "./proto-codec.ts";

export interface PageRequest { key: Uint8Array; offset: bigint; limit: bigint; countTotal: bigint; reverse: bigint }
export interface PageResponse { nextKey: Uint8Array; total: bigint }
export const PageRequest = messageCodec<PageRequest>("/cosmos.base.query.v1beta1.PageRequest", [bytes("key", 1), u64("offset", 2), u64("limit", 3), u64("countTotal", 4), u64("reverse", 5)]);
export const PageResponse = messageCodec<PageResponse>("/cosmos.base.query.v1beta1.PageResponse", [bytes("nextKey", 1), u64("total", 2)]);

export const DEFAULT_PAGE_LIMIT = 100n;
export const MAX_PAGE_LIMIT = 1000n;
/**
 * A query scans at most this many store entries (past the filter, the offset and the count too, sdk/pagination.ts),
 * so that a selective filter or a long list cannot make a query unbounded on the event loop that runs consensus.
 */
export const MAX_SCAN = 10_000;

/**
 * One page of `scan(start)` (store key, item pairs in key order from `start`, inclusive), filtered by `keep`:
 * at most `limit` items (default 100, at most 1000) and at most 10,000 entries scanned; `nextKey` is the store key
 * to ask from next, empty at the end.
 */
export function keyPage<T>(pages: readonly PageRequest[], scan: (start?: Uint8Array) => Iterable<readonly [Uint8Array, T]>, keep: (t: T) => boolean = () => true): { items: T[]; pagination: PageResponse[] } {
  const req = pages[0];
  if (pages.length > 1) throw ErrInvalidRequest.wrap("pagination given twice");
  if (req && (req.offset > 0n || req.countTotal > 0n || req.reverse > 0n)) throw ErrInvalidRequest.wrap("only key pagination is supported (no offset, count_total or reverse)");
  const limit = req && req.limit > 0n ? req.limit : DEFAULT_PAGE_LIMIT;
  if (limit > MAX_PAGE_LIMIT) throw ErrInvalidRequest.wrap(`pagination limit ${limit} exceeds ${MAX_PAGE_LIMIT}`);
  const items: T[] = [];
  let nextKey: Uint8Array = new Uint8Array();
  let scanned = 0;
  for (const [k, t] of scan(req && req.key.length > 0 ? req.key : undefined)) {
    if (BigInt(items.length) >= limit || scanned >= MAX_SCAN) {
      nextKey = k;
      break;
    }
    scanned++;
    if (keep(t)) items.push(t);
  }
  return { items, pagination: [{ nextKey, total: 0n }] };
}

/** The request for the page after `key` (undefined: the first), `limit` items (default: the largest page). */
export const pageAfter = (key: Uint8Array | undefined, limit = MAX_PAGE_LIMIT): PageRequest[] => [{ key: key ?? new Uint8Array(), offset: 0n, limit, countTotal: 0n, reverse: 0n }];
