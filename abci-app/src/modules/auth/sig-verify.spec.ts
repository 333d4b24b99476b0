import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { test } from "node:test";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { UNCOMPRESSED_KEYS_CACHED } from "./secp256k1-backend.ts";
import { cachedVerifier, defaultVerifier, verifyNoble, verifySecp256k1, type Verifier } from "./sig-verify.ts";

const priv = createHash("sha256").update("sig-verify spec key").digest();
const pub = secp256k1.getPublicKey(priv, true);
const hash = createHash("sha256").update("sign bytes").digest();
const sig = secp256k1.sign(hash, priv, { prehash: false, lowS: true, format: "compact" });

function counting(backend: Verifier): { verifier: Verifier; calls: () => number } {
  let n = 0;
  return { verifier: (s, h, p) => { n += 1; return backend(s, h, p); }, calls: () => n };
}

test("a triple that verified is answered from memory; a failure is never remembered", () => {
  const c = counting(defaultVerifier);
  const v = cachedVerifier(c.verifier, 100);
  assert.equal(verifySecp256k1(sig, hash, pub, v), true);
  assert.equal(verifySecp256k1(sig, hash, pub, v), true);
  assert.equal(c.calls(), 1, "the second check of the same triple does not reach the backend");
  const other = createHash("sha256").update("other sign bytes").digest();
  assert.equal(verifySecp256k1(sig, other, pub, v), false);
  assert.equal(verifySecp256k1(sig, other, pub, v), false);
  assert.equal(c.calls(), 3, "a failed triple is verified again each time");
  const flipped = Uint8Array.from(sig);
  flipped[10] = (flipped[10] ?? 0) ^ 1;
  assert.equal(verifySecp256k1(flipped, hash, pub, v), false, "a changed signature is not a hit");
});

test("the cached default, libsecp256k1 and @noble give the same answers", () => {
  for (const v of [undefined, defaultVerifier, verifyNoble]) {
    assert.equal(verifySecp256k1(sig, hash, pub, v), true);
    assert.equal(verifySecp256k1(sig, Uint8Array.from(hash).reverse(), pub, v), false);
  }
  const highS = Uint8Array.from(sig);
  assert.equal(verifySecp256k1(highS.subarray(0, 63), hash, pub), false, "63 bytes");
});

test("the range and low-S rules: r and s in 1..n-1, s at most n/2, checked before any backend", () => {
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const be = (x: bigint): Uint8Array => Uint8Array.from(Buffer.from(x.toString(16).padStart(64, "0"), "hex"));
  const sigOf = (r: bigint, s: bigint): Uint8Array => Uint8Array.from([...be(r), ...be(s)]);
  const c = counting(() => true);
  const accepts = (r: bigint, s: bigint): boolean => verifySecp256k1(sigOf(r, s), hash, pub, c.verifier);
  assert.equal(accepts(0n, 1n), false, "r = 0");
  assert.equal(accepts(n, 1n), false, "r = n");
  assert.equal(accepts(1n, 0n), false, "s = 0");
  assert.equal(accepts(1n, (n >> 1n) + 1n), false, "high s");
  assert.equal(c.calls(), 0, "none of those reaches the backend");
  assert.equal(accepts(n - 1n, n >> 1n), true, "r = n-1, s = n/2 pass the rules");
  assert.equal(accepts(1n, 1n), true);
  // The real signature's s, flipped to n - s (the high-S twin of a valid signature), is refused.
  const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString("hex")}`);
  const r = BigInt(`0x${Buffer.from(sig.subarray(0, 32)).toString("hex")}`);
  assert.equal(verifySecp256k1(sigOf(r, n - s), hash, pub), false);
});

test("libsecp256k1 on remembered uncompressed keys: right past the memo's bound, for the other point of the same x, and for an x off the curve", () => {
  const native = createRequire(import.meta.url)("secp256k1") as {
    publicKeyCreate(priv: Uint8Array, compressed: boolean): Uint8Array;
    ecdsaSign(msg32: Uint8Array, priv: Uint8Array): { signature: Uint8Array };
  };
  const keys = Array.from({ length: UNCOMPRESSED_KEYS_CACHED + 200 }, (_, i) => {
    const k = createHash("sha256").update(`memo key ${i}`).digest();
    return { pub: native.publicKeyCreate(k, true), sig: native.ecdsaSign(hash, k).signature };
  });
  for (const { pub: p, sig: s } of keys) assert.equal(defaultVerifier(s, hash, p), true);
  for (const { pub: p, sig: s } of keys.slice(0, 20)) {
    assert.equal(defaultVerifier(s, hash, p), true, "a key dropped when the memo was emptied verifies again");
    assert.equal(defaultVerifier(s, Uint8Array.from(hash).reverse(), p), false);
    const otherPoint = Uint8Array.from(p);
    otherPoint[0] = p[0] === 2 ? 3 : 2; // -P: on the curve, not the signer
    assert.equal(defaultVerifier(s, hash, otherPoint), false);
    assert.equal(verifyNoble(s, hash, otherPoint), false);
    assert.equal(defaultVerifier(s, hash, p), true, "-P did not replace P in the memo");
  }
  let x = 1n;
  const offCurve = (): Uint8Array => Uint8Array.from(Buffer.from("02" + x.toString(16).padStart(64, "0"), "hex"));
  for (; ; x++) {
    try { secp256k1.Point.fromBytes(offCurve()); } catch { break; }
  }
  for (let i = 0; i < 2; i++) {
    assert.equal(defaultVerifier(sig, hash, offCurve()), false, `x = ${x} is on no point of the curve`);
    assert.equal(verifyNoble(sig, hash, offCurve()), false);
  }
});
