import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { Branch } from "./branch.ts";
import { toHex } from "./bytes.ts";
import { HeightUnavailableError, InvalidChangeError, RootMismatchError, StoreStateError } from "./errors.ts";
import { EMPTY_HASH, keyPath, leafHash } from "./merkle-hash.ts";
import { computeRoot } from "./merkle-tree.ts";
import { StateStore } from "./state-store.ts";
import type { Value } from "./types.ts";
import { dec, enc, tempDir } from "./testing/helpers.ts";

function changes(entries: Record<string, string | null>): Map<string, Value | null> {
  return new Map(Object.entries(entries).map(([k, v]) => [toHex(enc(k)), v === null ? null : enc(v)]));
}

function rootOfStore(s: StateStore): string {
  const leaves = [...s.iterate(new Uint8Array(0))].map(([k, v]) => ({ keyHash: keyPath(k), leafHash: leafHash(k, v) }));
  return toHex(computeRoot(leaves));
}

function withStore(fn: (path: string) => void): void {
  const t = tempDir();
  try {
    fn(t.path("state.db"));
  } finally {
    t.cleanup();
  }
}

describe("StateStore", () => {
  test("a new store is empty at height 0 with the empty root", () => withStore((path) => {
    const s = StateStore.open(path);
    assert.equal(s.lastHeight, 0n);
    assert.deepEqual(s.lastAppHash, EMPTY_HASH);
    assert.equal(s.oldestHeight, 0n);
    assert.equal(s.get(enc("x")), undefined);
    s.verify();
    s.close();
  }));

  test("stage + commit persist state, height and app hash across reopen", () => withStore((path) => {
    const s = StateStore.open(path);
    const staged = s.stage(1n, changes({ a: "1", b: "2", c: "3" }));
    const committed = s.commit();
    assert.deepEqual(committed, { height: 1n, appHash: staged });
    assert.equal(toHex(staged), rootOfStore(s));
    s.stage(2n, changes({ b: null, d: "4" }));
    const second = s.commit();
    s.close();
    const r = StateStore.open(path);
    assert.equal(r.lastHeight, 2n);
    assert.deepEqual(r.lastAppHash, second.appHash);
    assert.deepEqual([...r.iterate(new Uint8Array(0))].map(([k, v]) => `${dec(k) ?? ""}=${dec(v) ?? ""}`), ["a=1", "c=3", "d=4"]);
    assert.equal(toHex(r.lastAppHash), rootOfStore(r));
    assert.deepEqual(r.appHashAt(1n), staged);
    r.verify();
    r.close();
  }));

  test("stage writes nothing: reopening without commit gives the previous state and hash", async () => {
    const t = tempDir();
    try {
      const path = t.path("state.db");
      const s = StateStore.open(path);
      s.stage(1n, changes({ a: "1" }));
      const first = s.commit();
      // The commit's background WAL checkpoint writes the database file on its own thread: wait for it, so only what
      // stage might write can change the files below (without the wait this raced, and failed on a loaded machine).
      await s.checkpointed();
      const files = (): string[] => [path, `${path}-wal`].map((f) => { try { return toHex(readFileSync(f)); } catch { return "-"; } });
      const before = files();
      const staged = s.stage(2n, changes({ a: "changed", b: "new" }));
      assert.notDeepEqual(staged, first.appHash);
      assert.deepEqual(files(), before);
      assert.equal(dec(s.get(enc("a"))), "1");
      assert.deepEqual(s.lastAppHash, first.appHash);
      s.close();
      const r = StateStore.open(path);
      assert.equal(r.lastHeight, 1n);
      assert.deepEqual(r.lastAppHash, first.appHash);
      assert.equal(r.get(enc("b")), undefined);
      assert.throws(() => r.commit(), StoreStateError);
      r.close();
    } finally {
      t.cleanup();
    }
  });

  test("stage twice (re-execution) gives the same hash; the last staged set is what commits", () => withStore((path) => {
    const s = StateStore.open(path);
    const block = changes({ a: "1", b: "2" });
    const h1 = s.stage(1n, block);
    const h2 = s.stage(1n, block);
    assert.deepEqual(h1, h2);
    const other = s.stage(1n, changes({ z: "9" }));
    assert.notDeepEqual(other, h1);
    assert.deepEqual(s.stage(1n, block), h1);
    assert.deepEqual(s.commit().appHash, h1);
    assert.equal(s.get(enc("z")), undefined);
    s.discardStaged();
    assert.throws(() => s.commit(), StoreStateError);
    s.close();
  }));

  test("bad input is refused and leaves the staged block as it was", () => withStore((path) => {
    const s = StateStore.open(path);
    const good = s.stage(1n, changes({ a: "1" }));
    assert.throws(() => s.stage(1n, new Map([["ABCD", enc("x")]])), InvalidChangeError);
    assert.throws(() => s.stage(1n, new Map([["", enc("x")]])), InvalidChangeError);
    assert.throws(() => s.stage(1n, new Map([["61", "x" as unknown as Uint8Array]])), InvalidChangeError);
    assert.throws(() => s.stage(-1n, changes({ a: "1" })), InvalidChangeError);
    assert.throws(() => s.stage(1 as unknown as bigint, changes({ a: "1" })), InvalidChangeError);
    assert.deepEqual(s.stagedBlock, { height: 1n, appHash: good });
    s.commit();
    assert.throws(() => s.stage(3n, changes({ a: "2" })), InvalidChangeError);
    assert.throws(() => s.stage(1n, changes({ a: "2" })), InvalidChangeError);
    assert.throws(() => StateStore.open(path, { keepVersions: -1 }), InvalidChangeError);
    assert.throws(() => StateStore.open(path, { nodeCacheDepth: 1.5 }), InvalidChangeError);
    s.close();
    assert.throws(() => s.get(enc("a")), StoreStateError);
  }));

  test("height 0 can be staged to preview the genesis hash, never committed", () => withStore((path) => {
    const s = StateStore.open(path);
    const preview = s.stage(0n, changes({ genesis: "g" }));
    assert.throws(() => s.commit(), StoreStateError);
    s.discardStaged();
    assert.deepEqual(s.stage(1n, changes({ genesis: "g" })), preview);
    s.commit();
    assert.throws(() => s.stage(0n, changes({})), InvalidChangeError);
    s.close();
  }));

  test("a second writer on the same file is refused at commit and nothing is written", () => withStore((path) => {
    const a = StateStore.open(path);
    const b = StateStore.open(path);
    a.stage(1n, changes({ a: "1" }));
    const committed = a.commit();
    b.stage(1n, changes({ b: "2" }));
    assert.throws(() => b.commit(), /another process is writing to it/);
    b.close();
    assert.equal(a.get(enc("b")), undefined);
    a.verify();
    a.close();
    const r = StateStore.open(path);
    assert.deepEqual(r.lastAppHash, committed.appHash);
    r.close();
  }));

  test("an empty value is a value, not a delete (latest and historical)", () => withStore((path) => {
    const s = StateStore.open(path);
    const h1 = s.stage(1n, new Map([[toHex(enc("flag")), new Uint8Array(0)]]));
    s.commit();
    assert.notDeepEqual(h1, EMPTY_HASH);
    assert.deepEqual(s.get(enc("flag")), new Uint8Array(0));
    s.stage(2n, changes({ flag: null }));
    s.commit();
    assert.deepEqual(s.getAt(enc("flag"), 1n), new Uint8Array(0));
    assert.equal(s.getAt(enc("flag"), 2n), undefined);
    assert.deepEqual(s.lastAppHash, EMPTY_HASH);
    s.verify();
    s.close();
  }));

  test("a chain may start at an initial height above 1", () => withStore((path) => {
    const s = StateStore.open(path);
    s.stage(1000n, changes({ a: "1" }));
    s.commit();
    assert.equal(s.oldestHeight, 1000n);
    assert.throws(() => s.stage(1000n, changes({})), InvalidChangeError);
    assert.deepEqual(s.stage(1001n, changes({})), s.lastAppHash);
    s.commit();
    assert.equal(dec(s.getAt(enc("a"), 1000n)), "1");
    s.close();
  }));

  test("historical getAt and iterateAt follow sets, overwrites, deletes and re-creates", () => withStore((path) => {
    const s = StateStore.open(path, { keepVersions: 0 });
    const blocks: Record<string, string | null>[] = [
      { "p/a": "a1", "p/b": "b1", "q/x": "x1" },
      { "p/a": "a2", "p/c": "c2" },
      { "p/b": null, "q/x": null },
      { "p/b": "b4", "p/a": null },
      {},
    ];
    const snapshots: string[][] = [];
    blocks.forEach((b, i) => {
      s.stage(BigInt(i + 1), changes(b));
      s.commit();
      snapshots.push([...s.iterate(new Uint8Array(0))].map(([k, v]) => `${dec(k) ?? ""}=${dec(v) ?? ""}`));
    });
    for (let h = 1; h <= blocks.length; h++) {
      const at = [...s.iterateAt(new Uint8Array(0), BigInt(h))].map(([k, v]) => `${dec(k) ?? ""}=${dec(v) ?? ""}`);
      assert.deepEqual(at, snapshots[h - 1], `height ${String(h)}`);
      for (const key of ["p/a", "p/b", "p/c", "q/x"]) {
        const want = snapshots[h - 1]?.find((e) => e.startsWith(`${key}=`))?.slice(key.length + 1);
        assert.equal(dec(s.getAt(enc(key), BigInt(h))), want, `${key} at ${String(h)}`);
      }
    }
    assert.deepEqual([...s.iterateAt(enc("p/"), 2n)].map(([k]) => dec(k)), ["p/a", "p/b", "p/c"]);
    assert.deepEqual([...s.iterateAt(enc("p/"), 2n, { reverse: true })].map(([k]) => dec(k)), ["p/c", "p/b", "p/a"]);
    assert.deepEqual([...s.iterateAt(enc("p/"), 2n, { start: enc("p/b") })].map(([k]) => dec(k)), ["p/b", "p/c"]);
    assert.deepEqual([...s.iterateAt(enc("p/"), 3n, { reverse: true, start: enc("p/b") })].map(([k]) => dec(k)), ["p/a"]);
    assert.throws(() => s.getAt(enc("p/a"), 6n), HeightUnavailableError);
    assert.throws(() => s.getAt(enc("p/a"), 0n), HeightUnavailableError);
    assert.equal(s.oldestHeight, 1n);
    s.close();
  }));

  test("pruning keeps exactly the last keepVersions heights queryable and bounds history", () => withStore((path) => {
    const s = StateStore.open(path, { keepVersions: 3 });
    const model: Map<string, string>[] = [];
    const current = new Map<string, string>();
    for (let h = 1; h <= 12; h++) {
      const block: Record<string, string | null> = {};
      for (let i = 0; i < 20; i++) {
        const k = `k${String((h * 7 + i * 3) % 25)}`;
        block[k] = (h + i) % 4 === 0 ? null : `v${String(h)}.${String(i)}`;
      }
      s.stage(BigInt(h), changes(block));
      s.commit();
      for (const [k, v] of Object.entries(block)) {
        if (v === null) current.delete(k);
        else current.set(k, v);
      }
      model.push(new Map(current));
      assert.equal(s.oldestHeight, BigInt(Math.max(1, h - 2)));
    }
    for (let h = 10; h <= 12; h++) {
      const want = [...(model[h - 1] ?? new Map<string, string>())].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`);
      assert.deepEqual([...s.iterateAt(new Uint8Array(0), BigInt(h))].map(([k, v]) => `${dec(k) ?? ""}=${dec(v) ?? ""}`), want);
      for (let i = 0; i < 25; i++) assert.equal(dec(s.getAt(enc(`k${String(i)}`), BigInt(h))), model[h - 1]?.get(`k${String(i)}`));
    }
    assert.throws(() => s.getAt(enc("k1"), 9n), HeightUnavailableError);
    s.close();
    const raw = new DatabaseSync(path);
    const rows = raw.prepare("SELECT count(*) AS n, min(height) AS lo FROM history").get();
    const stale = raw.prepare("SELECT count(*) AS n FROM history h WHERE height < 10 AND EXISTS " +
      "(SELECT 1 FROM history g WHERE g.key = h.key AND g.height > h.height AND g.height <= 10)").get();
    raw.close();
    assert.equal(stale?.["n"], 0);
    assert.ok(Number(rows?.["n"]) <= 25 + 3 * 20, `history holds ${String(rows?.["n"])} rows`);
    // Reopening with a smaller window prunes further at the next commit.
    const r = StateStore.open(path, { keepVersions: 1 });
    r.stage(13n, changes({ k1: "last" }));
    r.commit();
    assert.equal(r.oldestHeight, 13n);
    assert.throws(() => r.getAt(enc("k1"), 12n), HeightUnavailableError);
    assert.equal(dec(r.getAt(enc("k1"), 13n)), "last");
    r.verify();
    r.close();
  }));

  test("metadata is staged with the block and committed atomically", () => withStore((path) => {
    const s = StateStore.open(path);
    s.setMetaStaged("chain_id", enc("trustnet-local-1"));
    assert.equal(s.getMeta("chain_id"), undefined);
    s.stage(1n, changes({ a: "1" }));
    s.stage(1n, changes({ a: "1" }));
    s.commit();
    assert.equal(dec(s.getMeta("chain_id")), "trustnet-local-1");
    s.setMetaStaged("params", enc("p"));
    s.discardStaged();
    s.stage(2n, changes({}));
    s.commit();
    assert.equal(s.getMeta("params"), undefined);
    assert.throws(() => s.setMetaStaged("", enc("x")), InvalidChangeError);
    s.close();
    const r = StateStore.open(path);
    assert.equal(dec(r.getMeta("chain_id")), "trustnet-local-1");
    r.close();
  }));

  test("a Branch over the store merges SQLite iteration (many chunks) with buffered writes", () => withStore((path) => {
    const s = StateStore.open(path);
    const initial = new Map<string, Value | null>();
    for (let i = 0; i < 3000; i++) initial.set(toHex(enc(`acct/${String(i).padStart(5, "0")}`)), enc(String(i)));
    initial.set(toHex(enc("other")), enc("o"));
    s.stage(1n, initial);
    s.commit();
    const b = new Branch(s);
    b.delete(enc("acct/00000"));
    b.set(enc("acct/01500x"), enc("new"));
    const all = [...b.iterate(enc("acct/"))].map(([k]) => dec(k) ?? "");
    assert.equal(all.length, 3000);
    assert.equal(all[0], "acct/00001");
    assert.ok(all.indexOf("acct/01500x") === all.indexOf("acct/01500") + 1);
    const rev = [...b.iterate(enc("acct/"), { reverse: true })].map(([k]) => dec(k) ?? "");
    assert.deepEqual(rev, [...all].reverse());
    const from = [...b.iterate(enc("acct/"), { start: enc("acct/02990") })].map(([k]) => dec(k));
    assert.equal(from.length, 10);
    const down = [...s.iterate(enc("acct/"), { reverse: true, start: enc("acct/00009") })].map(([k]) => dec(k));
    assert.deepEqual(down, Array.from({ length: 10 }, (_, i) => `acct/${String(9 - i).padStart(5, "0")}`));
    const it = s.iterate(enc("acct/"));
    it.next();
    const nested = [...s.iterate(enc("acct/0000"))].length;
    assert.equal(nested, 10);
    assert.equal(dec(it.next().value?.[0]), "acct/00001");
    const h = s.stage(2n, b.changes());
    s.commit();
    assert.equal(toHex(h), rootOfStore(s));
    s.verify();
    s.close();
  }));

  test("the node cache depth (0, 4, 16) changes nothing: same hashes, verify passes", () => {
    const t = tempDir();
    try {
      const runs = [0, 4, 16].map((depth) => {
        const s = StateStore.open(t.path(`cache-${String(depth)}.db`), { nodeCacheDepth: depth });
        const hashes: string[] = [];
        for (let h = 1; h <= 8; h++) {
          const block = new Map<string, Value | null>();
          for (let i = 0; i < 600; i++) {
            const k = (h * 331 + i * 17) % 2500;
            block.set(toHex(enc(`k/${String(k)}`)), (h + i) % 6 === 0 ? null : enc(`${String(h)}.${String(i)}`));
          }
          hashes.push(toHex(s.stage(BigInt(h), block)));
          s.commit();
        }
        s.verify();
        hashes.push(rootOfStore(s));
        s.close();
        return hashes;
      });
      assert.deepEqual(runs[1], runs[0]);
      assert.deepEqual(runs[2], runs[0]);
      assert.equal(runs[0]?.[7], runs[0]?.[8]);
    } finally {
      t.cleanup();
    }
  });

  test("verify() detects state that does not match the stored root", () => withStore((path) => {
    const s = StateStore.open(path);
    s.stage(1n, changes({ a: "1", b: "2", c: "3" }));
    s.commit();
    s.verify();
    s.close();
    const raw = new DatabaseSync(path);
    raw.prepare("UPDATE state SET value = ? WHERE key = ?").run(enc("tampered"), enc("b"));
    raw.close();
    const r = StateStore.open(path);
    assert.throws(() => r.verify(), RootMismatchError);
    r.close();
  }));

  test("verify() detects a damaged persisted tree: a wrong node hash, an orphan row, a missing leaf", () => withStore((path) => {
    const s = StateStore.open(path);
    const block = new Map<string, Value | null>();
    for (let i = 0; i < 200; i++) block.set(toHex(enc(`k${String(i)}`)), enc(String(i)));
    s.stage(1n, block);
    s.commit();
    s.verify();
    s.close();
    const damages = [
      "UPDATE nodes SET hash = zeroblob(32) WHERE path = (SELECT max(path) FROM nodes WHERE leaf IS NULL)",
      "INSERT INTO nodes (path, hash, leaf) VALUES (x'0101010101010101010101010101010101010101', zeroblob(32), NULL)",
      "DELETE FROM nodes WHERE path = (SELECT max(path) FROM nodes WHERE leaf IS NOT NULL)",
    ];
    for (const sql of damages) {
      const copy = `${path}.copy`;
      const src = new DatabaseSync(path);
      src.exec(`VACUUM INTO '${copy}'`);
      src.close();
      const raw = new DatabaseSync(copy);
      raw.exec(sql);
      raw.close();
      const r = StateStore.open(copy);
      assert.throws(() => r.verify(), RootMismatchError, sql);
      r.close();
      rmSync(copy);
    }
  }));
});
