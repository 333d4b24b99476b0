// OpenSSH public keys (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709): the tenant's login keys and the VM's host key.
import { sha256 } from "@cosmjs/crypto";
import { fromBase64, toBase64 } from "@cosmjs/encoding";
import { ErrInvalidHostKey, ErrInvalidSshKey } from "./errors.ts";

export const MAX_SSH_KEYS = 8;
const MAX_KEY_LINE = 8192;
export const MIN_RSA_BITS = 2048;
const CURVES: Readonly<Record<string, { readonly curve: string; readonly pointBytes: number }>> = {
  "ecdsa-sha2-nistp256": { curve: "nistp256", pointBytes: 65 },
  "ecdsa-sha2-nistp384": { curve: "nistp384", pointBytes: 97 },
  "ecdsa-sha2-nistp521": { curve: "nistp521", pointBytes: 133 },
};
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Reads the length-prefixed strings of an SSH wire blob; throws on truncation. */
function fields(blob: Uint8Array, count: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let at = 0;
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  for (let i = 0; i < count; i++) {
    if (at + 4 > blob.length) throw new Error("truncated key blob");
    const len = view.getUint32(at);
    at += 4;
    if (at + len > blob.length) throw new Error("truncated key blob");
    out.push(blob.subarray(at, at + len));
    at += len;
  }
  if (at !== blob.length) throw new Error("trailing bytes in key blob");
  return out;
}

const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b ?? new Uint8Array());

/** Bits of an SSH mpint (big-endian, two's complement; a leading 0x00 keeps it positive). */
function mpintBits(b: Uint8Array): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i] as number));
}

export interface SshPublicKey {
  readonly type: string;
  readonly blob: Uint8Array;
  /** `SHA256:<unpadded base64>`, as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
}

/**
 * Parses one `authorized_keys`-style line (`<type> <base64> [comment]`, no options): ed25519, ECDSA on the NIST
 * curves, or RSA with a modulus of at least 2048 bits; anything else (DSA, RSA-1024, garbage) is refused.
 */
export function parseSshPublicKey(line: string, what = "ssh key"): SshPublicKey {
  const bad = (why: string) => ErrInvalidSshKey.wrap(`${what} ${JSON.stringify(line.slice(0, 60))}: ${why}`);
  if (line.length > MAX_KEY_LINE) throw bad(`longer than ${MAX_KEY_LINE} characters`);
  if (/[\r\n\0]/.test(line)) throw bad("must be one line");
  const [type = "", b64 = ""] = line.trim().split(/[ \t]+/);
  if (!BASE64.test(b64) || b64.length % 4 !== 0) throw bad("the key data is not base64");
  const blob = fromBase64(b64);
  let parts: Uint8Array[];
  try {
    const count = type === "ssh-rsa" ? 3 : type === "ssh-ed25519" ? 2 : CURVES[type] ? 3 : 0;
    if (count === 0) throw bad(`unsupported key type ${JSON.stringify(type.slice(0, 40))} (use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa of at least ${MIN_RSA_BITS} bits)`);
    parts = fields(blob, count);
  } catch (e) {
    if (e instanceof Error && e.name === "AppError") throw e;
    throw bad((e as Error).message);
  }
  if (text(parts[0]) !== type) throw bad(`the key data is a ${JSON.stringify(text(parts[0]).slice(0, 40))} key, not ${type}`);
  if (type === "ssh-ed25519" && parts[1]?.length !== 32) throw bad("an ed25519 key has 32 bytes");
  if (type === "ssh-rsa") {
    const bits = mpintBits(parts[2] as Uint8Array);
    if (bits < MIN_RSA_BITS) throw bad(`RSA key of ${bits} bits; at least ${MIN_RSA_BITS} are required`);
    if (mpintBits(parts[1] as Uint8Array) < 2) throw bad("RSA exponent too small");
  }
  const curve = CURVES[type];
  if (curve && (text(parts[1]) !== curve.curve || parts[2]?.length !== curve.pointBytes || parts[2][0] !== 4)) throw bad(`not a valid ${curve.curve} point`);
  return { type, blob, fingerprint: fingerprintOf(blob) };
}

export function fingerprintOf(blob: Uint8Array): string {
  return `SHA256:${toBase64(sha256(blob)).replace(/=+$/, "")}`;
}

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** A host key fingerprint in OpenSSH's SHA256 form, and the host key it names when given. */
export function validateHostKey(fingerprint: string, publicKey: string): void {
  if (!FINGERPRINT.test(fingerprint)) throw ErrInvalidHostKey.wrap(`host key fingerprint ${JSON.stringify(fingerprint.slice(0, 60))} is not SHA256:<43 base64 chars>`);
  if (publicKey === "") return;
  let key: SshPublicKey;
  try {
    key = parseSshPublicKey(publicKey, "host key");
  } catch (e) {
    throw ErrInvalidHostKey.wrap((e as Error).message);
  }
  if (key.fingerprint !== fingerprint) throw ErrInvalidHostKey.wrap(`host key hashes to ${key.fingerprint}, not ${fingerprint}`);
}
