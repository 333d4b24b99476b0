import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { ErrInvalidRequest } from "./errors.ts";
import { MAX_SCAN } from "./key-page.ts";

export const DEFAULT_LIMIT = 100n;
export const MAX_LIMIT = 1000n;

/**
 * Key- or offset-based pagination over a store iteration (the SDK's query.Paginate): `next_key` is the store key
 * of the first item not returned. `scan(start)` yields [store key, item] pairs from `start` (inclusive) in key
 * order; `keep` filters. At most `maxScan` entries (MAX_SCAN, 10,000) are read, whatever the filter, offset or count
 * ask: a query runs on the event loop that also runs consensus. When the budget ends a page early, `next_key` goes on
 * from there (as key-page.ts); an offset or an asked-for count_total that needs more entries is refused (sdk 18); a
 * count only implied by an unset limit (the SDK's rule: limit 0 counts) answers total 0 (not counted) instead.
 */
export function paginate<T, R>(
  req: PageRequest | undefined, scan: (start?: Uint8Array) => Iterable<readonly [Uint8Array, T]>, map: (t: T) => R, keep: (t: T) => boolean = () => true,
  maxScan: number = MAX_SCAN,
): { items: R[]; page: PageResponse } {
  const limit = req?.limit && req.limit > 0n ? req.limit : DEFAULT_LIMIT;
  if (limit > MAX_LIMIT) throw ErrInvalidRequest.wrap(`pagination limit ${limit} exceeds ${MAX_LIMIT}`);
  if (req?.reverse) throw ErrInvalidRequest.wrap("reverse pagination is not supported");
  const hasKey = (req?.key.length ?? 0) > 0;
  if (hasKey && (req?.offset ?? 0n) > 0n) throw ErrInvalidRequest.wrap("either offset or key is expected, got both");
  const items: R[] = [];
  let nextKey: Uint8Array = new Uint8Array();
  let skipped = 0n;
  let total = 0n;
  let scanned = 0;
  let counted = true;
  const offset = req?.offset ?? 0n;
  const askedCount = !hasKey && (req?.countTotal ?? false);
  const countTotal = askedCount || (!hasKey && (req?.limit ?? 0n) === 0n);
  for (const [k, t] of scan(hasKey ? req?.key : undefined)) {
    if (scanned >= maxScan) {
      if (skipped < offset) throw ErrInvalidRequest.wrap(`pagination offset ${offset} is past the ${maxScan} entries a query may scan; page with pagination.key (next_key) instead`);
      if (askedCount) throw ErrInvalidRequest.wrap(`pagination count_total: the list has more than the ${maxScan} entries a query may scan; ask without count_total`);
      if (BigInt(items.length) < limit) nextKey = k; // the page ends early; the next one starts here
      counted = false;
      break;
    }
    scanned++;
    if (!keep(t)) continue;
    total++;
    if (skipped < offset) {
      skipped++;
      continue;
    }
    if (BigInt(items.length) >= limit) {
      if (nextKey.length === 0) nextKey = k;
      if (!countTotal) break;
      continue;
    }
    items.push(map(t));
  }
  return { items, page: { nextKey, total: countTotal && counted ? total : 0n } };
}

/**
 * One page of a list already read, sorted ascending by `keyOf` (an account's balances, by denom as the store holds
 * them): the SDK's PageRequest as its gateway and the REST routes here read it. `limit` 0 is 100 and counts the list
 * (without a key, as the SDK), above MAX_LIMIT it is clamped (Keplr asks for 1000); `offset` skips, and with a key is
 * refused (sdk 18); `reverse` walks from the last; a key starts the page at the first item whose key is >= it (<= when
 * reversed), after `checkKey` refused one that is not the list's (sdk 18). `next_key` is the key of the first item not
 * returned; `total` is counted with count_total or an unset limit, without a key. Both the ABCI answer and the REST
 * routes page with this.
 */
export function paginateSorted<T>(
  all: readonly T[], req: PageRequest | undefined, keyOf: (t: T) => Uint8Array, checkKey: (key: Uint8Array) => void = () => undefined,
): { items: T[]; page: PageResponse } {
  const key = req?.key ?? new Uint8Array();
  const hasKey = key.length > 0;
  const offset = req?.offset ?? 0n;
  if (hasKey && offset > 0n) throw ErrInvalidRequest.wrap("either offset or key is expected, got both");
  if (hasKey) checkKey(key);
  const limit = Number(req?.limit && req.limit > 0n ? (req.limit < MAX_LIMIT ? req.limit : MAX_LIMIT) : DEFAULT_LIMIT);
  const countTotal = !hasKey && ((req?.countTotal ?? false) || (req?.limit ?? 0n) === 0n);
  const ordered = req?.reverse ? [...all].reverse() : all;
  let start = offset < BigInt(ordered.length) ? Number(offset) : ordered.length;
  if (hasKey) {
    start = ordered.findIndex((t) => (req?.reverse ? Buffer.compare(keyOf(t), key) <= 0 : Buffer.compare(keyOf(t), key) >= 0));
    if (start < 0) start = ordered.length;
  }
  const next = ordered[start + limit];
  return { items: ordered.slice(start, start + limit), page: { nextKey: next === undefined ? new Uint8Array() : keyOf(next), total: countTotal ? BigInt(all.length) : 0n } };
}
