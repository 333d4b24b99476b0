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

test("issue 11: a login token lives at most 24 h (configurable), is bound to one registry, and alg none / other key types are refused", async () => {
  const k = await key(7);
  const week = createLoginToken({ ...k, audience: "trust1registrya", ttlSeconds: 7 * 24 * 3600, now });
  assert.throws(() => verifyLoginToken(week, { audience: "trust1registrya", now }), /lives 604800 s, longer than this registry accepts \(86400 s\)/);
  assert.equal(verifyLoginToken(week, { audience: "trust1registrya", now, maxLifetimeSeconds: 7 * 24 * 3600 }).address, addressOf(k.pubkey));
  const day = createLoginToken({ ...k, audience: "trust1registrya", ttlSeconds: 24 * 3600, now });
  assert.equal(verifyLoginToken(day, { audience: "trust1registrya", now }).address, addressOf(k.pubkey));
  assert.throws(() => verifyLoginToken(day, { audience: "trust1registryb", now }), /not "trust1registryb"/);
  // clock skew: 30 s in the future passes with the default 60 s margin, fails with 10 s
  const early = createLoginToken({ ...k, audience: "a", ttlSeconds: 600, now: new Date(now.getTime() + 30_000) });
  assert.equal(verifyLoginToken(early, { audience: "a", now }).address, addressOf(k.pubkey));
  assert.throws(() => verifyLoginToken(early, { audience: "a", now, clockSkewSeconds: 10 }), /future/);
  // alg none (a JWT with an empty signature) and a JSON payload carrying "alg"
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString("base64url");
  const iat = Math.floor(now.getTime() / 1000);
  const claims = { v: 1, addr: addressOf(k.pubkey), pubkey: Buffer.from(k.pubkey).toString("base64"), aud: "a", iat, exp: iat + 60 };
  assert.throws(() => verifyLoginToken(`${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`, { audience: "a", now }), TokenError);
  assert.throws(() => verifyLoginToken(`${b64({ ...claims, alg: "none" })}.${Buffer.alloc(64).toString("base64url")}`, { audience: "a", now }), /alg/);
  // wrong key types: an uncompressed secp256k1 key (65 bytes), an ed25519-sized key (32 bytes), 33 bytes with a bad prefix
  for (const pk of [Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 1)]), Buffer.alloc(32, 1), Buffer.concat([Buffer.from([5]), Buffer.alloc(32, 1)])]) {
    const p = b64({ ...claims, pubkey: pk.toString("base64") });
    assert.throws(() => verifyLoginToken(`${p}.${Buffer.alloc(64, 1).toString("base64url")}`, { audience: "a", now }), /wrong key type/);
  }
});
