// `npm run bench -- sqlite [--keys N] [--blocks N] [--gets N] [--repeat N] [--drivers a,b,c]`
// Runs the state store's real workload over each SQLite binding and prints a table with ratios to node:sqlite:
// load N keys in blocks of 10k writes, blocks of 1k and 10k writes (updates, inserts, deletes) over them,
// point gets, historical gets, a prefix scan, reopen (quick_check) and verify(). Then a raw binding comparison
// (inserts in one transaction, point gets) that includes the async sqlite3 package, which cannot drive the
// synchronous store.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { nodeSqliteDriver, StateStore, toHex } from "../abci-app/src/store/index.ts";
import type { SqlDriverFactory, Value } from "../abci-app/src/store/index.ts";
import { betterSqliteDriver, loadOrInstall, openSqlite3 } from "./lib/sqlite-drivers.ts";
import { printTable, prng, time } from "./lib/report.ts";

interface Params {
  readonly keys: number;
  readonly blocks: number;
  readonly gets: number;
  readonly repeat: number;
}

type Results = Map<string, number>; // phase -> ms

const keyOf = (i: number): Uint8Array => new TextEncoder().encode(`bank/balances/trust1${String(i).padStart(9, "0")}`);

function valueOf(rand: () => number): Uint8Array {
  const v = new Uint8Array(64);
  for (let i = 0; i < v.length; i++) v[i] = Math.floor(rand() * 256);
  return v;
}

function storeWorkload(label: string, driver: SqlDriverFactory, p: Params): { results: Results; hash: string } {
  const dir = mkdtempSync(join(tmpdir(), "trustnet-bench-"));
  const path = join(dir, "state.db");
  const results: Results = new Map();
  const rand = prng(1);
  let live = 0;
  try {
    let store = StateStore.open(path, { keepVersions: 100, driver });
    let height = 0n;
    const block = (changes: Map<string, Value | null>): { stage: number; commit: number } => {
      height++;
      const stage = time(() => store.stage(height, changes));
      const commit = time(() => store.commit());
      return { stage, commit };
    };
    console.error(`   [${label}] loading ${String(p.keys)} keys`);
    let load = 0;
    while (live < p.keys) {
      const m = new Map<string, Value | null>();
      for (let i = 0; i < 10_000 && live < p.keys; i++) m.set(toHex(keyOf(live++)), valueOf(rand));
      const t = block(m);
      load += t.stage + t.commit;
      if (height % 10n === 0n) console.error(`   [${label}]   ${String(live)} keys loaded (${(load / 1000).toFixed(1)} s)`);
    }
    results.set(`load ${String(p.keys / 1000)}k keys (blocks of 10k)`, load);
    for (const size of [1_000, 10_000]) {
      console.error(`   [${label}] ${String(p.blocks)} blocks of ${String(size)} writes`);
      let stage = 0;
      let commit = 0;
      for (let b = 0; b < p.blocks; b++) {
        const m = new Map<string, Value | null>();
        while (m.size < size) {
          const r = rand();
          if (r < 0.8) m.set(toHex(keyOf(Math.floor(rand() * live))), valueOf(rand)); // update
          else if (r < 0.95) m.set(toHex(keyOf(live++)), valueOf(rand)); // insert
          else m.set(toHex(keyOf(Math.floor(rand() * live))), null); // delete
        }
        const t = block(m);
        stage += t.stage;
        commit += t.commit;
      }
      results.set(`block of ${String(size / 1000)}k writes: stage (hash)`, stage / p.blocks);
      results.set(`block of ${String(size / 1000)}k writes: commit`, commit / p.blocks);
    }
    console.error(`   [${label}] reads`);
    results.set(`${String(p.gets / 1000)}k point gets`, time(() => {
      for (let i = 0; i < p.gets; i++) store.get(keyOf(Math.floor(rand() * live)));
    }));
    const oldest = store.oldestHeight;
    const span = Number(store.lastHeight - oldest) + 1;
    results.set(`${String(p.gets / 1000)}k historical gets`, time(() => {
      for (let i = 0; i < p.gets; i++) store.getAt(keyOf(Math.floor(rand() * live)), oldest + BigInt(Math.floor(rand() * span)));
    }));
    const prefix = new TextEncoder().encode("bank/balances/trust10000");
    results.set("prefix scan (10k keys)", time(() => {
      let n = 0;
      for (const _ of store.iterate(prefix)) n++;
      if (n < 9000) throw new Error(`prefix scan saw only ${String(n)} keys`);
    }));
    const hash = toHex(store.lastAppHash);
    store.close();
    results.set("reopen (quick_check)", time(() => { store = StateStore.open(path, { driver }); }));
    results.set("verify() (full rehash + tree walk)", time(() => store.verify()));
    store.close();
    results.set("file size (MB)", statSync(path).size / 1e6);
    return { results, hash };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function rawWorkload(label: string, n: number, open: (path: string) => Promise<{
  exec(sql: string): Promise<void> | void;
  insert(k: Uint8Array, v: Uint8Array): Promise<void> | void;
  get(k: Uint8Array): Promise<unknown>;
  close(): Promise<void> | void;
}>): Promise<Results> {
  const dir = mkdtempSync(join(tmpdir(), "trustnet-bench-raw-"));
  const results: Results = new Map();
  try {
    const db = await open(join(dir, "raw.db"));
    await db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; CREATE TABLE t (k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID;");
    const rand = prng(2);
    console.error(`   [${label}] raw: ${String(n)} inserts, ${String(n)} gets`);
    let t0 = performance.now();
    await db.exec("BEGIN");
    for (let i = 0; i < n; i++) await db.insert(keyOf(i), valueOf(rand));
    await db.exec("COMMIT");
    results.set(`raw: ${String(n / 1000)}k inserts, one transaction`, performance.now() - t0);
    t0 = performance.now();
    for (let i = 0; i < n; i++) await db.get(keyOf(Math.floor(rand() * n)));
    results.set(`raw: ${String(n / 1000)}k point gets`, performance.now() - t0);
    await db.close();
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      keys: { type: "string", default: "100000" },
      blocks: { type: "string", default: "5" },
      gets: { type: "string", default: "100000" },
      repeat: { type: "string", default: "2" },
      drivers: { type: "string", default: "node:sqlite,better-sqlite3,sqlite3" },
    },
  });
  const p: Params = {
    keys: Number(values.keys), blocks: Number(values.blocks), gets: Number(values.gets), repeat: Math.max(1, Number(values.repeat)),
  };
  const wanted = values.drivers.split(",");
  const columns: { name: string; store?: SqlDriverFactory; raw?: Parameters<typeof rawWorkload>[2] }[] = [];
  const skipped: string[] = [];
  if (wanted.includes("node:sqlite")) {
    columns.push({
      name: "node:sqlite", store: nodeSqliteDriver,
      raw: (path) => {
        const d = nodeSqliteDriver(path);
        const ins = (() => { let s: ReturnType<typeof d.prepare> | undefined; return () => (s ??= d.prepare("INSERT INTO t VALUES (?, ?)")); })();
        const get = (() => { let s: ReturnType<typeof d.prepare> | undefined; return () => (s ??= d.prepare("SELECT v FROM t WHERE k = ?")); })();
        return Promise.resolve({ exec: (sql: string) => d.exec(sql), insert: (k: Uint8Array, v: Uint8Array) => ins().run(k, v),
          get: (k: Uint8Array) => Promise.resolve(get().get(k)), close: () => d.close() });
      },
    });
  }
  if (wanted.includes("better-sqlite3")) {
    const b = loadOrInstall("better-sqlite3", "better-sqlite3@12");
    if (b.mod === undefined) skipped.push(`better-sqlite3: ${b.error ?? "?"}`);
    else {
      const factory = betterSqliteDriver(b.mod);
      columns.push({
        name: "better-sqlite3", store: factory,
        raw: (path) => {
          const d = factory(path);
          const ins = (() => { let s: ReturnType<typeof d.prepare> | undefined; return () => (s ??= d.prepare("INSERT INTO t VALUES (?, ?)")); })();
          const get = (() => { let s: ReturnType<typeof d.prepare> | undefined; return () => (s ??= d.prepare("SELECT v FROM t WHERE k = ?")); })();
          return Promise.resolve({ exec: (sql: string) => d.exec(sql), insert: (k: Uint8Array, v: Uint8Array) => ins().run(k, v),
            get: (k: Uint8Array) => Promise.resolve(get().get(k)), close: () => d.close() });
        },
      });
    }
  }
  if (wanted.includes("sqlite3")) {
    const s = loadOrInstall("sqlite3", "sqlite3@5");
    if (s.mod === undefined) skipped.push(`sqlite3: ${s.error ?? "?"}`);
    else {
      const mod = s.mod;
      columns.push({
        name: "sqlite3 (async)",
        raw: async (path) => {
          const d = await openSqlite3(mod, path);
          const buf = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
          return { exec: (sql: string) => d.exec(sql), insert: (k: Uint8Array, v: Uint8Array) => d.run("INSERT INTO t VALUES (?, ?)", [buf(k), buf(v)]),
            get: (k: Uint8Array) => d.get("SELECT v FROM t WHERE k = ?", [buf(k)]), close: () => d.close() };
        },
      });
    }
  }
  console.error(`==> sqlite bench: ${String(p.keys)} keys, ${String(p.blocks)} blocks per size, ${String(p.gets)} gets, ` +
    `best of ${String(p.repeat)} interleaved rounds; drivers: ${columns.map((c) => c.name).join(", ")}`);
  // Warm-up: the store's own JS (hashing, tree, branch) must be JIT-compiled before the first measured driver,
  // or whichever driver runs first pays for it.
  console.error("==> warm-up (not measured)");
  for (const c of columns) if (c.store !== undefined) storeWorkload(`${c.name} warm-up`, c.store, { keys: 20_000, blocks: 1, gets: 5_000, repeat: 1 });
  // Rounds interleave the drivers (A B A B …) and each phase keeps its best time, so a burst of load from
  // other processes on a shared machine hurts one sample, not one driver.
  const perDriver = new Map<string, Results>();
  const hashes = new Map<string, string>();
  const keepMin = (r: Results, k: string, v: number): void => { r.set(k, Math.min(v, r.get(k) ?? Infinity)); };
  for (let round = 1; round <= p.repeat; round++) {
    for (const c of columns) {
      console.error(`==> round ${String(round)}/${String(p.repeat)}: ${c.name}`);
      const r: Results = perDriver.get(c.name) ?? new Map();
      if (c.store !== undefined) {
        const { results, hash } = storeWorkload(c.name, c.store, p);
        for (const [k, v] of results) keepMin(r, k, v);
        hashes.set(c.name, hash);
      }
      if (c.raw !== undefined && (round === 1 || c.store !== undefined)) {
        for (const [k, v] of await rawWorkload(c.name, 200_000, c.raw)) keepMin(r, k, v);
      }
      perDriver.set(c.name, r);
    }
  }
  printTable(perDriver, "node:sqlite");
  const distinct = new Set(hashes.values());
  console.log(`\napp hash after the workload: ${[...hashes].map(([n, h]) => `${n} ${h.slice(0, 16)}…`).join(", ")}` +
    (distinct.size <= 1 ? " (identical)" : " — MISMATCH"));
  for (const s of skipped) console.log(`skipped ${s}`);
  if (distinct.size > 1) process.exitCode = 1;
}
