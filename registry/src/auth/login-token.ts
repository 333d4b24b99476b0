import { Ripemd160, Secp256k1, Secp256k1Signature, sha256 } from "@cosmjs/crypto";
import { fromBase64, toBase64, toBech32 } from "@cosmjs/encoding";
import { TokenError } from "../errors.ts";

/**
 * Login tokens: the password for `docker login`, made by the CLI with the account's chain key.
 *
 *   token   = base64url(payload) "." base64url(signature)
 *   payload = UTF-8 JSON {"v":1,"addr":"trust1…","pubkey":"<base64 33-byte compressed>","aud":"<registry>","iat":<unix s>,"exp":<unix s>}
 *   signature = 64-byte (r‖s, low-S) secp256k1 over sha256(payload bytes)
 *
 * The verifier re-derives the address (bech32("trust", ripemd160(sha256(pubkey)))), checks the signature,
 * the audience and the validity window (60 s of clock skew allowed).
 */
export const ADDRESS_PREFIX = "trust";
export const CLOCK_SKEW_SECONDS = 60;
/** The longest lifetime `createLoginToken` makes; what a registry accepts is its own `maxLifetimeSeconds` (24 h by default). */
export const MAX_LOGIN_TTL_SECONDS = 7 * 24 * 3600;
export const DEFAULT_MAX_LOGIN_LIFETIME_SECONDS = 24 * 3600;

interface Payload {
  readonly v: 1;
  readonly addr: string;
  readonly pubkey: string;
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
}

export interface CreateLoginTokenOptions {
  readonly privkey: Uint8Array;
  readonly pubkey: Uint8Array;
  readonly audience: string;
  readonly ttlSeconds: number;
  readonly now: Date;
}

export interface VerifiedLogin {
  readonly address: string;
  /** The token's `iat` (unix s): a login revoked at or after it is refused (auth/login-cutoffs.ts). */
  readonly iat: number;
  readonly expiresAt: Date;
}

export function addressOf(pubkey: Uint8Array): string {
  return toBech32(ADDRESS_PREFIX, new Ripemd160().update(sha256(pubkey)).digest());
}

function b64url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromB64url(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new TokenError("login token is not base64url");
  const std = s.replace(/-/g, "+").replace(/_/g, "/");
  return fromBase64(std + "=".repeat((4 - (std.length % 4)) % 4));
}

const HALF_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export function createLoginToken(opts: CreateLoginTokenOptions): string {
  if (opts.pubkey.length !== 33) throw new TokenError("pubkey must be a 33-byte compressed secp256k1 key");
  if (!(opts.ttlSeconds > 0 && opts.ttlSeconds <= MAX_LOGIN_TTL_SECONDS)) throw new TokenError(`ttlSeconds must be in (0, ${MAX_LOGIN_TTL_SECONDS}]`);
  const iat = Math.floor(opts.now.getTime() / 1000);
  const payload: Payload = { v: 1, addr: addressOf(opts.pubkey), pubkey: toBase64(opts.pubkey), aud: opts.audience, iat, exp: iat + Math.floor(opts.ttlSeconds) };
  const bytes = new TextEncoder().encode(JSON.stringify(payload));
  const sig = Secp256k1.createSignature(sha256(bytes), opts.privkey).toFixedLength().slice(0, 64);
  return `${b64url(bytes)}.${b64url(sig)}`;
}

export interface VerifyLoginOptions {
  readonly audience: string;
  readonly now: Date;
  /** Refuse tokens whose exp - iat is longer (default 24 h). */
  readonly maxLifetimeSeconds?: number;
  readonly clockSkewSeconds?: number;
}

export function verifyLoginToken(token: string, opts: VerifyLoginOptions): VerifiedLogin {
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1] || token.length > 4096) throw new TokenError("login token is malformed");
  const bytes = fromB64url(parts[0]);
  const sig = fromB64url(parts[1]);
  let p: Partial<Payload>;
  try {
    p = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes)) as Partial<Payload>;
  } catch {
    throw new TokenError("login token payload is not JSON");
  }
  if (p === null || typeof p !== "object" || "alg" in p) throw new TokenError("login token payload is not a TrustNet login token (JWT-style alg headers are not accepted)");
  if (p.v !== 1 || typeof p.addr !== "string" || typeof p.pubkey !== "string" || typeof p.aud !== "string" || !Number.isSafeInteger(p.iat) || !Number.isSafeInteger(p.exp)) {
    throw new TokenError("login token payload is incomplete");
  }
  let pubkey: Uint8Array;
  try {
    pubkey = fromBase64(p.pubkey);
  } catch {
    throw new TokenError("login token pubkey is not base64");
  }
  if (pubkey.length !== 33 || (pubkey[0] !== 2 && pubkey[0] !== 3)) throw new TokenError("login token key is not a compressed secp256k1 public key (wrong key type)");
  if (addressOf(pubkey) !== p.addr) throw new TokenError("login token address does not match its pubkey");
  if (sig.length !== 64) throw new TokenError("login token signature must be 64 bytes");
  const s = BigInt(`0x${Buffer.from(sig.subarray(32)).toString("hex")}`);
  if (s > HALF_ORDER) throw new TokenError("login token signature is not low-S");
  let ok: boolean;
  try {
    ok = Secp256k1.verifySignature(Secp256k1Signature.fromFixedLength(sig), sha256(bytes), pubkey);
  } catch {
    ok = false;
  }
  if (!ok) throw new TokenError("login token signature is invalid");
  if (p.aud !== opts.audience) throw new TokenError(`login token is for ${JSON.stringify(p.aud)}, not ${JSON.stringify(opts.audience)}`);
  const now = Math.floor(opts.now.getTime() / 1000);
  const skew = opts.clockSkewSeconds ?? CLOCK_SKEW_SECONDS;
  const maxLife = opts.maxLifetimeSeconds ?? DEFAULT_MAX_LOGIN_LIFETIME_SECONDS;
  const iat = p.iat as number;
  const exp = p.exp as number;
  if (exp <= iat) throw new TokenError("login token expires before it is issued");
  if (exp - iat > maxLife) throw new TokenError(`login token lives ${exp - iat} s, longer than this registry accepts (${maxLife} s); run \`trustnet registry login\` with a shorter --ttl`);
  if (iat > now + skew) throw new TokenError("login token is issued in the future");
  if (exp + skew < now) throw new TokenError("login token has expired; run `trustnet registry login` again");
  return { address: p.addr, iat, expiresAt: new Date(exp * 1000) };
}
