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

// The tree's own hashes (key paths, leaves, inner nodes) are written into shared slabs of 512 hashes: a block's
// update makes ~5 hashes per change (a full block of sends at 1M accounts ~1M), and a separate ArrayBuffer per hash
// cost ~300 bytes of heap and native memory where 32 bytes + one view do. A slab lives while any of its views does,
// so what outlives a block (the NodeCache, the committed app hash) keeps copies, never these views.
const SLAB_HASHES = 512;
let slab = new Uint8Array(SLAB_HASHES * HASH_BYTES);
let slabAt = 0;

function treeHash(data: Uint8Array): Uint8Array {
  if (slabAt === slab.byteLength) {
    slab = new Uint8Array(SLAB_HASHES * HASH_BYTES);
    slabAt = 0;
  }
  const out = slab.subarray(slabAt, slabAt + HASH_BYTES);
  out.set(hash("sha256", data, "buffer"));
  slabAt += HASH_BYTES;
  return out;
}

/** The tree path of a key: sha256(key) (a view into a shared slab: copy it to keep it beyond the block). */
export function keyPath(key: Uint8Array): Uint8Array {
  return treeHash(key);
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
  return treeHash(buf);
}

export function innerHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + 2 * HASH_BYTES);
  buf[0] = INNER_PREFIX;
  buf.set(left, 1);
  buf.set(right, 1 + HASH_BYTES);
  return treeHash(buf);
}

/** Bit `i` (0 = most significant bit of byte 0) of a 32-byte path. */
export function pathBit(path: Uint8Array, i: number): number {
  return ((path[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
}
