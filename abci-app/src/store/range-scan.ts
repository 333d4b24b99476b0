// Key-range iteration over a SQLite table in bounded chunks. No statement stays active between chunks, so
// iterators may be nested, abandoned, or outlive a commit (they then continue on the newer data).
import { prefixEnd, successor } from "./bytes.ts";
import type { IterateOptions, Key, Value } from "./types.ts";
import { blobColumn } from "./sql-driver.ts";
import type { SqlParam, SqlRow, SqlStatement } from "./sql-driver.ts";

/** The four statements of one range query: ascending/descending, with/without an exclusive upper bound. */
export interface RangeStatements {
  readonly asc: SqlStatement;
  readonly ascHi: SqlStatement;
  readonly desc: SqlStatement;
  readonly descHi: SqlStatement;
}

/**
 * Builds RangeStatements for `select … from … where key >= ? [and key < ?] <extra> <tail> order by key limit ?`.
 * `extra` may hold more placeholders, bound from `extraParams` after the key bounds.
 */
export function rangeStatements(prepare: (sql: string) => SqlStatement, select: string, extra: string,
  tail: string): RangeStatements {
  const q = (hi: boolean, dir: string): SqlStatement =>
    prepare(`${select} WHERE key >= ?${hi ? " AND key < ?" : ""}${extra} ${tail} ORDER BY key ${dir} LIMIT ?`);
  return { asc: q(false, "ASC"), ascHi: q(true, "ASC"), desc: q(false, "DESC"), descHi: q(true, "DESC") };
}

const FIRST_CHUNK = 64;
const MAX_CHUNK = 1024;

function maxKey(a: Uint8Array, b: Uint8Array): Uint8Array {
  return Buffer.compare(a, b) >= 0 ? a : b;
}

function minKey(a: Uint8Array, b: Uint8Array | undefined): Uint8Array {
  return b === undefined || Buffer.compare(a, b) < 0 ? a : b;
}

/** Iterates keys with `prefix` (see IterateOptions); rows whose value column is NULL are skipped. */
export function* scanRange(stmts: RangeStatements, prefix: Key, opts: IterateOptions,
  extraParams: readonly SqlParam[] = []): Generator<[Key, Value], void, undefined> {
  const reverse = opts.reverse === true;
  const end = prefixEnd(prefix);
  let lo: Uint8Array = !reverse && opts.start !== undefined ? maxKey(opts.start, prefix) : prefix;
  let hi: Uint8Array | undefined = reverse && opts.start !== undefined ? minKey(successor(opts.start), end) : end;
  let limit = FIRST_CHUNK;
  for (;;) {
    if (hi !== undefined && Buffer.compare(lo, hi) >= 0) return;
    const rows: SqlRow[] = reverse
      ? (hi === undefined ? stmts.desc.all(lo, ...extraParams, limit) : stmts.descHi.all(lo, hi, ...extraParams, limit))
      : (hi === undefined ? stmts.asc.all(lo, ...extraParams, limit) : stmts.ascHi.all(lo, hi, ...extraParams, limit));
    let last: Uint8Array | undefined;
    for (const row of rows) {
      const key = blobColumn(row, "key");
      if (key === undefined) continue;
      last = key;
      const value = blobColumn(row, "value");
      if (value !== undefined) yield [key, value];
    }
    if (rows.length < limit || last === undefined) return;
    if (reverse) hi = last;
    else lo = successor(last);
    limit = Math.min(limit * 4, MAX_CHUNK);
  }
}
