// The prepared SQL of the state store, and the writes of one commit.
import { positionBytes } from "./merkle-tree.ts";
import type { CompactOps } from "./merkle-tree.ts";
import { rangeStatements } from "./range-scan.ts";
import type { RangeStatements } from "./range-scan.ts";
import type { SqlDriver, SqlParam, SqlStatement } from "./sql-driver.ts";
import type { Key, Value } from "./types.ts";

const PRUNE_END = "\u0002"; // positions are one byte (0 or 1) per level, so p ‖ 0x02 bounds p's descendants
const BATCH = 64; // rows per multi-row node statement

export class Statements {
  readonly info: SqlStatement;
  readonly get: SqlStatement;
  readonly scan: RangeStatements;
  readonly getAt: SqlStatement;
  readonly scanAt: RangeStatements;
  readonly rootAt: SqlStatement;
  readonly metaGet: SqlStatement;
  readonly node: SqlStatement;
  readonly nodeScan: SqlStatement;
  readonly nodeSubtree: SqlStatement;
  private readonly infoSet: SqlStatement;
  private readonly stateUpsert: SqlStatement;
  private readonly stateDelete: SqlStatement;
  private readonly historyPut: SqlStatement;
  private readonly nodePut: SqlStatement;
  private readonly nodePutBatch: SqlStatement;
  private readonly nodeDelete: SqlStatement;
  private readonly nodeDeleteBatch: SqlStatement;
  private readonly nodePrune: SqlStatement;
  private readonly rootPut: SqlStatement;
  private readonly metaPut: SqlStatement;
  private readonly pruneOlder: SqlStatement;
  private readonly pruneTombstones: SqlStatement;

  constructor(db: SqlDriver) {
    const p = (sql: string): SqlStatement => db.prepare(sql);
    this.info = p("SELECT value FROM store_info WHERE name = ?");
    this.infoSet = p("UPDATE store_info SET value = ? WHERE name = ?");
    this.get = p("SELECT value FROM state WHERE key = ?");
    this.scan = rangeStatements(p, "SELECT key, value FROM state", "", "");
    this.getAt = p("SELECT value FROM history WHERE key = ? AND height <= ? ORDER BY height DESC LIMIT 1");
    // SQLite's bare-column rule: with MAX(height), `value` comes from the row holding the maximum.
    this.scanAt = rangeStatements(p, "SELECT key, value, MAX(height) AS h FROM history", " AND height <= ?",
      "GROUP BY key");
    this.rootAt = p("SELECT app_hash FROM roots WHERE height = ?");
    this.metaGet = p("SELECT value FROM app_meta WHERE name = ?");
    this.node = p("SELECT hash, leaf FROM nodes WHERE path = ?");
    this.nodeSubtree = p("SELECT path, hash, leaf FROM nodes WHERE path >= ? AND path < ?");
    this.nodeScan = p("SELECT path, hash, leaf FROM nodes WHERE path >= ? ORDER BY path LIMIT ?");
    this.stateUpsert = p("INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    this.stateDelete = p("DELETE FROM state WHERE key = ?");
    this.historyPut = p("INSERT OR REPLACE INTO history (key, height, value) VALUES (?, ?, ?)");
    this.nodePut = p("INSERT OR REPLACE INTO nodes (path, hash, leaf) VALUES (?, ?, ?)");
    this.nodePutBatch = p(`INSERT OR REPLACE INTO nodes (path, hash, leaf) VALUES ${Array(BATCH).fill("(?, ?, ?)").join(", ")}`);
    this.nodeDelete = p("DELETE FROM nodes WHERE path = ?");
    this.nodeDeleteBatch = p(`DELETE FROM nodes WHERE path IN (${Array(BATCH).fill("?").join(", ")})`);
    this.nodePrune = p("DELETE FROM nodes WHERE path > ? AND path < ?");
    this.rootPut = p("INSERT OR REPLACE INTO roots (height, app_hash) VALUES (?, ?)");
    this.metaPut = p("INSERT OR REPLACE INTO app_meta (name, value) VALUES (?, ?)");
    this.pruneOlder = p("DELETE FROM history WHERE height < ? AND key IN (SELECT key FROM history WHERE height = ?)");
    this.pruneTombstones = p("DELETE FROM history WHERE height = ? AND value IS NULL");
  }

  setInfo(name: string, value: SqlParam): void {
    this.infoSet.run(value, name);
  }

  /** All writes of one block; the caller holds the transaction. */
  writeBlock(height: bigint, writes: readonly { readonly key: Key; readonly value: Value | null }[],
    ops: CompactOps, appHash: Uint8Array, meta: ReadonlyMap<string, Uint8Array>): void {
    for (const w of writes) {
      if (w.value === null) this.stateDelete.run(w.key);
      else this.stateUpsert.run(w.key, w.value);
      this.historyPut.run(w.key, height, w.value);
    }
    this.writeNodes(ops);
    this.rootPut.run(height, appHash);
    this.setInfo("last_height", height);
    this.setInfo("last_app_hash", appHash);
    for (const [name, value] of meta) this.metaPut.run(name, value);
  }

  /** Prunes first, then the node writes in multi-row statements (see compactOps for why that order is right). */
  private writeNodes(ops: CompactOps): void {
    for (const p of ops.prunes) this.nodePrune.run(positionBytes(p), positionBytes(p + PRUNE_END));
    const puts: SqlParam[] = [];
    const deletes: SqlParam[] = [];
    for (const { position, node } of ops.puts) {
      if (node.kind === "empty") {
        deletes.push(positionBytes(position));
        if (deletes.length === BATCH) this.nodeDeleteBatch.run(...deletes.splice(0));
      } else {
        puts.push(positionBytes(position), node.hash, node.kind === "leaf" ? node.keyHash : null);
        if (puts.length === 3 * BATCH) this.nodePutBatch.run(...puts.splice(0));
      }
    }
    for (const d of deletes) this.nodeDelete.run(d);
    for (let i = 0; i < puts.length; i += 3) this.nodePut.run(puts[i] ?? null, puts[i + 1] ?? null, puts[i + 2] ?? null);
  }

  /**
   * Moves the oldest kept height from `from` to `to`: for each height t in (from, to], rows older than t of the
   * keys written at t are no longer the newest row <= any kept height, and tombstones at t shadow nothing.
   */
  prune(from: bigint, to: bigint): void {
    for (let t = from + 1n; t <= to; t++) {
      this.pruneOlder.run(t, t);
      this.pruneTombstones.run(t);
    }
  }
}
