// The wire form of a batch of secp256k1 triples between the SigVerifyPool and its workers (no imports: both sides
// load it).

/** One record: signature (64) ‖ hash (32) ‖ compressed key (33). */
export const TRIPLE_BYTES = 64 + 32 + 33;

export interface SigTriple {
  readonly sig: Uint8Array;
  readonly hash: Uint8Array;
  readonly pubkey: Uint8Array;
}

/** Packs well-formed triples (64/32/33 bytes; the caller checks) into one buffer that is transferred, not cloned. */
export function packTriples(triples: readonly SigTriple[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(triples.length * TRIPLE_BYTES);
  triples.forEach((t, i) => {
    const at = i * TRIPLE_BYTES;
    out.set(t.sig, at);
    out.set(t.hash, at + 64);
    out.set(t.pubkey, at + 96);
  });
  return out;
}
