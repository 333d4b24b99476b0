// Test helpers shared by the store specs (not part of the public API).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeSqliteDriver, type SqlDriverFactory } from "../sql-driver.ts";

export function enc(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

export function dec(b: Uint8Array | undefined): string | undefined {
  return b === undefined ? undefined : new TextDecoder().decode(b);
}

/** A deterministic PRNG (mulberry32) so randomized tests are reproducible from their seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: readonly T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}

/** A fresh temporary directory; call the returned cleanup when done. */
export function tempDir(): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "trustnet-store-"));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fresh SQLite path, on tmpfs where there is one: long runs commit (fsync) every block, which a disk makes I/O-bound. */
export function tmpfsDbPath(prefix: string): string {
  return join(mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), prefix)), "state.db");
}

/** node:sqlite whose statements report each get/all call, with the rows it returned, to `onRead` (specs count reads). */
export function countingDriver(onRead: (sql: string, rows: number) => void): SqlDriverFactory {
  return (path) => {
    const db = nodeSqliteDriver(path);
    return {
      name: db.name, exec: (sql) => db.exec(sql), close: () => db.close(),
      prepare: (sql) => {
        const st = db.prepare(sql);
        return {
          run: (...p) => st.run(...p),
          get: (...p) => { const r = st.get(...p); onRead(sql, r === undefined ? 0 : 1); return r; },
          all: (...p) => { const r = st.all(...p); onRead(sql, r.length); return r; },
        };
      },
    };
  };
}
