// The checkpoint worker's two fallbacks, on a real SQLite database: a WAL that a reader pins past the size bound gets
// a TRUNCATE checkpoint (which cannot finish while the reader holds on; the next one completes once it lets go), and
// a worker that cannot run reports its death once and then asks for nothing.
import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { test } from "node:test";
import { WalCheckpointer } from "./wal-checkpointer.ts";
import { tempDir } from "./testing/helpers.ts";

/** A WAL-mode database whose writes stay in the WAL (no auto-checkpoint), as the store's own connection runs. */
function walDb(path: string): { db: DatabaseSync; write: (kib: number) => void } {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE IF NOT EXISTS t (v BLOB)");
  const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
  return { db, write: (kib) => { for (let i = 0; i < kib; i++) insert.run(new Uint8Array(1024).fill(i & 255)); } };
}
const walSize = (path: string): number => statSync(`${path}-wal`).size;

test("a checkpoint that a reader holds short, with the WAL past the bound, falls back to TRUNCATE; once the reader lets go the checkpoint completes", async () => {
  const t = tempDir();
  const deaths: unknown[] = [];
  const path = t.path("state.db");
  const { db, write } = walDb(path);
  const cp = new WalCheckpointer(path, (err) => deaths.push(err), 64 * 1024);
  const reader = new DatabaseSync(path);
  try {
    write(100);
    reader.exec("BEGIN");
    reader.prepare("SELECT count(*) AS n FROM t").get(); // a read transaction: its snapshot pins the WAL from here on
    write(300); // frames after the reader's snapshot cannot be checkpointed while it reads
    cp.request();
    await cp.idle();
    assert.deepEqual(cp.lastResult, { complete: false, mode: "truncate" }, "PASSIVE fell short past the bound, and TRUNCATE could not finish either");
    assert.ok(walSize(path) > 64 * 1024, "the WAL is still there while the reader holds it");
    reader.exec("COMMIT");
    write(1); // a commit, and the checkpoint the store asks for after it
    cp.request();
    await cp.idle();
    assert.equal(cp.lastResult?.complete, true);
    // Below the bound PASSIVE is enough: it completes and the next commit writes the WAL from its start.
    const cp2 = new WalCheckpointer(path, (err) => deaths.push(err));
    write(300);
    cp2.request();
    await cp2.idle();
    assert.deepEqual(cp2.lastResult, { complete: true, mode: "passive" });
    cp2.close();
    assert.deepEqual(deaths, []);
  } finally {
    cp.close();
    reader.close();
    db.close();
    t.cleanup();
  }
});

test("a worker that cannot open the database reports its death once, then asks for nothing and waits for nothing", async () => {
  const t = tempDir();
  try {
    const deaths: unknown[] = [];
    const cp = new WalCheckpointer(t.path("no/such/dir/state.db"), (err) => deaths.push(err));
    for (let i = 0; i < 100 && deaths.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(deaths.length, 1);
    assert.match(String(deaths[0]), /unable to open|no such|cannot open/i);
    cp.request(); // after its death: a no-op, not a message to a dead worker
    await cp.idle(); // resolves at once
    assert.equal(cp.lastResult, undefined);
    cp.close();
    assert.equal(deaths.length, 1);
  } finally {
    t.cleanup();
  }
});
