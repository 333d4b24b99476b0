/** A store key: raw bytes, compared in unsigned byte order. */
export type Key = Uint8Array;
/** A stored value: raw bytes. */
export type Value = Uint8Array;

/** Options of `iterate`. */
export interface IterateOptions {
  /** Descending instead of ascending key order. */
  readonly reverse?: boolean;
  /**
   * Where iteration begins, inclusive: ascending yields keys >= start, reverse yields keys <= start.
   * Keys outside the prefix are never yielded.
   */
  readonly start?: Key;
}

/** Read access to a key-value state. */
export interface KVReader {
  get(key: Key): Value | undefined;
  /** Keys starting with `prefix`, in unsigned byte order (descending with `reverse`). */
  iterate(prefix: Key, opts?: IterateOptions): IterableIterator<[Key, Value]>;
}

/** Read and write access to a key-value state. */
export interface KVStore extends KVReader {
  set(key: Key, value: Value): void;
  delete(key: Key): void;
}

/** A block's write set: lowercase hex key -> new value, or null for a delete. */
export type ChangeSet = ReadonlyMap<string, Value | null>;
