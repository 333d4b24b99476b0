// The secp256k1 verification backends, with no other imports of the app: the signature pool's worker threads load
// this module alone. libsecp256k1 through N-API when its binding loads, else @noble/curves (pure JS).
import { createRequire } from "node:module";
import { secp256k1 as noble } from "@noble/curves/secp256k1.js";

export type Verifier = (sig64: Uint8Array, hash32: Uint8Array, pubkey33: Uint8Array) => boolean;

/** Pure-JS verification (@noble/curves), strict low-S. About 1,000 verifies/s per core. */
export const verifyNoble: Verifier = (sig, hash, pub) => {
  try {
    return noble.verify(sig, hash, pub, { prehash: false, lowS: true, format: "compact" });
  } catch {
    return false;
  }
};

type NativeSecp = {
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
  publicKeyConvert(pubkey: Uint8Array, compressed: boolean): Uint8Array;
};

/** Uncompressed forms of the compressed keys seen lately; emptied whole when full. */
export const UNCOMPRESSED_KEYS_CACHED = 4096;

/**
 * libsecp256k1 verifies against the 65-byte uncompressed key ~10 % faster (49.8 vs 54.8 µs here): a 33-byte key is
 * decompressed (a square root) on every verify. So each key is decompressed once and its 65-byte form remembered. The
 * two forms are the same point, so the answer is the same; a key that does not decompress (not on the curve) is not
 * remembered and fails as before.
 */
function uncompressedKeys(mod: NativeSecp): (pub33: Uint8Array) => Uint8Array {
  const memo = new Map<string, Uint8Array>();
  return (pub33) => {
    const key = Buffer.from(pub33.buffer, pub33.byteOffset, pub33.length).toString("latin1");
    let full = memo.get(key);
    if (full === undefined) {
      full = mod.publicKeyConvert(pub33, false); // throws for a key that is not a point: the verifier answers false
      if (memo.size >= UNCOMPRESSED_KEYS_CACHED) memo.clear();
      memo.set(key, full);
    }
    return full;
  };
}

function loadNative(): Verifier | undefined {
  try {
    const mod = createRequire(import.meta.url)("secp256k1/bindings") as NativeSecp;
    const full = uncompressedKeys(mod);
    return (sig, hash, pub) => {
      try {
        return mod.ecdsaVerify(sig, hash, pub.length === 33 ? full(pub) : pub);
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

/** The fastest backend this process has. */
export const defaultVerifier: Verifier = native ?? verifyNoble;
