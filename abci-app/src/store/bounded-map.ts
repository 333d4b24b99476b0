// A map with a size bound, for the memo caches of the hot path (decoded txs, verified signatures, addresses,
// committed values). Two generations: entries go into `young`; when it holds half the bound it becomes `old` and the
// previous `old` is dropped whole, so eviction is O(1) (deleting a Map's oldest entry one at a time makes V8 skip
// ever more deleted slots). A hit in `old` is moved to `young`, so what is still used survives. Callers cache only
// pure results: a dropped entry costs a recomputation, never a different answer.
export class BoundedMap<K, V> {
  readonly #half: number;
  #young = new Map<K, V>();
  #old = new Map<K, V>();

  constructor(max: number) {
    if (!Number.isSafeInteger(max) || max < 2) throw new RangeError(`BoundedMap needs a size bound of at least 2, got ${max}`);
    this.#half = Math.floor(max / 2);
  }

  /** Entries held (at most the bound). */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  get(key: K): V | undefined {
    const y = this.#young.get(key);
    if (y !== undefined) return y;
    const o = this.#old.get(key);
    if (o !== undefined) {
      this.#old.delete(key);
      this.#put(key, o);
    }
    return o;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): void {
    this.#old.delete(key);
    this.#put(key, value);
  }

  delete(key: K): void {
    this.#young.delete(key);
    this.#old.delete(key);
  }

  clear(): void {
    this.#young.clear();
    this.#old.clear();
  }

  #put(key: K, value: V): void {
    this.#young.set(key, value);
    if (this.#young.size >= this.#half) {
      this.#old = this.#young;
      this.#young = new Map();
    }
  }
}
