// On-disk layout of the state database, its creation, and the checks that refuse foreign or damaged files.
import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { CorruptStateDbError, NotAStateDbError, SchemaVersionError } from "./errors.ts";
import { EMPTY_HASH } from "./merkle-hash.ts";
import type { SqlDriver, SqlDriverFactory } from "./sql-driver.ts";
import { MAX_WAL_BYTES } from "./wal-checkpointer.ts";

export const MAGIC = "trustnet-state-store";
export const SCHEMA_VERSION = 1;

// store_info: magic, schema_version, last_height, last_app_hash, oldest_height, first_height
// state:      latest committed value of every key
// history:    (key, height) -> value written at that height, NULL = deleted; pruned to the kept heights
// nodes:      persisted sparse-Merkle-tree nodes of the latest version, keyed by bit path (see merkle-tree.ts)
// roots:      app hash of every committed height
// app_meta:   small non-state metadata (chain id, consensus params) committed with the state
const SCHEMA = `
CREATE TABLE store_info (name TEXT PRIMARY KEY NOT NULL, value) WITHOUT ROWID;
CREATE TABLE state (key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE history (key BLOB NOT NULL, height INTEGER NOT NULL, value BLOB,
  PRIMARY KEY (key, height)) WITHOUT ROWID;
CREATE INDEX history_by_height ON history (height);
CREATE TABLE nodes (path BLOB PRIMARY KEY NOT NULL, hash BLOB NOT NULL, leaf BLOB) WITHOUT ROWID;
CREATE TABLE roots (height INTEGER PRIMARY KEY NOT NULL, app_hash BLOB NOT NULL);
CREATE TABLE app_meta (name TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;
`;

/** How long a commit waits for the write lock (held briefly by a TRUNCATE checkpoint) before it fails. */
const BUSY_TIMEOUT_MS = 30_000;

/**
 * Per-connection settings. WAL + synchronous=FULL: a commit is durable when COMMIT returns (see docs/store.md).
 * A 16 MiB page cache: the tree's top levels live in the NodeCache and a block's reads are random below it, so a
 * bigger cache mostly holds pages the OS page cache holds anyway; 64 MiB cost ~40 MB of RSS and bought no speed
 * (bench/state-growth.ts, docs/ARCHITECTURE.md "Memory (P6)").
 */
export function configure(db: SqlDriver, backgroundCheckpoint: boolean): void {
  db.exec("PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16384;");
  // A TRUNCATE checkpoint (wal-checkpointer.ts) holds the write lock for a moment: BEGIN IMMEDIATE waits for it.
  db.exec(`PRAGMA busy_timeout = ${String(BUSY_TIMEOUT_MS)}; PRAGMA journal_size_limit = ${String(MAX_WAL_BYTES)};`);
  if (backgroundCheckpoint) db.exec("PRAGMA wal_autocheckpoint = 0");
}

/** Creates a new, empty state database at `path` atomically (built under a temporary name, then renamed). */
export function createStateDb(path: string, driver: SqlDriverFactory): void {
  const tmp = `${path}.creating`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) rmSync(f, { force: true });
  const db = driver(tmp);
  try {
    db.exec("PRAGMA journal_mode = WAL;");
    db.exec("BEGIN");
    db.exec(SCHEMA);
    const put = db.prepare("INSERT INTO store_info (name, value) VALUES (?, ?)");
    put.run("magic", MAGIC);
    put.run("schema_version", SCHEMA_VERSION);
    put.run("last_height", 0);
    put.run("last_app_hash", EMPTY_HASH);
    put.run("oldest_height", 0);
    put.run("first_height", 0);
    db.exec("COMMIT");
  } finally {
    db.close();
  }
  renameSync(tmp, path);
}

const SQLITE_HEADER = "SQLite format 3\0";

/**
 * Cheap checks before SQLite touches the file: it must carry the SQLite header and, unless a WAL is pending,
 * be at least as long as the page count its header declares (a truncated copy fails here).
 */
export function checkFileHeader(path: string): void {
  const head = new Uint8Array(100);
  let size: number;
  let n: number;
  try {
    size = statSync(path).size;
    const fd = openSync(path, "r");
    try {
      n = readSync(fd, head, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new NotAStateDbError(path, `cannot read it (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  if (n < 100 || Buffer.from(head.subarray(0, 16)).toString("latin1") !== SQLITE_HEADER) {
    throw new NotAStateDbError(path, "the file is not a SQLite database");
  }
  const view = new DataView(head.buffer);
  const rawPage = view.getUint16(16);
  const pageSize = rawPage === 1 ? 65536 : rawPage;
  const pages = view.getUint32(28);
  const headerValid = view.getUint32(92) === view.getUint32(24);
  const walPending = existsSync(`${path}-wal`) && statSync(`${path}-wal`).size > 0;
  if (headerValid && !walPending && size < pages * pageSize) {
    throw new CorruptStateDbError(path, `the file is truncated (${String(size)} bytes, header says ` +
      `${String(pages)} pages of ${String(pageSize)})`);
  }
}

function sqliteMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Checks, read-only, that an open database is a healthy TrustNet state db of this schema version. */
export function checkStateDb(path: string, db: SqlDriver, quickCheck: boolean): void {
  let tables: Set<string>;
  try {
    const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    tables = new Set(rows.map((r) => String(r["name"])));
  } catch (err) {
    const msg = sqliteMessage(err);
    if (/not a database|file is (encrypted|not a database)/i.test(msg)) throw new NotAStateDbError(path, msg, { cause: err });
    throw new CorruptStateDbError(path, msg, { cause: err });
  }
  if (!tables.has("store_info")) throw new NotAStateDbError(path, "it is a SQLite database without the TrustNet magic row");
  let magic: unknown;
  let version: unknown;
  try {
    const get = db.prepare("SELECT value FROM store_info WHERE name = ?");
    magic = get.get("magic")?.["value"];
    version = get.get("schema_version")?.["value"];
  } catch (err) {
    throw new CorruptStateDbError(path, sqliteMessage(err), { cause: err });
  }
  if (magic !== MAGIC) throw new NotAStateDbError(path, "its store_info table lacks the TrustNet magic row");
  if (version !== SCHEMA_VERSION && version !== BigInt(SCHEMA_VERSION)) {
    throw new SchemaVersionError(path, String(version), SCHEMA_VERSION);
  }
  for (const t of ["state", "history", "nodes", "roots", "app_meta"]) {
    if (!tables.has(t)) throw new CorruptStateDbError(path, `table ${t} is missing`);
  }
  if (!quickCheck) return;
  let result: string[];
  try {
    result = db.prepare("PRAGMA quick_check").all().map((r) => String(Object.values(r)[0]));
  } catch (err) {
    throw new CorruptStateDbError(path, sqliteMessage(err), { cause: err });
  }
  if (result.length !== 1 || result[0] !== "ok") {
    throw new CorruptStateDbError(path, `integrity check failed: ${result.slice(0, 3).join("; ")}`);
  }
}
