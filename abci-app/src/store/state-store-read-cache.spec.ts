import assert from "node:assert/strict";
import { test } from "node:test";
import { toHex } from "./bytes.ts";
import type { SqlDriverFactory } from "./sql-driver.ts";
import { StateStore } from "./state-store.ts";
import { countingDriver, dec, enc, tempDir } from "./testing/helpers.ts";

/** node:sqlite, counting the point reads of the state table and of the metadata. */
function countingReads(): { driver: SqlDriverFactory; reads: () => number; metaReads: () => number } {
  let reads = 0;
  let metaReads = 0;
  const driver = countingDriver((sql) => {
    if (sql === "SELECT value FROM app_meta WHERE name = ?") metaReads += 1;
    if (sql === "SELECT value FROM state WHERE key = ?") reads += 1;
  });
  return { driver, reads: () => reads, metaReads: () => metaReads };
}

test("committed values are read from SQLite once, then from memory; commits keep the memory exact", () => {
  const t = tempDir();
  try {
    const c = countingReads();
    const s = StateStore.open(t.path("state.db"), { driver: c.driver });
    s.stage(1n, new Map([[toHex(enc("a")), enc("1")], [toHex(enc("b")), enc("2")]]));
    s.commit();
    const before = c.reads();
    assert.equal(dec(s.get(enc("a"))), "1");
    assert.equal(dec(s.get(enc("a"))), "1");
    assert.equal(s.get(enc("missing")), undefined);
    assert.equal(s.get(enc("missing")), undefined);
    assert.equal(c.reads() - before, 1, "the committed keys are known from the commit; an absent key is read once");
    const got = s.get(enc("a"));
    got?.fill(0x7a);
    assert.equal(dec(s.get(enc("a"))), "1", "callers get copies: mutating one changes nothing");
    s.stage(2n, new Map([[toHex(enc("a")), enc("3")], [toHex(enc("b")), null], [toHex(enc("missing")), enc("4")]]));
    assert.equal(dec(s.get(enc("a"))), "1", "staged, not committed: reads still see height 1");
    s.commit();
    assert.equal(dec(s.get(enc("a"))), "3");
    assert.equal(s.get(enc("b")), undefined);
    assert.equal(dec(s.get(enc("missing"))), "4");
    s.setMetaStaged("chain_id", enc("c-1"));
    s.stage(3n, new Map());
    assert.equal(s.getMeta("chain_id"), undefined, "staged metadata is not committed metadata");
    s.commit();
    const metaBefore = c.metaReads();
    for (let i = 0; i < 3; i++) assert.equal(dec(s.getMeta("chain_id")), "c-1");
    assert.equal(s.getMeta("other"), undefined);
    assert.equal(s.getMeta("other"), undefined);
    assert.equal(c.metaReads() - metaBefore, 1, "committed metadata is known from the commit; an absent name is read once");
    s.close();
    const reopened = StateStore.open(t.path("state.db"));
    assert.equal(dec(reopened.get(enc("a"))), "3");
    assert.equal(reopened.get(enc("b")), undefined);
    reopened.close();
  } finally {
    t.cleanup();
  }
});
