import type { PageRequest, PageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { ErrInvalidRequest } from "./errors.ts";

export const DEFAULT_LIMIT = 100n;
export const MAX_LIMIT = 1000n;

/**
 * Key- or offset-based pagination over a store iteration (the SDK's query.Paginate): `next_key` is the store key
 * of the first item not returned. `scan(start)` yields [store key, item] pairs from `start` (inclusive) in key
 * order; `keep` filters. A count_total or offset walks the filtered items once (a query, never block execution).
 */
export function paginate<T, R>(
  req: PageRequest | undefined, scan: (start?: Uint8Array) => Iterable<readonly [Uint8Array, T]>, map: (t: T) => R, keep: (t: T) => boolean = () => true,
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
  const offset = req?.offset ?? 0n;
  const countTotal = !hasKey && (req?.countTotal ?? false);
  for (const [k, t] of scan(hasKey ? req?.key : undefined)) {
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
  return { items, page: { nextKey, total: countTotal ? total : 0n } };
}
