import { fromUtf8, utf8 } from "../../../sdk/keys.ts";
import type { KVReader, KVStore } from "../../../store/index.ts";
import type { AccountKeeper } from "./expected-keepers.ts";
import { Prefix } from "./keys.ts";

export class CounterKeeper {
  readonly accounts: AccountKeeper;

  constructor(accounts: AccountKeeper) {
    this.accounts = accounts;
  }

  count(store: KVReader): bigint {
    const raw = store.get(Prefix.count);
    return raw ? BigInt(fromUtf8(raw)) : 0n;
  }

  validatorKey(store: KVReader): Uint8Array {
    return store.get(Prefix.validatorKey) ?? new Uint8Array();
  }

  setValidatorKey(store: KVStore, key: Uint8Array): void {
    store.set(Prefix.validatorKey, key);
  }

  setCount(store: KVStore, n: bigint): void {
    store.set(Prefix.count, utf8(n.toString()));
  }

  add(store: KVStore, by: bigint): bigint {
    const n = this.count(store) + by;
    this.setCount(store, n);
    store.set(Prefix.dirty, new Uint8Array());
    return n;
  }

  /** Whether the count changed in this block; clears the mark. */
  takeDirty(store: KVStore): boolean {
    if (!store.get(Prefix.dirty)) return false;
    store.delete(Prefix.dirty);
    return true;
  }
}
