import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { MAX_PENDING_TRIPLES, SigVerifyPool } from "./sig-verify-pool.ts";

const key = (i: number): Uint8Array => createHash("sha256").update(`pool spec key ${i}`).digest();
function triple(i: number, bad = false): { sig: Uint8Array; hash: Uint8Array; pubkey: Uint8Array } {
  const priv = key(i);
  const hash = createHash("sha256").update(`sign bytes ${i}`).digest();
  const sig = secp256k1.sign(hash, priv, { prehash: false, lowS: true, format: "compact" });
  const pubkey = secp256k1.getPublicKey(priv, true);
  return { sig, hash: bad ? createHash("sha256").update(`other ${i}`).digest() : hash, pubkey };
}

test("worker threads verify batches: each answer matches its triple, calls in one turn share a flush", async () => {
  const pool = new SigVerifyPool(2);
  try {
    const a = Array.from({ length: 25 }, (_, i) => triple(i, i % 5 === 0));
    const b = Array.from({ length: 7 }, (_, i) => triple(100 + i, i === 3));
    const [ra, rb] = await Promise.all([pool.verify(a), pool.verify(b)]);
    assert.deepEqual(ra, a.map((_, i) => i % 5 !== 0));
    assert.deepEqual(rb, b.map((_, i) => i !== 3));
    assert.equal(pool.verified, 20 + 6);
    assert.deepEqual(await pool.verify([]), []);
  } finally {
    await pool.close();
  }
});

test("a closed pool, or one over its pending bound, answers all false at once (the inline path then verifies)", async () => {
  const pool = new SigVerifyPool(1);
  const t = triple(1);
  const big = Array.from({ length: MAX_PENDING_TRIPLES + 1 }, () => t);
  assert.deepEqual(new Set(await pool.verify(big)), new Set([false]), "over the bound: declined, nothing queued");
  assert.deepEqual(await pool.verify([t]), [true]);
  const pending = pool.verify([triple(2), triple(3)]);
  await pool.close();
  assert.deepEqual(await pending, [false, false], "in flight at close: not verified");
  assert.deepEqual(await pool.verify([t]), [false]);
});

test("bad sizes are refused", () => {
  for (const n of [0, -1, 1.5, 65]) assert.throws(() => new SigVerifyPool(n), /pool size must be 1\.\.64/);
});
