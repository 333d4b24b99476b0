// The rows of the tree a change reads from SQLite grow as O(log n), not with n: counted at the SQL seam (rows the
// `nodes` statements return), never timed. A fixed load depth read a whole subtree per change, n/2^depth leaves.
import assert from "node:assert/strict";
import { test } from "node:test";
import { toHex } from "./bytes.ts";
import type { SqlDriverFactory } from "./sql-driver.ts";
import { StateStore } from "./state-store.ts";
import type { Value } from "./types.ts";
import { countingDriver, enc, tempDir } from "./testing/helpers.ts";

/** node:sqlite, counting the rows the `nodes` reads return. */
function countingNodeRows(): { driver: SqlDriverFactory; rows: () => number } {
  let rows = 0;
  const driver = countingDriver((sql, n) => {
    if (/^SELECT .* FROM nodes WHERE path/.test(sql)) rows += n;
  });
  return { driver, rows: () => rows };
}

const CACHE_DEPTH = 4;
const CHANGES = 64;

function writes(from: number, to: number, tag: string): Map<string, Value | null> {
  const m = new Map<string, Value | null>();
  for (let i = from; i < to; i++) m.set(toHex(enc(`key-${i}`)), enc(`${tag}-${i}`));
  return m;
}

/** Builds a state of n keys, reopens it (cold reader) and returns the node rows read per changed key of one block. */
function rowsPerChange(n: number): { perChange: number; counted: number } {
  const t = tempDir();
  try {
    const path = t.path("state.db");
    const build = StateStore.open(path, { nodeCacheDepth: CACHE_DEPTH });
    build.stage(1n, writes(0, n, "v"));
    build.commit();
    build.close();
    const c = countingNodeRows();
    const s = StateStore.open(path, { nodeCacheDepth: CACHE_DEPTH, driver: c.driver, integrityCheck: false });
    try {
      const block = new Map<string, Value | null>();
      const step = Math.floor(n / CHANGES);
      for (let i = 0; i < CHANGES; i++) block.set(toHex(enc(`key-${i * step}`)), enc(`updated-${i}`));
      s.stage(2n, block);
      // The store's count leaves out the reads that fill the cache (the top CACHE_DEPTH levels: < 2^CACHE_DEPTH rows).
      assert.ok(s.treeRowsRead <= c.rows() && c.rows() - s.treeRowsRead < 2 ** CACHE_DEPTH, "the store's count agrees with SQLite's");
      return { perChange: c.rows() / CHANGES, counted: s.treeRowsRead };
    } finally {
      s.close();
    }
  }
  finally {
    t.cleanup();
  }
}

test("node rows read per changed key stay within 2·log2(n) + 8 as the state grows 16x", () => {
  for (const n of [2_048, 32_768]) {
    const { perChange } = rowsPerChange(n);
    const bound = 2 * Math.log2(n) + 8;
    assert.ok(perChange <= bound, `at ${n} keys a change read ${perChange.toFixed(1)} node rows, more than ${bound}`);
  }
});

test("countKeys follows inserts, deletes and no-op writes across commits and a reopen", () => {
  const t = tempDir();
  try {
    const path = t.path("state.db");
    const s = StateStore.open(path);
    s.stage(1n, writes(0, 10, "v"));
    s.commit();
    assert.equal(s.countKeys(), 10);
    const block = writes(5, 15, "v"); // 5 no-op rewrites, 5 inserts
    block.set(toHex(enc("key-0")), null);
    block.set(toHex(enc("absent")), null); // deleting an absent key changes nothing
    s.stage(2n, block);
    assert.equal(s.countKeys(), 10, "staging changes nothing until commit");
    s.discardStaged();
    s.stage(2n, block);
    s.commit();
    assert.equal(s.countKeys(), 14);
    s.close();
    const r = StateStore.open(path);
    assert.equal(r.countKeys(), 14);
    r.close();
  } finally {
    t.cleanup();
  }
});
