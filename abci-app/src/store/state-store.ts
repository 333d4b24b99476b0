// The committed chain state: SQLite (WAL, synchronous=FULL) holding the latest values, a pruned history for
// historical queries, and the persisted sparse Merkle tree whose root is the app hash.
import { existsSync } from "node:fs";
import { bytesEqual, checkKey, checkValue, compareBytes, fromHex, latin1 } from "./bytes.ts";
import { BoundedMap } from "./bounded-map.ts";
import { HeightUnavailableError, InvalidChangeError, NotAStateDbError, StoreError, StoreStateError } from "./errors.ts";
import { EMPTY_HASH, keyPath, leafHash } from "./merkle-hash.ts";
import { NodeCache } from "./merkle-cache.ts";
import { nodeHash, updateTree } from "./merkle-tree.ts";
import type { CompactOps, LeafChange } from "./merkle-tree.ts";
import { loadDepthFor, NodeReader } from "./node-reader.ts";
import { scanRange } from "./range-scan.ts";
import { checkFileHeader, checkStateDb, configure, createStateDb } from "./schema.ts";
import { blobColumn, intColumn, nodeSqliteDriver } from "./sql-driver.ts";
import type { SqlDriver, SqlDriverFactory } from "./sql-driver.ts";
import { Statements } from "./statements.ts";
import { verifyTree } from "./verify.ts";
import { WalCheckpointer } from "./wal-checkpointer.ts";
import type { ChangeSet, IterateOptions, Key, KVReader, Value } from "./types.ts";

export interface StateStoreOptions {
  /** Heights kept queryable by getAt/iterateAt, counting the latest. Default 100; 0 keeps all. */
  readonly keepVersions?: number;
  /** Run SQLite's quick_check when opening an existing file (default true; O(file size)). */
  readonly integrityCheck?: boolean;
  /**
   * Tree levels kept in memory (default 16: at most 2^17 nodes, ~20 MB). Deeper levels are read from SQLite.
   * 0 disables the cache.
   */
  readonly nodeCacheDepth?: number;
  /**
   * Checkpoint the WAL in a worker thread after each commit (default true), instead of inside the COMMIT that
   * takes it past 1,000 pages (SQLite's auto-checkpoint). See wal-checkpointer.ts.
   */
  readonly backgroundCheckpoint?: boolean;
  /** The SQLite binding (default: the built-in node:sqlite). */
  readonly driver?: SqlDriverFactory;
}

interface StagedWrite {
  readonly key: Key;
  readonly value: Value | null;
}

interface Staged {
  readonly height: bigint;
  readonly writes: readonly StagedWrite[];
  readonly ops: CompactOps;
  readonly appHash: Uint8Array;
  /** The leaf (= state key) count after this block. */
  readonly leafCount: number;
}

const DEFAULT_KEEP = 100;
const DEFAULT_CACHE_DEPTH = 16;
/**
 * Committed values kept in memory (null = absent), by key: the accounts and balances a block touches are read by
 * CheckTx, FinalizeBlock and stage() again and again (SQLite point reads were 13 % of the app's CPU under the send
 * benchmark). Updated by commit() from the block's writes, so an entry is always the committed value.
 */
const READ_CACHE_ENTRIES = 50_000;

export class StateStore implements KVReader {
  private readonly db: SqlDriver;
  private readonly sql: Statements;
  private readonly keep: bigint;
  private height: bigint;
  private appHash: Uint8Array;
  private oldest: bigint;
  private first: bigint;
  private staged: Staged | undefined;
  private readonly stagedMeta = new Map<string, Uint8Array>();
  private readonly cache: NodeCache;
  private readonly cacheLevels: number;
  private readonly values = new BoundedMap<string, Value | null>(READ_CACHE_ENTRIES);
  /** Committed metadata read so far (null = absent); the app reads chain id, block gas and time on every CheckTx. */
  private readonly meta = new Map<string, Uint8Array | null>();
  private closed = false;
  /** Keys in the committed state (= tree leaves): counted once at open, then kept by commit(). */
  private leafCount: number;
  private rowsRead = 0;
  private checkpointer: WalCheckpointer | undefined;

  private constructor(db: SqlDriver, keep: bigint, cacheDepth: number) {
    this.db = db;
    this.keep = keep;
    this.cacheLevels = cacheDepth;
    this.cache = new NodeCache(cacheDepth - 1);
    this.sql = new Statements(db);
    const info = this.sql.info;
    this.height = intColumn(info.get("last_height"), "value");
    this.appHash = blobColumn(info.get("last_app_hash"), "value") ?? EMPTY_HASH;
    this.oldest = intColumn(info.get("oldest_height"), "value");
    this.first = intColumn(info.get("first_height"), "value");
    // O(n) once per open (~50 ms at 2M keys, less than quick_check); stage() sizes its reads by it.
    this.leafCount = Number(intColumn(db.prepare("SELECT count(*) AS n FROM state").get(), "n"));
  }

  /**
   * Opens the state database at `path`, creating it if the file does not exist. Refuses (NotAStateDbError,
   * CorruptStateDbError, SchemaVersionError; the file left untouched) anything that is not a healthy TrustNet
   * state database of this schema version.
   */
  static open(path: string, opts: StateStoreOptions = {}): StateStore {
    const keep = opts.keepVersions ?? DEFAULT_KEEP;
    if (!Number.isSafeInteger(keep) || keep < 0) {
      throw new InvalidChangeError(`keepVersions must be a non-negative integer, got ${String(keep)}`);
    }
    const cacheDepth = opts.nodeCacheDepth ?? DEFAULT_CACHE_DEPTH;
    if (!Number.isSafeInteger(cacheDepth) || cacheDepth < 0 || cacheDepth > 256) {
      throw new InvalidChangeError(`nodeCacheDepth must be an integer in 0..256, got ${String(cacheDepth)}`);
    }
    const driver = opts.driver ?? nodeSqliteDriver;
    if (!existsSync(path)) {
      try {
        createStateDb(path, driver);
      } catch (err) {
        throw new StoreError(`cannot create the state database ${path}: ${err instanceof Error ? err.message : String(err)}` +
          " (does the directory exist and is it writable?)", { cause: err });
      }
    }
    checkFileHeader(path);
    let db: SqlDriver;
    try {
      db = driver(path);
    } catch (err) {
      throw new NotAStateDbError(path, err instanceof Error ? err.message : String(err), { cause: err });
    }
    try {
      checkStateDb(path, db, opts.integrityCheck ?? true);
      const background = opts.backgroundCheckpoint ?? true;
      configure(db, background);
      const store = new StateStore(db, BigInt(keep), cacheDepth);
      if (background) store.startCheckpointer(path);
      return store;
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Number of keys in the committed state (counted once when the store opens, then kept by commit()). */
  countKeys(): number {
    this.open();
    return this.leafCount;
  }

  /** The last committed height; 0n before the first commit. */
  get lastHeight(): bigint {
    return this.height;
  }

  /** The app hash of lastHeight (EMPTY_HASH before the first commit). */
  get lastAppHash(): Uint8Array {
    return this.appHash.slice();
  }

  /**
   * Tree node rows stage() has read from SQLite below the cached levels since open: a count, for the specs and the
   * state-growth bench that show the reads per written key stay O(log n).
   */
  get treeRowsRead(): number {
    return this.rowsRead;
  }

  /** Heights kept queryable, counting the latest (0n: all). */
  get keepVersions(): bigint {
    return this.keep;
  }

  /** The oldest height getAt/iterateAt answer (0n before the first commit). */
  get oldestHeight(): bigint {
    return this.oldest;
  }

  get(key: Key): Value | undefined {
    this.open();
    const id = latin1(key);
    const hit = this.values.get(id);
    if (hit !== undefined) return hit === null ? undefined : hit.slice();
    const value = blobColumn(this.sql.get.get(key), "value");
    this.values.set(id, value === undefined ? null : value.slice());
    return value;
  }

  iterate(prefix: Key, opts: IterateOptions = {}): IterableIterator<[Key, Value]> {
    this.open();
    return scanRange(this.sql.scan, prefix, opts);
  }

  /** The value of `key` as committed at `height` (oldestHeight..lastHeight, else HeightUnavailableError). */
  getAt(key: Key, height: bigint): Value | undefined {
    this.checkHeight(height);
    return blobColumn(this.sql.getAt.get(key, height), "value");
  }

  /** Keys with `prefix` as committed at `height` (same options as iterate). */
  iterateAt(prefix: Key, height: bigint, opts: IterateOptions = {}): IterableIterator<[Key, Value]> {
    this.checkHeight(height);
    return scanRange(this.sql.scanAt, prefix, opts, [height]);
  }

  /** The app hash committed at `height`, if that height was committed (kept for all heights). */
  appHashAt(height: bigint): Uint8Array | undefined {
    this.open();
    return blobColumn(this.sql.rootAt.get(height), "app_hash");
  }

  private checkHeight(height: bigint): void {
    this.open();
    if (typeof height !== "bigint" || height > this.height || height < this.oldest) {
      throw new HeightUnavailableError(BigInt(height), this.oldest, this.height);
    }
  }

  /**
   * Computes the app hash of committed state + `changes` for `height` and keeps it staged for commit().
   * Writes nothing to disk. Calling it again replaces the staged block (re-execution). On bad input it throws
   * InvalidChangeError and the previous staged block stays as it was. `height` must be lastHeight + 1; before
   * the first commit any height is accepted, and height 0 may be staged to preview the genesis app hash
   * (InitChain) but not committed.
   */
  stage(height: bigint, changes: ChangeSet): Uint8Array {
    this.open();
    if (typeof height !== "bigint" || height < 0n) throw new InvalidChangeError("height must be a non-negative bigint");
    if (this.height > 0n && height !== this.height + 1n) {
      throw new InvalidChangeError(`cannot stage height ${String(height)}: the next height is ${String(this.height + 1n)}`);
    }
    const writes: StagedWrite[] = [];
    const leaves: LeafChange[] = [];
    let leafCount = this.leafCount;
    for (const [hex, value] of changes) {
      const key = fromHex(hex);
      checkKey(key);
      if (value !== null) checkValue(value);
      const current = this.get(key);
      if (value === null ? current === undefined : current !== undefined && bytesEqual(current, value)) continue;
      if (value === null) leafCount--;
      else if (current === undefined) leafCount++;
      writes.push({ key, value: value === null ? null : value.slice() });
      leaves.push({ keyHash: keyPath(key), leafHash: value === null ? null : leafHash(key, value) });
    }
    writes.sort((a, b) => compareBytes(a.key, b.key));
    leaves.sort((a, b) => compareBytes(a.keyHash, b.keyHash));
    const reader = new NodeReader(this.cache, loadDepthFor(this.cacheLevels, this.leafCount), this.sql.node, this.sql.nodeSubtree);
    const update = updateTree(reader, leaves);
    this.rowsRead += reader.rowsRead;
    const appHash = nodeHash(update.root).slice();
    this.staged = { height, writes, ops: update.ops, appHash, leafCount };
    return appHash.slice();
  }

  /** Stages a metadata entry, persisted by the next commit() (kept across re-stage; cleared by discardStaged). */
  setMetaStaged(name: string, value: Uint8Array): void {
    this.open();
    if (typeof name !== "string" || name.length === 0) throw new InvalidChangeError("meta name must be a non-empty string");
    checkValue(value);
    this.stagedMeta.set(name, value.slice());
  }

  /** Committed metadata. */
  getMeta(name: string): Uint8Array | undefined {
    this.open();
    let value = this.meta.get(name);
    if (value === undefined) {
      value = blobColumn(this.sql.metaGet.get(name), "value") ?? null;
      this.meta.set(name, value);
    }
    return value === null ? undefined : value.slice();
  }

  discardStaged(): void {
    this.staged = undefined;
    this.stagedMeta.clear();
  }

  /** The staged height and app hash, if a block is staged. */
  get stagedBlock(): { readonly height: bigint; readonly appHash: Uint8Array } | undefined {
    return this.staged === undefined ? undefined : { height: this.staged.height, appHash: this.staged.appHash.slice() };
  }

  /**
   * Persists the staged block (state, history, tree nodes, height and app hash, staged metadata) and prunes
   * history beyond keepVersions, all in one SQLite transaction that is durable when this returns.
   */
  commit(): { height: bigint; appHash: Uint8Array } {
    this.open();
    const staged = this.staged;
    if (staged === undefined) throw new StoreStateError("commit() without a staged block: call stage() first");
    if (staged.height === 0n) throw new StoreStateError("height 0 can be staged (to preview a hash) but not committed");
    const first = this.first === 0n ? staged.height : this.first;
    const target = this.pruneTarget(staged.height, first);
    this.db.exec("BEGIN IMMEDIATE");
    try {
      this.checkNoOtherWriter();
      this.sql.writeBlock(staged.height, staged.writes, staged.ops, staged.appHash, this.stagedMeta);
      this.sql.prune(this.oldest === 0n ? target : this.oldest, target);
      this.sql.setInfo("first_height", first);
      this.sql.setInfo("oldest_height", target);
      this.db.exec("COMMIT");
    } catch (err) {
      try {
        this.db.exec("ROLLBACK");
      } catch {
        // SQLite already rolled back (e.g. a failed COMMIT on a full disk)
      }
      this.cache.clear();
      this.values.clear();
      this.meta.clear();
      if (err instanceof StoreStateError) throw err;
      throw new StoreError(`commit of height ${String(staged.height)} failed; nothing was written`, { cause: err });
    }
    this.cache.apply(staged.ops);
    for (const w of staged.writes) this.values.set(latin1(w.key), w.value);
    for (const [name, value] of this.stagedMeta) this.meta.set(name, value);
    this.height = staged.height;
    this.appHash = staged.appHash;
    this.leafCount = staged.leafCount;
    this.first = first;
    this.oldest = target;
    this.staged = undefined;
    this.stagedMeta.clear();
    this.checkpointer?.request();
    return { height: this.height, appHash: this.appHash.slice() };
  }

  /** Inside the commit transaction: the file must still be at the height this instance last saw. */
  private checkNoOtherWriter(): void {
    const onDisk = intColumn(this.sql.info.get("last_height"), "value");
    if (onDisk !== this.height) {
      throw new StoreStateError(`the state database is at height ${String(onDisk)}, but this store last saw ` +
        `${String(this.height)}: another process is writing to it; run one node per home directory`);
    }
  }

  private pruneTarget(height: bigint, first: bigint): bigint {
    if (this.keep === 0n) return this.oldest === 0n ? first : this.oldest;
    const wanted = height - this.keep + 1n;
    const floor = this.oldest === 0n ? first : this.oldest;
    return wanted > floor ? wanted : floor;
  }

  /** Recomputes the root from every leaf and compares it with the stored root and app hash (RootMismatchError). */
  verify(): void {
    this.open();
    verifyTree(this.sql, this.appHash);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.staged = undefined;
    this.checkpointer?.close(); // first, so this connection is the last and its close checkpoints and removes the WAL
    this.db.close();
  }

  /**
   * Resolves when the background checkpoint has caught up with the last commit. `walFrames`: the WAL frames the
   * last checkpoint found, i.e. the pages the commits since the previous complete checkpoint wrote (undefined
   * without a background checkpointer, or before its first checkpoint).
   */
  async checkpointed(): Promise<{ walFrames: number | undefined }> {
    await this.checkpointer?.idle();
    return { walFrames: this.checkpointer?.lastFrames };
  }

  private startCheckpointer(path: string): void {
    this.checkpointer = new WalCheckpointer(path, () => {
      // The worker cannot run: go back to SQLite's auto-checkpoint so the WAL cannot grow without bound.
      this.checkpointer = undefined;
      if (!this.closed) this.db.exec("PRAGMA wal_autocheckpoint = 1000");
    });
  }

  private open(): void {
    if (this.closed) throw new StoreStateError("the state store is closed");
  }

}

