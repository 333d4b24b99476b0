import { InvalidChangeError } from "./errors.ts";

const HEX = /^(?:[0-9a-f]{2})*$/;

/** Lowercase hex; its string order equals the unsigned byte order of the bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** The bytes as a latin1 string (one char per byte): a compact Map key; its order is the bytes' order too. */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
}

/** Parses canonical lowercase hex (the ChangeSet key form); throws InvalidChangeError otherwise. */
export function fromHex(hex: string): Uint8Array {
  if (!HEX.test(hex)) throw new InvalidChangeError(`key ${JSON.stringify(hex.slice(0, 80))} is not lowercase hex`);
  // A view, not a copy: small Buffers come from Node's shared pool, so a key costs no ArrayBuffer of its own (a full
  // block stages ~200k keys). A plain Uint8Array (not the Buffer) compares deep-equal with keys read from SQLite.
  const b = Buffer.from(hex, "hex");
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Unsigned lexicographic comparison (a shorter prefix sorts first). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

export function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.byteLength < prefix.byteLength) return false;
  for (let i = 0; i < prefix.byteLength; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

/** The smallest key greater than every key that starts with `prefix`; undefined when there is none. */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.byteLength - 1; i >= 0; i--) {
    const b = prefix[i] ?? 0;
    if (b !== 0xff) {
      const end = prefix.slice(0, i + 1);
      end[i] = b + 1;
      return end;
    }
  }
  return undefined;
}

/** The immediate successor of `key` in byte order: key ‖ 0x00. */
export function successor(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.byteLength + 1);
  out.set(key);
  return out;
}

export const MAX_KEY_BYTES = 4096;

/** Throws InvalidChangeError unless `key` is a non-empty Uint8Array of at most MAX_KEY_BYTES. */
export function checkKey(key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array)) throw new InvalidChangeError("a key must be a Uint8Array");
  if (key.byteLength === 0) throw new InvalidChangeError("a key must not be empty");
  if (key.byteLength > MAX_KEY_BYTES) {
    throw new InvalidChangeError(`a key has ${String(key.byteLength)} bytes; the limit is ${String(MAX_KEY_BYTES)}`);
  }
}

export function checkValue(value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InvalidChangeError("a value must be a Uint8Array");
}
