import { createRequire } from "node:module";
import { secp256k1 as noble } from "@noble/curves/secp256k1.js";
import { BoundedMap, latin1 } from "../../store/index.ts";

/** secp256k1 group order n, and n/2 for the low-S rule, as 32 big-endian bytes (compared without BigInts). */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const be32 = (x: bigint): Buffer => Buffer.from(x.toString(16).padStart(64, "0"), "hex");
const N_BYTES = be32(N);
const HALF_N_BYTES = be32(N >> 1n);
const ZERO_BYTES = Buffer.alloc(32);
/** Unsigned big-endian comparison of two 32-byte strings. */
const cmp32 = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(a, b);

export type Verifier = (sig64: Uint8Array, hash32: Uint8Array, pubkey33: Uint8Array) => boolean;

/** Pure-JS verification (@noble/curves), strict low-S. About 1,000 verifies/s per core. */
export const verifyNoble: Verifier = (sig, hash, pub) => {
  try {
    return noble.verify(sig, hash, pub, { prehash: false, lowS: true, format: "compact" });
  } catch {
    return false;
  }
};

type NativeSecp = { ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean };

function loadNative(): Verifier | undefined {
  try {
    const mod = createRequire(import.meta.url)("secp256k1/bindings") as NativeSecp;
    return (sig, hash, pub) => {
      try {
        return mod.ecdsaVerify(sig, hash, pub);
      } catch {
        return false;
      }
    };
  } catch {
    return undefined;
  }
}

const native = loadNative();

/** libsecp256k1 through N-API when its binding loads (20x faster), otherwise the pure-JS path. */
export const verifierName: "libsecp256k1" | "noble" = native ? "libsecp256k1" : "noble";

/** The backend verifySecp256k1 uses by default (passing it explicitly bypasses the cache: benchmarks). */
export const defaultVerifier: Verifier = native ?? verifyNoble;

/** Verified (signature, hash, key) triples remembered; ~200 bytes each. */
export const VERIFIED_CACHE_ENTRIES = 50_000;

/**
 * `backend` with a memory of the triples that verified, so FinalizeBlock does not verify again what CheckTx verified
 * (13.7 % of the app's CPU went to verifying, half of it twice). Verification is a pure function of the triple, so
 * a hit gives exactly the answer a fresh check would; only successes are kept. Bounded (BoundedMap).
 */
export function cachedVerifier(backend: Verifier, entries = VERIFIED_CACHE_ENTRIES): Verifier {
  const verified = new BoundedMap<string, true>(entries);
  return (sig, hash32, pubkey33) => {
    const key = latin1(sig) + latin1(hash32) + latin1(pubkey33);
    if (verified.has(key)) return true;
    const ok = backend(sig, hash32, pubkey33);
    if (ok) verified.set(key, true);
    return ok;
  };
}

const verifyCached = cachedVerifier(defaultVerifier);

/**
 * Verifies a Cosmos SDK secp256k1 signature: exactly 64 bytes r‖s, 0 < r,s < n, s ≤ n/2 (low-S),
 * over sha256(sign bytes), against a 33-byte compressed key. Both backends give identical answers (tested).
 * By default a triple that verified before is answered from memory (cachedVerifier).
 */
export function verifySecp256k1(sig: Uint8Array, hash32: Uint8Array, pubkey33: Uint8Array, verifier: Verifier = verifyCached): boolean {
  if (sig.length !== 64 || hash32.length !== 32 || pubkey33.length !== 33) return false;
  const r = sig.subarray(0, 32);
  const s = sig.subarray(32);
  if (cmp32(r, ZERO_BYTES) === 0 || cmp32(r, N_BYTES) >= 0 || cmp32(s, ZERO_BYTES) === 0 || cmp32(s, HALF_N_BYTES) > 0) return false;
  return verifier(sig, hash32, pubkey33);
}
