import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { compareBytes, toHex } from "./bytes.ts";
import { EMPTY_HASH, innerHash, keyPath, leafHash, pathBit, sha256 } from "./merkle-hash.ts";
import { compactOps, computeRoot, EMPTY_NODE, nodeHash, positionBytes, updateTree, updateTreeRaw } from "./merkle-tree.ts";
import type { LeafChange, NodeSource, Position, TreeNode } from "./merkle-tree.ts";
import { enc, prng, shuffle } from "./testing/helpers.ts";

/** An in-memory persisted tree that applies NodeOps exactly as the SQLite store does. */
class MemTree implements NodeSource {
  readonly rows = new Map<string, TreeNode>();
  root: Uint8Array = EMPTY_HASH;
  node(position: Position): TreeNode {
    return this.rows.get(toHex(positionBytes(position))) ?? EMPTY_NODE;
  }
  /** Applies a batch of (key, value|null) writes; no-op writes are filtered like StateStore.stage does. */
  apply(state: Map<string, Uint8Array>, batch: readonly (readonly [string, Uint8Array | null])[]): void {
    const changes: LeafChange[] = [];
    for (const [k, v] of new Map(batch)) {
      const cur = state.get(k);
      if (v === null ? cur === undefined : cur !== undefined && toHex(cur) === toHex(v)) continue;
      changes.push({ keyHash: keyPath(enc(k)), leafHash: v === null ? null : leafHash(enc(k), v) });
      if (v === null) state.delete(k);
      else state.set(k, v);
    }
    changes.sort((a, b) => compareBytes(a.keyHash, b.keyHash));
    const { root, ops } = updateTreeRaw(this, changes);
    const direct = updateTree(this, changes); // compacts as it goes: the same writes as compactOps(ops)
    // The compacted form (what SQLite receives) must leave exactly the rows the raw ops leave.
    const compacted = new Map(this.rows);
    const dropBelow = (rows: Map<string, TreeNode>, hex: string): void => {
      for (const k of [...rows.keys()]) if (k.length > hex.length && k.startsWith(hex)) rows.delete(k);
    };
    for (const op of ops) {
      const hex = toHex(positionBytes(op.position));
      if (op.op === "prune") dropBelow(this.rows, hex);
      else if (op.node.kind === "empty") this.rows.delete(hex);
      else this.rows.set(hex, op.node);
    }
    const c = compactOps(ops);
    const puts = [...c.puts];
    assert.deepEqual([direct.ops.prunes, [...direct.ops.puts], direct.root], [c.prunes, puts, root]);
    for (const p of c.prunes) dropBelow(compacted, toHex(positionBytes(p)));
    assert.equal(new Set(puts.map((x) => x.position)).size, puts.length, "compacted puts are distinct");
    for (const { position, node } of puts) {
      if (node.kind === "empty") compacted.delete(toHex(positionBytes(position)));
      else compacted.set(toHex(positionBytes(position)), node);
    }
    assert.deepEqual(compacted, this.rows);
    this.root = nodeHash(root);
  }
}

function rootOf(state: Map<string, Uint8Array>): Uint8Array {
  return computeRoot([...state].map(([k, v]) => ({ keyHash: keyPath(enc(k)), leafHash: leafHash(enc(k), v) })));
}

describe("merkle hashing", () => {
  test("leaf hash is sha256(0x00 ‖ uvarint len ‖ key ‖ uvarint len ‖ value)", () => {
    const key = enc("k");
    const value = new Uint8Array(200).fill(7); // 200 needs a two-byte uvarint: 0xc8 0x01
    const expected = sha256(new Uint8Array([0x00, 1, 0x6b, 0xc8, 0x01, ...value]));
    assert.deepEqual(leafHash(key, value), expected);
  });

  test("inner hash is sha256(0x01 ‖ left ‖ right); empty is 32 zero bytes", () => {
    const l = sha256(enc("l"));
    const r = sha256(enc("r"));
    assert.deepEqual(innerHash(l, r), sha256(new Uint8Array([0x01, ...l, ...r])));
    assert.deepEqual(EMPTY_HASH, new Uint8Array(32));
  });

  test("golden vector: the app hash of a fixed state never changes", () => {
    const state = new Map([["a", enc("1")], ["b", enc("2")], ["bank/balances/trust1xyz", enc("1000000utrust")]]);
    assert.equal(toHex(rootOf(state)), GOLDEN_ROOT);
  });
});

// Pinned when the encoding was defined (consensus-critical): if this changes, every node computes a different app hash.
const GOLDEN_ROOT = "86c98f9f07ccc0964ea1e7509fce40cec9a6c67d8377fb9b699b39bf4d40637c";

describe("sparse Merkle tree", () => {
  test("empty tree has the empty root; one leaf is the root", () => {
    assert.deepEqual(computeRoot([]), EMPTY_HASH);
    const t = new MemTree();
    const state = new Map<string, Uint8Array>();
    t.apply(state, [["only", enc("v")]]);
    assert.deepEqual(t.root, leafHash(enc("only"), enc("v")));
    assert.equal(t.rows.size, 1);
  });

  test("two leaves: root is the chain of inner nodes down to where their paths diverge", () => {
    const a = { k: enc("alpha"), v: enc("1") };
    const b = { k: enc("beta"), v: enc("2") };
    const pa = keyPath(a.k);
    const pb = keyPath(b.k);
    let d = 0;
    while (pathBit(pa, d) === pathBit(pb, d)) d++;
    const la = leafHash(a.k, a.v);
    const lb = leafHash(b.k, b.v);
    let h = pathBit(pa, d) === 0 ? innerHash(la, lb) : innerHash(lb, la);
    for (let i = d - 1; i >= 0; i--) h = pathBit(pa, i) === 0 ? innerHash(h, EMPTY_HASH) : innerHash(EMPTY_HASH, h);
    const t = new MemTree();
    t.apply(new Map(), [["alpha", a.v], ["beta", b.v]]);
    assert.deepEqual(t.root, h);
  });

  test("the root is independent of insertion order and batching (20 random schedules)", () => {
    const rand = prng(42);
    const entries: [string, Uint8Array][] = Array.from({ length: 300 }, (_, i) => [`key/${String(i)}`, enc(`v${String(i * 7)}`)]);
    const expected = rootOf(new Map(entries));
    for (let run = 0; run < 20; run++) {
      const t = new MemTree();
      const state = new Map<string, Uint8Array>();
      const order = shuffle(entries, rand);
      while (order.length > 0) t.apply(state, order.splice(0, 1 + Math.floor(rand() * 40)));
      assert.equal(toHex(t.root), toHex(expected), `schedule ${String(run)}`);
    }
  });

  test("insert then delete back restores the previous root and exactly the previous rows", () => {
    const rand = prng(7);
    const t = new MemTree();
    const state = new Map<string, Uint8Array>();
    t.apply(state, Array.from({ length: 200 }, (_, i) => [`base/${String(i)}`, enc(String(i))] as const));
    const before = toHex(t.root);
    const rowsBefore = new Map([...t.rows].map(([k, n]) => [k, toHex(nodeHash(n))]));
    const extra = Array.from({ length: 150 }, (_, i) => `extra/${String(i)}`);
    for (const batch of [extra.slice(0, 50), extra.slice(50)]) t.apply(state, batch.map((k) => [k, enc(k)] as const));
    t.apply(state, [["base/3", enc("changed")]]);
    assert.notEqual(toHex(t.root), before);
    for (const k of shuffle(extra, rand)) t.apply(state, [[k, null]]);
    t.apply(state, [["base/3", enc("3")]]);
    assert.equal(toHex(t.root), before);
    assert.deepEqual(new Map([...t.rows].map(([k, n]) => [k, toHex(nodeHash(n))])), rowsBefore);
  });

  test("random mixed sets, overwrites and deletes always match a from-scratch root", () => {
    const rand = prng(2026);
    const t = new MemTree();
    const state = new Map<string, Uint8Array>();
    for (let round = 0; round < 60; round++) {
      const batch: [string, Uint8Array | null][] = [];
      for (let i = 0; i < 1 + Math.floor(rand() * 30); i++) {
        const k = `k${String(Math.floor(rand() * 120))}`;
        batch.push([k, rand() < 0.35 ? null : enc(`v${String(Math.floor(rand() * 5))}`)]);
      }
      t.apply(state, batch);
      assert.equal(toHex(t.root), toHex(rootOf(state)), `round ${String(round)}`);
    }
    for (const k of [...state.keys()]) t.apply(state, [[k, null]]);
    assert.deepEqual(t.root, EMPTY_HASH);
    assert.equal(t.rows.size, 0);
  });
});
