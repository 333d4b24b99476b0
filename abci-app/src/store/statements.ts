// The prepared SQL of the state store, and the writes of one commit.
import { positionBytes } from "./merkle-tree.ts";
import type { NodeOp } from "./merkle-tree.ts";
import { rangeStatements } from "./range-scan.ts";
import type { RangeStatements } from "./range-scan.ts";
import type { SqlDriver, SqlParam, SqlStatement } from "./sql-driver.ts";
import type { Key, Value } from "./types.ts";

const PRUNE_END = "\u0002"; // positions are one byte (0 or 1) per level, so p ‖ 0x02 bounds p's descendants

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
  private readonly nodeDelete: SqlStatement;
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
    this.nodeDelete = p("DELETE FROM nodes WHERE path = ?");
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
    ops: readonly NodeOp[], appHash: Uint8Array, meta: ReadonlyMap<string, Uint8Array>): void {
    for (const w of writes) {
      if (w.value === null) this.stateDelete.run(w.key);
      else this.stateUpsert.run(w.key, w.value);
      this.historyPut.run(w.key, height, w.value);
    }
    for (const op of ops) {
      const position = positionBytes(op.position);
      if (op.op === "prune") {
        this.nodePrune.run(position, positionBytes(op.position + PRUNE_END));
      } else if (op.node.kind === "empty") {
        this.nodeDelete.run(position);
      } else {
        this.nodePut.run(position, op.node.hash, op.node.kind === "leaf" ? op.node.keyHash : null);
      }
    }
    this.rootPut.run(height, appHash);
    this.setInfo("last_height", height);
    this.setInfo("last_app_hash", appHash);
    for (const [name, value] of meta) this.metaPut.run(name, value);
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
