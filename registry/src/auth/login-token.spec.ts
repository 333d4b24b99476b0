import { test } from "node:test";
import assert from "node:assert/strict";
import { Secp256k1 } from "@cosmjs/crypto";
import { TokenError } from "../errors.ts";
import { addressOf, createLoginToken, verifyLoginToken } from "./login-token.ts";
import { issueBearerToken, verifyBearerToken } from "./bearer-token.ts";

async function key(seed: number): Promise<{ privkey: Uint8Array; pubkey: Uint8Array }> {
  const privkey = new Uint8Array(32).fill(seed);
  const kp = await Secp256k1.makeKeypair(privkey);
  return { privkey, pubkey: Secp256k1.compressPubkey(kp.pubkey) };
}

const now = new Date("2026-11-21T06:00:00Z");

test("a login token verifies to its address", async () => {
  const k = await key(7);
  const t = createLoginToken({ ...k, audience: "trustnet-registry", ttlSeconds: 600, now });
  const v = verifyLoginToken(t, { audience: "trustnet-registry", now });
  assert.equal(v.address, addressOf(k.pubkey));
  assert.match(v.address, /^trust1[02-9ac-hj-np-z]{38}$/);
  assert.equal(v.expiresAt.getTime(), now.getTime() + 600_000);
});

test("expired, future, wrong-audience and forged login tokens are refused", async () => {
  const k = await key(7);
  const other = await key(9);
  const t = createLoginToken({ ...k, audience: "trustnet-registry", ttlSeconds: 600, now });
  const later = new Date(now.getTime() + 3600_000);
  assert.throws(() => verifyLoginToken(t, { audience: "trustnet-registry", now: later }), /expired/);
  assert.throws(() => verifyLoginToken(t, { audience: "trustnet-registry", now: new Date(now.getTime() - 3600_000) }), /future/);
  assert.throws(() => verifyLoginToken(t, { audience: "other", now }), /not "other"/);
  const [payload, sig] = t.split(".") as [string, string];
  // payload claims another address
  const p = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
  const forgedAddr = Buffer.from(JSON.stringify({ ...p, addr: addressOf(other.pubkey) })).toString("base64url");
  assert.throws(() => verifyLoginToken(`${forgedAddr}.${sig}`, { audience: "trustnet-registry", now }), /address does not match/);
  // other pubkey and address, original signature
  const swapped = Buffer.from(JSON.stringify({ ...p, addr: addressOf(other.pubkey), pubkey: Buffer.from(other.pubkey).toString("base64") })).toString("base64url");
  assert.throws(() => verifyLoginToken(`${swapped}.${sig}`, { audience: "trustnet-registry", now }), /signature is invalid/);
  // extended expiry
  const extended = Buffer.from(JSON.stringify({ ...p, exp: (p["exp"] as number) + 99999 })).toString("base64url");
  assert.throws(() => verifyLoginToken(`${extended}.${sig}`, { audience: "trustnet-registry", now }), /signature is invalid/);
  for (const junk of ["", "x", "a.b.c", "!!.??", `${payload}.`]) assert.throws(() => verifyLoginToken(junk, { audience: "trustnet-registry", now }), TokenError, junk);
});

test("bearer tokens are HMAC-bound to the secret, audience and expiry", () => {
  const secret = new Uint8Array(32).fill(1);
  const iat = Math.floor(now.getTime() / 1000);
  const t = issueBearerToken(secret, { sub: "trust1x", aud: "svc", iat, exp: iat + 60 });
  assert.equal(verifyBearerToken(secret, t, { audience: "svc", now }).sub, "trust1x");
  assert.throws(() => verifyBearerToken(new Uint8Array(32).fill(2), t, { audience: "svc", now }), /signature/);
  assert.throws(() => verifyBearerToken(secret, t, { audience: "other", now }), /another registry/);
  assert.throws(() => verifyBearerToken(secret, t, { audience: "svc", now: new Date(now.getTime() + 120_000) }), /expired/);
  const [p, s] = t.split(".") as [string, string];
  const tampered = Buffer.from(JSON.stringify({ sub: "trust1y", aud: "svc", iat, exp: iat + 60 })).toString("base64url");
  assert.notEqual(tampered, p);
  assert.throws(() => verifyBearerToken(secret, `${tampered}.${s}`, { audience: "svc", now }), /signature/);
});
