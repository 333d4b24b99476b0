// OpenSSH public keys (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709): the tenant's login keys and the VM's host key.
import { sha256 } from "@cosmjs/crypto";
import { fromBase64, toBase64, toHex } from "@cosmjs/encoding";
import { p256, p384, p521 } from "@noble/curves/nist.js";
import { ErrInvalidHostKey, ErrInvalidSshKey } from "./errors.ts";
import { shownEscaped, UNSAFE_CHARS, unsafeCodePoint } from "./unsafe-chars.ts";

export const MAX_SSH_KEYS = 8;
const MAX_KEY_LINE = 8192;
export const MIN_RSA_BITS = 2048;
/** OpenSSH refuses a larger modulus (OPENSSL_RSA_MAX_MODULUS_BITS; an mpint of at most 2048 bytes, plus a 0x00). */
export const MAX_RSA_BITS = 16384;
type CurvePoint = typeof p256.Point;
const CURVES: Readonly<Record<string, { readonly curve: string; readonly pointBytes: number; readonly point: CurvePoint }>> = {
  "ecdsa-sha2-nistp256": { curve: "nistp256", pointBytes: 65, point: p256.Point },
  "ecdsa-sha2-nistp384": { curve: "nistp384", pointBytes: 97, point: p384.Point },
  "ecdsa-sha2-nistp521": { curve: "nistp521", pointBytes: 133, point: p521.Point },
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
const toBigInt = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(`0x${toHex(b)}`));

/**
 * Bits of an SSH mpint (big-endian, two's complement; a leading 0x00 keeps it positive). sshd refuses a negative one
 * (high bit set) and one longer than 2049 bytes (sshbuf_get_bignum2_bytes_direct): so do we.
 */
function mpintBits(b: Uint8Array, what: string): number {
  if (b.length > 0 && ((b[0] as number) & 0x80) !== 0) throw new Error(`${what} is negative (its first byte has the high bit set)`);
  if (b.length > MAX_RSA_BITS / 8 + 1) throw new Error(`${what} is longer than ${MAX_RSA_BITS / 8 + 1} bytes`);
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  if (i === b.length) return 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i] as number));
}

const bitLength = (v: bigint): number => (v === 0n ? 0 : v.toString(2).length);

/**
 * Why sshd would refuse this ECDSA public point, or undefined: OpenSSL's on-curve check, then OpenSSH's
 * sshkey_ec_validate_public (each coordinate longer than half the group order's bits and below order − 1; n·Q = ∞
 * holds for every point on these prime-order curves). Pure bigint arithmetic (@noble/curves): deterministic.
 */
function ecdsaPointFault(point: CurvePoint, bytes: Uint8Array): string | undefined {
  let q: InstanceType<CurvePoint>;
  try {
    q = point.fromBytes(bytes);
  } catch {
    return "is not on the curve";
  }
  const { x, y } = q.toAffine();
  const { n } = point.CURVE();
  const half = Math.floor(bitLength(n) / 2);
  if (bitLength(x) <= half || bitLength(y) <= half) return `has a coordinate of at most ${half} bits, which sshd refuses`;
  if (x >= n - 1n || y >= n - 1n) return "has a coordinate not below the group order − 1, which sshd refuses";
  return undefined;
}

export interface SshPublicKey {
  readonly type: string;
  readonly blob: Uint8Array;
  /** `SHA256:<unpadded base64>`, as `ssh-keygen -lf` prints it. */
  readonly fingerprint: string;
}

/**
 * Parses one `authorized_keys`-style line (`<type> <base64> [comment]`, no options): ed25519 (32 bytes), ECDSA on
 * the NIST curves (a point sshd accepts), or RSA with a modulus of 2048 to 16384 bits; anything else (DSA, RSA-1024,
 * garbage, a key sshd would ignore) is refused. A key the chain accepts but sshd ignores would make a lease that
 * never becomes ready and holds the provider's capacity until the ready timeout. No field, the comment included, may
 * hold what unsafe-chars.ts refuses in a provider attribute (controls but the spaces and tabs between fields, bidi,
 * invisible format or non-ASCII space characters): the CLI and the explorer show the line.
 */
export function parseSshPublicKey(line: string, what = "ssh key"): SshPublicKey {
  const bad = (why: string) => ErrInvalidSshKey.wrap(`${what} ${shownEscaped(line, 60)}: ${why}`);
  if (line.length > MAX_KEY_LINE) throw bad(`longer than ${MAX_KEY_LINE} characters`);
  if (/[\r\n\0]/.test(line)) throw bad("must be one line");
  // Fields are separated by spaces and tabs (and may be surrounded by them); the comment is the rest of the line.
  const [, type = "", b64 = "", comment = ""] = /^[ \t]*([^ \t]*)[ \t]*([^ \t]*)[ \t]*(.*?)[ \t]*$/su.exec(line) ?? [];
  for (const [part, value] of [["the key type", type], ["the key data", b64], ["the comment", comment]] as const) {
    const unsafe = unsafeCodePoint(value);
    if (unsafe !== undefined) throw bad(`${part} holds ${unsafe}: a key line may not hold ${UNSAFE_CHARS} (a space is U+0020; spaces and tabs may separate its fields), which could rewrite or reorder what a client shows`);
  }
  if (!BASE64.test(b64) || b64.length % 4 !== 0) throw bad("the key data is not base64");
  const blob = fromBase64(b64);
  let parts: Uint8Array[];
  try {
    const count = type === "ssh-rsa" ? 3 : type === "ssh-ed25519" ? 2 : CURVES[type] ? 3 : 0;
    if (count === 0) throw bad(`unsupported key type ${JSON.stringify(type.slice(0, 40))} (use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa of ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits)`);
    parts = fields(blob, count);
  } catch (e) {
    if (e instanceof Error && e.name === "AppError") throw e;
    throw bad((e as Error).message);
  }
  if (text(parts[0]) !== type) throw bad(`the key data is a ${JSON.stringify(text(parts[0]).slice(0, 40))} key, not ${type}`);
  if (type === "ssh-ed25519" && parts[1]?.length !== 32) throw bad("an ed25519 key has 32 bytes");
  if (type === "ssh-rsa") {
    const [e, n] = [parts[1] as Uint8Array, parts[2] as Uint8Array];
    let bits: number, eBits: number;
    try {
      [eBits, bits] = [mpintBits(e, "RSA exponent"), mpintBits(n, "RSA modulus")];
    } catch (err) {
      throw bad((err as Error).message);
    }
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) throw bad(`RSA key of ${bits} bits; ${MIN_RSA_BITS} to ${MAX_RSA_BITS} are required`);
    if (eBits < 2) throw bad("RSA exponent too small");
    // OpenSSL's RSA public operation: e < n, and e of at most 64 bits above a 3072-bit modulus
    if (eBits > bits || (eBits === bits && toBigInt(e) >= toBigInt(n)) || (bits > 3072 && eBits > 64)) throw bad("RSA exponent too large for its modulus");
  }
  const curve = CURVES[type];
  if (curve) {
    const point = parts[2] as Uint8Array;
    if (text(parts[1]) !== curve.curve || point.length !== curve.pointBytes || point[0] !== 4) throw bad(`not a valid ${curve.curve} point`);
    const fault = ecdsaPointFault(curve.point, point);
    if (fault !== undefined) throw bad(`the ${curve.curve} point ${fault}`);
  }
  return { type, blob, fingerprint: fingerprintOf(blob) };
}

export function fingerprintOf(blob: Uint8Array): string {
  return `SHA256:${toBase64(sha256(blob)).replace(/=+$/, "")}`;
}

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/**
 * A host key fingerprint in OpenSSH's SHA256 form and the host key line it names (a type `parseSshPublicKey` accepts).
 * MsgLeaseReady must carry the key: it is what `lease ssh` pins. `keyOptional`: a lease made ready before the key was
 * required (genesis, an export) may hold the fingerprint only.
 */
export function validateHostKey(fingerprint: string, publicKey: string, keyOptional = false): void {
  if (!FINGERPRINT.test(fingerprint)) throw ErrInvalidHostKey.wrap(`host key fingerprint ${JSON.stringify(fingerprint.slice(0, 60))} is not SHA256:<43 base64 chars>`);
  if (publicKey === "" && keyOptional) return;
  if (publicKey === "") throw ErrInvalidHostKey.wrap("host_public_key is required: the VM's OpenSSH host key line (e.g. \"ssh-ed25519 AAAA…\"), which the tenant pins");
  let key: SshPublicKey;
  try {
    key = parseSshPublicKey(publicKey, "host key");
  } catch (e) {
    throw ErrInvalidHostKey.wrap((e as Error).message);
  }
  if (key.fingerprint !== fingerprint) throw ErrInvalidHostKey.wrap(`host key hashes to ${key.fingerprint}, not ${fingerprint}`);
}
