import type { Key, KVReader, StateStore, Value } from "../store/index.ts";

/** A read-only view of the committed state as it was at `height`. */
export class HistoricalView implements KVReader {
  readonly #store: StateStore;
  readonly #height: bigint;

  constructor(store: StateStore, height: bigint) {
    this.#store = store;
    this.#height = height;
  }

  get(key: Key): Value | undefined {
    return this.#store.getAt(key, this.#height);
  }

  iterate(prefix: Key, opts?: { reverse?: boolean; start?: Key }): IterableIterator<[Key, Value]> {
    return this.#store.iterateAt(prefix, this.#height, opts);
  }
}
