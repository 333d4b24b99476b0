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
