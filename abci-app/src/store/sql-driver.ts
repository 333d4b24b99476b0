// The thin SQL seam under the state store: just enough for the store, so a benchmark can run the same store over
// another SQLite binding. The production driver is the built-in node:sqlite.
import { DatabaseSync } from "node:sqlite";
import type { StatementSync } from "node:sqlite";

export type SqlParam = Uint8Array | bigint | number | string | null;
export type SqlRow = Readonly<Record<string, unknown>>;

export interface SqlStatement {
  run(...params: SqlParam[]): void;
  get(...params: SqlParam[]): SqlRow | undefined;
  all(...params: SqlParam[]): SqlRow[];
}

export interface SqlDriver {
  readonly name: string;
  exec(sql: string): void;
  prepare(sql: string): SqlStatement;
  close(): void;
}

/** Opens (creating if missing) a database file. */
export type SqlDriverFactory = (path: string) => SqlDriver;

class NodeSqliteStatement implements SqlStatement {
  private readonly stmt: StatementSync;
  constructor(stmt: StatementSync) {
    this.stmt = stmt;
  }
  run(...params: SqlParam[]): void {
    this.stmt.run(...params);
  }
  get(...params: SqlParam[]): SqlRow | undefined {
    return this.stmt.get(...params);
  }
  all(...params: SqlParam[]): SqlRow[] {
    return this.stmt.all(...params);
  }
}

class NodeSqliteDriver implements SqlDriver {
  readonly name = "node:sqlite";
  private readonly db: DatabaseSync;
  constructor(path: string) {
    this.db = new DatabaseSync(path);
  }
  exec(sql: string): void {
    this.db.exec(sql);
  }
  prepare(sql: string): SqlStatement {
    return new NodeSqliteStatement(this.db.prepare(sql));
  }
  close(): void {
    this.db.close();
  }
}

export const nodeSqliteDriver: SqlDriverFactory = (path) => new NodeSqliteDriver(path);

/** An INTEGER column as bigint (drivers return number or bigint). */
export function intColumn(row: SqlRow | undefined, column: string): bigint {
  const v = row?.[column];
  if (typeof v === "bigint") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  throw new TypeError(`column ${column} is not an integer`);
}

/** A BLOB column as Uint8Array, or undefined for NULL/missing. */
export function blobColumn(row: SqlRow | undefined, column: string): Uint8Array | undefined {
  const v = row?.[column];
  if (v instanceof Uint8Array) return v;
  if (v === null || v === undefined) return undefined;
  throw new TypeError(`column ${column} is not a blob`);
}
