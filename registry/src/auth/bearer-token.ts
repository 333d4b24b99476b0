import { createHmac, timingSafeEqual } from "node:crypto";
import { TokenError } from "../errors.ts";

/**
 * Bearer tokens issued by /token: base64url(JSON {sub, aud, iat, exp}) "." base64url(HMAC-SHA256(secret, payload)).
 * `sub` is the authenticated trust1… address, or "" for an anonymous (pull-only) token; `liat` the `iat` of the login
 * token it was issued for, so that revoking that login (auth/login-cutoffs.ts) ends it too.
 */
export interface BearerClaims {
  readonly sub: string;
  readonly aud: string;
  readonly iat: number;
  readonly exp: number;
  readonly liat?: number;
}

function mac(secret: Uint8Array, payload: string): Buffer {
  return createHmac("sha256", secret).update(payload).digest();
}

export function issueBearerToken(secret: Uint8Array, claims: BearerClaims): string {
  if (secret.length < 32) throw new TokenError("the registry's token secret is too short");
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

export function verifyBearerToken(secret: Uint8Array, token: string, opts: { readonly audience: string; readonly now: Date; readonly clockSkewSeconds?: number }): BearerClaims {
  if (secret.length < 32) throw new TokenError("the registry's token secret is too short; refusing every bearer token");
  const [payload, sig, extra] = token.split(".");
  if (!payload || !sig || extra !== undefined) throw new TokenError("bearer token is malformed");
  const expected = mac(secret, payload);
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new TokenError("bearer token signature is invalid");
  let c: Partial<BearerClaims>;
  try {
    c = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Partial<BearerClaims>;
  } catch {
    throw new TokenError("bearer token payload is not JSON");
  }
  if (typeof c.sub !== "string" || typeof c.aud !== "string" || typeof c.exp !== "number" || typeof c.iat !== "number" || (c.liat !== undefined && typeof c.liat !== "number")) {
    throw new TokenError("bearer token payload is incomplete");
  }
  if (c.aud !== opts.audience) throw new TokenError("bearer token is for another registry");
  if ((c.exp + (opts.clockSkewSeconds ?? 0)) * 1000 < opts.now.getTime()) throw new TokenError("bearer token has expired");
  return c as BearerClaims;
}
