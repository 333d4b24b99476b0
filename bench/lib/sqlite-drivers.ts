// SQLite bindings for bench/sqlite.ts. better-sqlite3 and sqlite3 are NOT project dependencies: they are installed
// on demand into ~/.cache/trustnet-bench (native builds with node-gyp against $npm_config_nodedir, offline).
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";
import type { SqlDriver, SqlDriverFactory, SqlParam, SqlRow, SqlStatement } from "../../abci-app/src/store/index.ts";

export const BENCH_DIR = process.env["TRUSTNET_BENCH_DIR"] ?? join(homedir(), ".cache", "trustnet-bench");
const requireFromCache = createRequire(join(BENCH_DIR, "package.json"));

/** Loads `name` from the bench cache, installing `spec` there first if needed. Returns undefined (with a reason) on failure. */
export function loadOrInstall(name: string, spec: string): { mod?: unknown; error?: string } {
  try {
    return { mod: requireFromCache(name) };
  } catch {
    // not installed yet
  }
  mkdirSync(BENCH_DIR, { recursive: true });
  if (process.env["npm_config_nodedir"] === undefined) {
    console.error("   warning: npm_config_nodedir is not set; node-gyp will try to download headers (run via npm run bench)");
  }
  console.error(`==> installing ${spec} into ${BENCH_DIR} (native build with node-gyp; can take a few minutes)`);
  const t0 = performance.now();
  const r = spawnSync("npm", ["install", "--prefix", BENCH_DIR, "--no-audit", "--no-fund", "--loglevel=error", spec],
    { stdio: ["ignore", "inherit", "inherit"] });
  console.error(`    npm install ${spec}: exit ${String(r.status)} after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status !== 0) return { error: `npm install ${spec} failed (exit ${String(r.status)})` };
  try {
    return { mod: requireFromCache(name) };
  } catch (err) {
    return { error: `${spec} installed but does not load: ${err instanceof Error ? err.message : String(err)}` };
  }
}

// --- better-sqlite3 as a store SqlDriver -------------------------------------------------------------------

interface BetterStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}
interface BetterDatabase {
  exec(sql: string): unknown;
  prepare(sql: string): BetterStatement;
  close(): unknown;
}
type BetterCtor = new (path: string) => BetterDatabase;

const toBuffer = (p: SqlParam): unknown =>
  p instanceof Uint8Array && !Buffer.isBuffer(p) ? Buffer.from(p.buffer, p.byteOffset, p.byteLength) : p;

// better-sqlite3 12.x under Node 24 can abort the process (`Assertion failed: (env) != nullptr` in
// node::RemoveEnvironmentCleanupHook) when V8 garbage-collects a closed Database or Statement wrapper; seen here
// and reported downstream (earendil-works/pi#8492, JuliusBrussee/cavemem#70). Keep every wrapper reachable for
// the life of the benchmark so the collector never finalizes one.
const keepAlive: unknown[] = [];

export function betterSqliteDriver(mod: unknown): SqlDriverFactory {
  const Database = mod as BetterCtor;
  return (path: string): SqlDriver => {
    const db = new Database(path);
    keepAlive.push(db);
    return {
      name: "better-sqlite3",
      exec: (sql) => { db.exec(sql); },
      prepare: (sql): SqlStatement => {
        const stmt = db.prepare(sql);
        keepAlive.push(stmt);
        return {
          run: (...params) => { stmt.run(...params.map(toBuffer)); },
          get: (...params) => stmt.get(...params.map(toBuffer)) as SqlRow | undefined,
          all: (...params) => stmt.all(...params.map(toBuffer)) as SqlRow[],
        };
      },
      close: () => { db.close(); },
    };
  };
}

// --- a minimal promise wrapper over sqlite3 (async, callback API) for the raw comparison -------------------

interface Sqlite3Database {
  exec(sql: string, cb: (err: Error | null) => void): void;
  run(sql: string, params: unknown[], cb: (err: Error | null) => void): void;
  get(sql: string, params: unknown[], cb: (err: Error | null, row: unknown) => void): void;
  close(cb: (err: Error | null) => void): void;
}
type Sqlite3Ctor = new (path: string, cb: (err: Error | null) => void) => Sqlite3Database;

export interface AsyncDb {
  exec(sql: string): Promise<void>;
  run(sql: string, params: unknown[]): Promise<void>;
  get(sql: string, params: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

export async function openSqlite3(mod: unknown, path: string): Promise<AsyncDb> {
  const Database = (mod as { Database: Sqlite3Ctor }).Database;
  const db = await new Promise<Sqlite3Database>((resolve, reject) => {
    const d = new Database(path, (err) => (err ? reject(err) : resolve(d)));
  });
  const done = (resolve: () => void, reject: (e: Error) => void) => (err: Error | null): void => (err ? reject(err) : resolve());
  return {
    exec: (sql) => new Promise((res, rej) => db.exec(sql, done(res, rej))),
    run: (sql, params) => new Promise((res, rej) => db.run(sql, params, done(res, rej))),
    get: (sql, params) => new Promise((res, rej) => db.get(sql, params, (err, row) => (err ? rej(err) : res(row)))),
    close: () => new Promise((res, rej) => db.close(done(res, rej))),
  };
}
