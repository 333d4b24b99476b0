// Canonical hashing of the state tree. Changing anything here changes every app hash: it is consensus-critical.
//   leaf  = sha256(0x00 ‖ uvarint(len key) ‖ key ‖ uvarint(len value) ‖ value)
//   inner = sha256(0x01 ‖ left ‖ right)       (an empty child is EMPTY_HASH)
//   path  = sha256(key), read most significant bit first; 0 = left, 1 = right
// The leaf op is ICS23-expressible (prefix 0x00, no prehash, length VAR_PROTO, hash SHA256).
import { hash } from "node:crypto";

export const HASH_BYTES = 32;
/** The hash of an empty subtree, and so the root of the empty state. */
export const EMPTY_HASH: Uint8Array = new Uint8Array(HASH_BYTES);

const LEAF_PREFIX = 0x00;
const INNER_PREFIX = 0x01;

/** sha256 as a plain Uint8Array (not a Buffer), so hashes compare deep-equal with values read from SQLite. */
export function sha256(data: Uint8Array): Uint8Array {
  const b = hash("sha256", data, "buffer");
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The tree path of a key: sha256(key). */
export function keyPath(key: Uint8Array): Uint8Array {
  return sha256(key);
}

function uvarintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

function writeUvarint(out: Uint8Array, at: number, n: number): number {
  while (n >= 0x80) {
    out[at++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  out[at++] = n;
  return at;
}

export function leafHash(key: Uint8Array, value: Uint8Array): Uint8Array {
  const kl = key.byteLength;
  const vl = value.byteLength;
  const buf = new Uint8Array(1 + uvarintLength(kl) + kl + uvarintLength(vl) + vl);
  buf[0] = LEAF_PREFIX;
  let at = writeUvarint(buf, 1, kl);
  buf.set(key, at);
  at = writeUvarint(buf, at + kl, vl);
  buf.set(value, at);
  return sha256(buf);
}

export function innerHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + 2 * HASH_BYTES);
  buf[0] = INNER_PREFIX;
  buf.set(left, 1);
  buf.set(right, 1 + HASH_BYTES);
  return sha256(buf);
}

/** Bit `i` (0 = most significant bit of byte 0) of a 32-byte path. */
export function pathBit(path: Uint8Array, i: number): number {
  return ((path[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
}
