import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { Branch } from "./branch.ts";
import { compareBytes, prefixEnd, toHex } from "./bytes.ts";
import { InvalidChangeError } from "./errors.ts";
import type { IterateOptions, Key, KVReader, Value } from "./types.ts";
import { dec, enc, prng } from "./testing/helpers.ts";

/** A plain sorted-map reader (a fake parent; the StateStore spec runs Branch over the real store). */
class SortedReader implements KVReader {
  private readonly entries: [Key, Value][];
  constructor(entries: [Key, Value][]) {
    this.entries = [...entries].sort((a, b) => compareBytes(a[0], b[0]));
  }
  get(key: Key): Value | undefined {
    return this.entries.find(([k]) => compareBytes(k, key) === 0)?.[1];
  }
  *iterate(prefix: Key, opts: IterateOptions = {}): IterableIterator<[Key, Value]> {
    const end = prefixEnd(prefix);
    const inRange = this.entries.filter(([k]) => compareBytes(k, prefix) >= 0 && (end === undefined || compareBytes(k, end) < 0));
    const { start } = opts;
    if (opts.reverse === true) {
      yield* inRange.filter(([k]) => start === undefined || compareBytes(k, start) <= 0).reverse();
    } else {
      yield* inRange.filter(([k]) => start === undefined || compareBytes(k, start) >= 0);
    }
  }
}

const keys = (it: Iterable<[Key, Value]>): string[] => [...it].map(([k]) => dec(k) ?? "");
const pairs = (it: Iterable<[Key, Value]>): string[] => [...it].map(([k, v]) => `${dec(k) ?? ""}=${dec(v) ?? ""}`);

function parent(): SortedReader {
  return new SortedReader(["a/1", "a/3", "a/5", "b/1", "c/1"].map((k) => [enc(k), enc(`p:${k}`)]));
}

describe("Branch", () => {
  test("reads its own writes first, then the parent; deletes hide parent keys", () => {
    const b = new Branch(parent());
    b.set(enc("a/1"), enc("x"));
    b.delete(enc("a/3"));
    assert.equal(dec(b.get(enc("a/1"))), "x");
    assert.equal(b.get(enc("a/3")), undefined);
    assert.equal(dec(b.get(enc("a/5"))), "p:a/5");
    assert.equal(b.get(enc("zzz")), undefined);
  });

  test("iterate merges buffer and parent in byte order, with deletes, prefix, start and reverse", () => {
    const b = new Branch(parent());
    b.set(enc("a/2"), enc("new"));
    b.set(enc("a/5"), enc("over"));
    b.delete(enc("a/1"));
    b.set(enc("a/0"), enc("first"));
    b.set(enc("b/0"), enc("other prefix"));
    assert.deepEqual(pairs(b.iterate(enc("a/"))), ["a/0=first", "a/2=new", "a/3=p:a/3", "a/5=over"]);
    assert.deepEqual(keys(b.iterate(enc("a/"), { reverse: true })), ["a/5", "a/3", "a/2", "a/0"]);
    assert.deepEqual(keys(b.iterate(enc("a/"), { start: enc("a/25") })), ["a/3", "a/5"]);
    assert.deepEqual(keys(b.iterate(enc("a/"), { start: enc("a/3") })), ["a/3", "a/5"]);
    assert.deepEqual(keys(b.iterate(enc("a/"), { reverse: true, start: enc("a/3") })), ["a/3", "a/2", "a/0"]);
    assert.deepEqual(keys(b.iterate(new Uint8Array(0))), ["a/0", "a/2", "a/3", "a/5", "b/0", "b/1", "c/1"]);
  });

  test("unsigned byte order, not UTF-16 string order, including 0xff prefixes", () => {
    const b = new Branch(new SortedReader([[new Uint8Array([0xff, 0x01]), enc("p")]]));
    b.set(new Uint8Array([0xff]), enc("a"));
    b.set(new Uint8Array([0xff, 0xff]), enc("b"));
    b.set(new Uint8Array([0x7f]), enc("c"));
    b.set(new Uint8Array([0xff, 0x00, 0x05]), enc("d"));
    const hex = (it: Iterable<[Key, Value]>): string[] => [...it].map(([k]) => toHex(k));
    assert.deepEqual(hex(b.iterate(new Uint8Array([0xff]))), ["ff", "ff0005", "ff01", "ffff"]);
    assert.deepEqual(hex(b.iterate(new Uint8Array(0), { reverse: true })), ["ffff", "ff01", "ff0005", "ff", "7f"]);
  });

  test("nested branches: the child sees the parent branch; writeTo flushes child into parent only", () => {
    const root = parent();
    const block = new Branch(root);
    block.set(enc("a/9"), enc("block"));
    const tx = block.branch();
    tx.set(enc("a/4"), enc("tx"));
    tx.delete(enc("a/9"));
    assert.deepEqual(keys(tx.iterate(enc("a/"))), ["a/1", "a/3", "a/4", "a/5"]);
    assert.deepEqual(keys(block.iterate(enc("a/"))), ["a/1", "a/3", "a/5", "a/9"]);
    const failed = block.branch();
    failed.set(enc("a/7"), enc("dropped"));
    tx.writeTo(block);
    assert.deepEqual(keys(block.iterate(enc("a/"))), ["a/1", "a/3", "a/4", "a/5"]);
    assert.deepEqual([...block.changes()].map(([k, v]) => [k, v === null ? null : dec(v)]),
      [[toHex(enc("a/4")), "tx"], [toHex(enc("a/9")), null]]);
    assert.equal(block.size(), 2);
    assert.equal(root.get(enc("a/4")), undefined);
  });

  test("changes() are in key order and values are copied on set", () => {
    const b = new Branch(parent());
    const v = enc("v");
    for (const k of ["z", "a", "m"]) b.set(enc(k), v);
    v[0] = 0x21;
    assert.deepEqual([...b.changes().keys()], ["a", "m", "z"].map((k) => toHex(enc(k))));
    assert.equal(dec(b.get(enc("m"))), "v");
  });

  test("writes during iteration do not disturb it", () => {
    const b = new Branch(parent());
    const seen: string[] = [];
    for (const [k] of b.iterate(enc("a/"))) {
      seen.push(dec(k) ?? "");
      b.delete(k);
      b.set(enc("a/4"), enc("late"));
    }
    assert.deepEqual(seen, ["a/1", "a/3", "a/5"]);
    assert.deepEqual(keys(b.iterate(enc("a/"))), ["a/4"]);
  });

  test("randomized: matches a model map under random writes", () => {
    const rand = prng(99);
    const base: [Key, Value][] = Array.from({ length: 60 }, (_, i) => [enc(`k${String(i * 3)}`), enc(`p${String(i)}`)]);
    const model = new Map(base.map(([k, v]) => [toHex(k), v]));
    const b = new Branch(new SortedReader(base));
    for (let i = 0; i < 400; i++) {
      const k = enc(`k${String(Math.floor(rand() * 200))}`);
      if (rand() < 0.4) {
        b.delete(k);
        model.delete(toHex(k));
      } else {
        const v = enc(`w${String(i)}`);
        b.set(k, v);
        model.set(toHex(k), v);
      }
    }
    const want = [...model].sort(([a], [c]) => (a < c ? -1 : 1)).map(([k, v]) => `${k}=${dec(v) ?? ""}`);
    assert.deepEqual([...b.iterate(new Uint8Array(0))].map(([k, v]) => `${toHex(k)}=${dec(v) ?? ""}`), want);
    assert.deepEqual([...b.iterate(new Uint8Array(0), { reverse: true })].map(([k, v]) => `${toHex(k)}=${dec(v) ?? ""}`),
      [...want].reverse());
  });

  test("writeTo into a Branch hands entries over (no sort, no copy) and ends exactly as key-order writes do", () => {
    const rand = prng(11);
    for (let round = 0; round < 20; round++) {
      const viaAdopt = new Branch(parent());
      const viaSet = new Branch(parent());
      for (const target of [viaAdopt, viaSet]) target.set(enc("a/3"), enc("block"));
      const tx = new Branch(viaAdopt);
      const ops: [string, string | null][] = [];
      for (let i = 0; i < 30; i++) {
        const k = `${"abc"[Math.floor(rand() * 3)]}/${Math.floor(rand() * 8)}`;
        const v = rand() < 0.25 ? null : `v${i}`;
        ops.push([k, v]);
        if (v === null) tx.delete(enc(k));
        else tx.set(enc(k), enc(v));
      }
      tx.writeTo(viaAdopt); // Branch target: the adopt path
      const model = new Map<string, string | null>();
      for (const [k, v] of ops) model.set(k, v);
      for (const k of [...model.keys()].sort()) { // key order through the KVStore methods: the general path
        const v = model.get(k) ?? null;
        if (v === null) viaSet.delete(enc(k));
        else viaSet.set(enc(k), enc(v));
      }
      assert.deepEqual([...viaAdopt.changes()], [...viaSet.changes()]);
      assert.deepEqual(pairs(viaAdopt.iterate(enc(""))), pairs(viaSet.iterate(enc(""))));
      // The reads of a nested chain (tx → block → parent) resolve through every level.
      const child = new Branch(new Branch(viaAdopt));
      for (const k of ["a/1", "a/3", "b/1", "c/1", "c/7"]) assert.deepEqual(child.get(enc(k)), viaSet.get(enc(k)), k);
    }
  });

  test("rejects bad keys and values without buffering anything", () => {
    const b = new Branch(parent());
    assert.throws(() => b.set(new Uint8Array(0), enc("v")), InvalidChangeError);
    assert.throws(() => b.set(new Uint8Array(5000), enc("v")), InvalidChangeError);
    assert.throws(() => b.set("k" as unknown as Uint8Array, enc("v")), InvalidChangeError);
    assert.throws(() => b.set(enc("k"), "v" as unknown as Uint8Array), InvalidChangeError);
    assert.equal(b.size(), 0);
  });
});
