import type { Key, KVStore, Value } from "../store/index.ts";
import { GasCosts, type GasMeter } from "./gas.ts";

/** A KVStore that charges gas for every access, as the SDK's gaskv store does. */
export class GasKVStore implements KVStore {
  readonly #inner: KVStore;
  readonly #gas: GasMeter;

  constructor(inner: KVStore, gas: GasMeter) {
    this.#inner = inner;
    this.#gas = gas;
  }

  get(key: Key): Value | undefined {
    this.#gas.consume(GasCosts.readFlat, "ReadFlat");
    const v = this.#inner.get(key);
    if (v) this.#gas.consume(GasCosts.readPerByte * BigInt(v.length), "ReadPerByte");
    return v;
  }

  set(key: Key, value: Value): void {
    this.#gas.consume(GasCosts.writeFlat, "WriteFlat");
    this.#gas.consume(GasCosts.writePerByte * BigInt(key.length + value.length), "WritePerByte");
    this.#inner.set(key, value);
  }

  delete(key: Key): void {
    this.#gas.consume(GasCosts.deleteFlat, "Delete");
    this.#inner.delete(key);
  }

  *iterate(prefix: Key, opts?: { reverse?: boolean; start?: Key }): IterableIterator<[Key, Value]> {
    for (const [k, v] of this.#inner.iterate(prefix, opts)) {
      this.#gas.consume(GasCosts.iterNext + GasCosts.readPerByte * BigInt(k.length + v.length), "IterNext");
      yield [k, v];
    }
  }
}
