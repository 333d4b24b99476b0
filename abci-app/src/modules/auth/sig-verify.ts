import { BoundedMap, latin1 } from "../../store/index.ts";
import { defaultVerifier, type Verifier } from "./secp256k1-backend.ts";

/** secp256k1 group order n, and n/2 for the low-S rule, as 32 big-endian bytes (compared without BigInts). */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const be32 = (x: bigint): Buffer => Buffer.from(x.toString(16).padStart(64, "0"), "hex");
const N_BYTES = be32(N);
const HALF_N_BYTES = be32(N >> 1n);
const ZERO_BYTES = Buffer.alloc(32);
/** Unsigned big-endian comparison of two 32-byte strings. */
const cmp32 = (a: Uint8Array, b: Uint8Array): number => Buffer.compare(a, b);

export { defaultVerifier, type Verifier, verifierName, verifyNoble } from "./secp256k1-backend.ts";

/** Verified (signature, hash, key) triples remembered; ~200 bytes each. */
export const VERIFIED_CACHE_ENTRIES = 50_000;

/** A bounded memory of (signature, hash, key) triples that a backend verified (~200 bytes each). */
export class VerifiedTriples {
  readonly #map: BoundedMap<string, true>;
  constructor(entries = VERIFIED_CACHE_ENTRIES) {
    this.#map = new BoundedMap(entries);
  }
  has(sig: Uint8Array, hash32: Uint8Array, pubkey33: Uint8Array): boolean {
    return this.#map.has(latin1(sig) + latin1(hash32) + latin1(pubkey33));
  }
  add(sig: Uint8Array, hash32: Uint8Array, pubkey33: Uint8Array): void {
    this.#map.set(latin1(sig) + latin1(hash32) + latin1(pubkey33), true);
  }
}

/**
 * `backend` with a memory of the triples that verified, so FinalizeBlock does not verify again what CheckTx verified
 * (13.7 % of the app's CPU went to verifying, half of it twice). Verification is a pure function of the triple, so
 * a hit gives exactly the answer a fresh check would; only successes are kept. Bounded (BoundedMap).
 */
export function cachedVerifier(backend: Verifier, entries = VERIFIED_CACHE_ENTRIES, memory = new VerifiedTriples(entries)): Verifier {
  return (sig, hash32, pubkey33) => {
    if (memory.has(sig, hash32, pubkey33)) return true;
    const ok = backend(sig, hash32, pubkey33);
    if (ok) memory.add(sig, hash32, pubkey33);
    return ok;
  };
}

/** The process's memory of verified triples, shared by verifySecp256k1's default and the signature pool. */
const verified = new VerifiedTriples();
let backendCalls = 0;
const verifyCached = cachedVerifier((sig, hash, pub) => {
  backendCalls += 1;
  return defaultVerifier(sig, hash, pub);
}, VERIFIED_CACHE_ENTRIES, verified);

/** How many verifications the default path ran on this thread (not answered from memory): for tests and metrics. */
export function inlineVerifications(): number {
  return backendCalls;
}

/**
 * Records a triple that a backend verified elsewhere (a SigVerifyPool worker), so the next verifySecp256k1 of it is
 * a hit. Only for a `true` answer of a real backend on exactly these bytes: the memory is trusted as a verification.
 */
export function rememberVerified(sig: Uint8Array, hash32: Uint8Array, pubkey33: Uint8Array): void {
  verified.add(sig, hash32, pubkey33);
}

/** Whether the default path would answer this triple from memory. */
export function isRemembered(sig: Uint8Array, hash32: Uint8Array, pubkey33: Uint8Array): boolean {
  return verified.has(sig, hash32, pubkey33);
}

/**
 * Verifies a Cosmos SDK secp256k1 signature: exactly 64 bytes r‖s, 0 < r,s < n, s ≤ n/2 (low-S),
 * over sha256(sign bytes), against a 33-byte compressed key. Both backends give identical answers (tested).
 * By default a triple that verified before is answered from memory (cachedVerifier).
 */
export function verifySecp256k1(sig: Uint8Array, hash32: Uint8Array, pubkey33: Uint8Array, verifier: Verifier = verifyCached): boolean {
  return wellFormed(sig, hash32, pubkey33) && verifier(sig, hash32, pubkey33);
}

/** The checks before the curve: 64-byte r‖s with 0 < r,s < n and s ≤ n/2 (low-S), a 32-byte hash, a 33-byte key. */
export function wellFormed(sig: Uint8Array, hash32: Uint8Array, pubkey33: Uint8Array): boolean {
  if (sig.length !== 64 || hash32.length !== 32 || pubkey33.length !== 33) return false;
  const r = sig.subarray(0, 32);
  const s = sig.subarray(32);
  return !(cmp32(r, ZERO_BYTES) === 0 || cmp32(r, N_BYTES) >= 0 || cmp32(s, ZERO_BYTES) === 0 || cmp32(s, HALF_N_BYTES) > 0);
}
