import assert from "node:assert/strict";
import { test } from "node:test";
import { BoundedMap } from "./bounded-map.ts";

test("BoundedMap keeps at most its bound, drops the least recently used generation, keeps what is used", () => {
  const m = new BoundedMap<number, string>(10);
  for (let i = 0; i < 1000; i++) {
    m.set(i, `v${i}`);
    m.get(0); // used all along: survives every generation change
    assert.ok(m.size <= 10, `size ${m.size} after ${i + 1} sets`);
  }
  assert.equal(m.get(0), "v0");
  assert.equal(m.get(999), "v999");
  assert.equal(m.get(500), undefined);
  m.set(999, "new");
  assert.equal(m.get(999), "new");
  m.delete(999);
  assert.equal(m.has(999), false);
  m.clear();
  assert.equal(m.size, 0);
  assert.throws(() => new BoundedMap(1), RangeError);
});
