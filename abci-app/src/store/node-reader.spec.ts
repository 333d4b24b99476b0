// NodeReader and NodeCache keep memory bounded: the reader holds one subtree's rows at a time, and the cache keeps
// hashes of its own instead of views that would pin merkle-hash.ts's shared slabs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { NodeCache } from "./merkle-cache.ts";
import { innerHash, keyPath } from "./merkle-hash.ts";
import { positionBytes } from "./merkle-tree.ts";
import type { Position } from "./merkle-tree.ts";
import { NodeReader } from "./node-reader.ts";
import type { SqlParam, SqlRow, SqlStatement } from "./sql-driver.ts";

const LOAD_DEPTH = 8;
const pos = (bits: string): Position => [...bits].map((b) => (b === "1" ? "\u0001" : "\u0000")).join("");

/** A `nodes` table in memory; counts the subtree queries. */
function table(paths: readonly Position[]): { point: SqlStatement; subtree: SqlStatement; queries: string[] } {
  const rows = paths.map((p, i) => ({ path: positionBytes(p), hash: new Uint8Array(32).fill(i + 1), leaf: null }));
  const queries: string[] = [];
  const none = (): never => { throw new Error("not used"); };
  const inRange = (lo: Uint8Array, hi: Uint8Array) => (r: { path: Uint8Array }): boolean =>
    Buffer.compare(r.path, lo) >= 0 && Buffer.compare(r.path, hi) < 0;
  return {
    queries,
    point: { run: none, all: none, get: (...p: SqlParam[]): SqlRow | undefined => rows.find((r) => Buffer.compare(r.path, p[0] as Uint8Array) === 0) },
    subtree: {
      run: none, get: none,
      all: (...p: SqlParam[]): SqlRow[] => {
        queries.push(Buffer.from(p[0] as Uint8Array).toString("hex"));
        return rows.filter(inRange(p[0] as Uint8Array, p[1] as Uint8Array));
      },
    },
  };
}

test("the reader holds only the last subtree it fetched: going back to an earlier one fetches it again", () => {
  const a = pos("00000000");
  const b = pos("11111111");
  const t = table([a, `${a}\u0000`, `${a}\u0001`, b, `${b}\u0000`, `${b}\u0001`]);
  const reader = new NodeReader(new NodeCache(LOAD_DEPTH - 1), LOAD_DEPTH, t.point, t.subtree);
  assert.equal(reader.node(`${a}\u0000`).kind, "inner");
  assert.equal(reader.node(`${a}\u0001`).kind, "inner"); // same subtree: no new query
  assert.equal(t.queries.length, 1);
  assert.equal(reader.node(`${b}\u0001`).kind, "inner");
  assert.equal(reader.node(b).kind, "inner");
  assert.equal(t.queries.length, 2);
  assert.deepEqual(reader.node(`${a}\u0001`), { kind: "inner", hash: new Uint8Array(32).fill(3) }); // re-read, same answer
  assert.equal(t.queries.length, 3);
  assert.equal(reader.node(`${a}\u0001\u0000`).kind, "empty");
});

test("tree hashes share slabs; the node cache keeps copies of its own", () => {
  const k1 = keyPath(new Uint8Array([1]));
  const k2 = keyPath(new Uint8Array([2]));
  assert.equal(k1.buffer, k2.buffer, "consecutive hashes are views into one slab");
  const h = innerHash(k1, k2);
  const cache = new NodeCache(4);
  cache.apply({ prunes: [], puts: [{ position: pos("0"), node: { kind: "inner", hash: h } }, { position: pos("1"), node: { kind: "leaf", keyHash: k1, hash: k2 } }] });
  const inner = cache.get(pos("0"));
  const leaf = cache.get(pos("1"));
  assert.ok(inner?.kind === "inner" && leaf?.kind === "leaf");
  assert.deepEqual(inner.hash, h);
  assert.deepEqual([leaf.keyHash, leaf.hash], [k1, k2]);
  for (const x of [inner.hash, leaf.keyHash, leaf.hash]) assert.equal(x.buffer.byteLength, 32, "a copy, not a slab view");
});
