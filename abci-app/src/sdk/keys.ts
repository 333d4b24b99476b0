/** Byte helpers for building store keys. Keys compare as unsigned bytes. */
const enc = new TextEncoder();

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function utf8(s: string): Uint8Array {
  return enc.encode(s);
}

/** One strict decoder for the module (a TextDecoder per call cost an allocation on every balance and param read). */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

export function fromUtf8(b: Uint8Array): string {
  return strictUtf8.decode(b);
}

/** A one-byte length prefix, so that variable-length key parts don't collide. */
export function lengthPrefixed(b: Uint8Array): Uint8Array {
  if (b.length > 255) throw new Error("key part longer than 255 bytes");
  return concatBytes(Uint8Array.of(b.length), b);
}

export function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}
