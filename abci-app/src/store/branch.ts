import { checkKey, checkValue, compareBytes, prefixEnd, startsWith, successor, toHex } from "./bytes.ts";
import type { IterateOptions, Key, KVReader, KVStore, Value } from "./types.ts";

interface Buffered {
  readonly hex: string;
  readonly key: Key;
  readonly value: Value | null;
}

/** Merges two iterators that are each sorted in `dir` order; on equal keys the buffered entry wins. */
function* merge(parent: Iterator<[Key, Value]>, buffered: readonly Buffered[], dir: 1 | -1):
  Generator<[Key, Value], void, undefined> {
  let p = parent.next();
  let i = 0;
  try {
    while (!p.done || i < buffered.length) {
      const b = buffered[i];
      if (b === undefined) {
        if (p.done) return;
        yield p.value;
        p = parent.next();
        continue;
      }
      const cmp = p.done ? 1 : dir * compareBytes(p.value[0], b.key);
      if (cmp < 0 && !p.done) {
        yield p.value;
        p = parent.next();
        continue;
      }
      if (cmp === 0) p = parent.next();
      i++;
      if (b.value !== null) yield [b.key, b.value];
    }
  } finally {
    if (!p.done) parent.return?.();
  }
}

/**
 * Buffered writes over a parent reader. Reads see the buffer first, then the parent; `iterate` merges both in key
 * order. Nothing reaches the parent until `writeTo`. Values are copied on `set`; do not mutate returned values.
 */
export class Branch implements KVStore {
  private readonly parent: KVReader;
  private readonly buffer = new Map<string, Buffered>();
  private sorted: Buffered[] | undefined;

  constructor(parent: KVReader) {
    this.parent = parent;
  }

  get(key: Key): Value | undefined {
    return this.getHex(toHex(key), key);
  }

  /** `get` with the key's hex already computed: a chain of branches (tx → block → store) computes it once. */
  private getHex(hex: string, key: Key): Value | undefined {
    const b = this.buffer.get(hex);
    if (b !== undefined) return b.value ?? undefined;
    return this.parent instanceof Branch ? this.parent.getHex(hex, key) : this.parent.get(key);
  }

  set(key: Key, value: Value): void {
    checkKey(key);
    checkValue(value);
    this.put(toHex(key), key.slice(), value.slice());
  }

  delete(key: Key): void {
    checkKey(key);
    this.put(toHex(key), key.slice(), null);
  }

  private put(hex: string, key: Key, value: Value | null): void {
    this.adopt({ hex, key, value });
  }

  private adopt(b: Buffered): void {
    if (!this.buffer.has(b.hex)) this.sorted = undefined;
    this.buffer.set(b.hex, b);
  }

  /**
   * Keys starting with `prefix`, merged from the buffer and the parent. The buffer is snapshotted when this is
   * called, so writes made while iterating do not disturb the iteration.
   */
  iterate(prefix: Key, opts: IterateOptions = {}): IterableIterator<[Key, Value]> {
    const reverse = opts.reverse === true;
    const all = this.sortedEntries();
    const lo = opts.start !== undefined && !reverse && compareBytes(opts.start, prefix) > 0 ? opts.start : prefix;
    const end = prefixEnd(prefix);
    const hiExcl = opts.start !== undefined && reverse ? minEnd(successor(opts.start), end) : end;
    const from = lowerBound(all, toHex(lo));
    const to = hiExcl === undefined ? all.length : lowerBound(all, toHex(hiExcl));
    const slice = all.slice(from, Math.max(from, to)).filter((b) => startsWith(b.key, prefix));
    if (reverse) slice.reverse();
    return merge(this.parent.iterate(prefix, opts), slice, reverse ? -1 : 1);
  }

  /** A nested branch over this one. */
  branch(): Branch {
    return new Branch(this);
  }

  /**
   * Applies the buffered writes to `target` in key order. The buffer is kept (call on a branch you then drop).
   * Into another Branch the entries are handed over as they are (no sort, no copies): a Branch's contents do not
   * depend on the order of its writes (everything it yields is in key order), and a buffered entry is never
   * mutated (values are copied on `set`, and callers must not mutate what they read), so sharing one is safe.
   */
  writeTo(target: KVStore): void {
    if (target instanceof Branch) {
      for (const b of this.buffer.values()) target.adopt(b);
      return;
    }
    for (const b of this.sortedEntries()) {
      if (b.value === null) target.delete(b.key);
      else target.set(b.key, b.value);
    }
  }

  /** The buffered writes, in key order: hex key -> value, or null for a delete. */
  changes(): ReadonlyMap<string, Value | null> {
    return new Map(this.sortedEntries().map((b) => [b.hex, b.value]));
  }

  /** Number of buffered writes (sets and deletes). */
  size(): number {
    return this.buffer.size;
  }

  private sortedEntries(): Buffered[] {
    this.sorted ??= [...this.buffer.values()].sort((a, b) => (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : 0));
    // Values may have changed since sorting (same keys): refresh them from the map.
    return this.sorted.map((b) => this.buffer.get(b.hex) ?? b);
  }
}

function minEnd(a: Uint8Array, b: Uint8Array | undefined): Uint8Array {
  return b === undefined || compareBytes(a, b) < 0 ? a : b;
}

function lowerBound(all: readonly Buffered[], hex: string): number {
  let a = 0;
  let b = all.length;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if ((all[mid]?.hex ?? "") < hex) a = mid + 1;
    else b = mid;
  }
  return a;
}
