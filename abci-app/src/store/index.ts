export type { ChangeSet, IterateOptions, Key, KVReader, KVStore, Value } from "./types.ts";
export { Branch } from "./branch.ts";
export { StateStore, type StateStoreOptions } from "./state-store.ts";
export {
  CorruptStateDbError, HeightUnavailableError, InvalidChangeError, NotAStateDbError, RootMismatchError,
  SchemaVersionError, StoreError, StoreStateError,
} from "./errors.ts";
export { EMPTY_HASH, innerHash, keyPath, leafHash } from "./merkle-hash.ts";
export { bytesEqual, compareBytes, fromHex, latin1, prefixEnd, toHex } from "./bytes.ts";
export { nodeSqliteDriver, type SqlDriver, type SqlDriverFactory, type SqlParam, type SqlRow, type SqlStatement } from "./sql-driver.ts";
export { BoundedMap } from "./bounded-map.ts";
