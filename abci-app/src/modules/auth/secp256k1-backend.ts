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

/** The fastest backend this process has. */
export const defaultVerifier: Verifier = native ?? verifyNoble;
