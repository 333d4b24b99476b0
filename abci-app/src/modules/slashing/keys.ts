import { concatBytes, utf8 } from "../../sdk/keys.ts";

export const ModuleName = "slashing";

/** Store layout of the slashing module. Only the keeper touches these. Consensus addresses are 20 raw bytes. */
export const Prefix = {
  params: utf8("slashing/params"),
  signingInfo: utf8("slashing/s/"), // + cons(20) -> ValidatorSigningInfo
  missed: utf8("slashing/m/"), // + cons(20) + be32(chunk) -> MISSED_CHUNK_BITS-bit bitmap chunk (absent = all signed)
} as const;

/** The missed-blocks bitmap is stored in chunks of this many bits (the SDK's MissedBlockBitmapChunkSize = 1024). */
export const MISSED_CHUNK_BITS = 1024;

export const signingInfoKey = (cons: Uint8Array): Uint8Array => concatBytes(Prefix.signingInfo, cons);
export const missedPrefix = (cons: Uint8Array): Uint8Array => concatBytes(Prefix.missed, cons);
export function missedChunkKey(cons: Uint8Array, chunk: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, chunk);
  return concatBytes(missedPrefix(cons), b);
}
