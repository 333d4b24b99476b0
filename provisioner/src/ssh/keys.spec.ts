import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { sign, verify, createPrivateKey, createPublicKey } from "node:crypto";
import ssh2 from "ssh2";
import { blobFromPublicLine, dropbearPrivateKey, ed25519FromSeed, generateEd25519, knownHostsLine, openSshPrivateKey, openSshPublicLine, publicBlob } from "./keys.ts";

describe("ed25519 key encodings", () => {
  const k = generateEd25519();
  test("seed and public key are 32 bytes and consistent", () => {
    assert.equal(k.seed.length, 32);
    assert.equal(k.pub.length, 32);
    assert.deepEqual(ed25519FromSeed(k.seed).pub, k.pub);
  });
  test("ssh2 parses our OpenSSH private key and derives the same public key", () => {
    const parsed = ssh2.utils.parseKey(openSshPrivateKey(k, "warden@trustnet"));
    assert.ok(!(parsed instanceof Error), String(parsed));
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    assert.equal(key.type, "ssh-ed25519");
    assert.deepEqual(key.getPublicSSH(), publicBlob(k));
    const data = Buffer.from("challenge");
    assert.ok(key.verify(data, key.sign(data)));
  });
  test("public line, known_hosts line and blob round trip", () => {
    const line = openSshPublicLine(k, "host");
    assert.match(line, /^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/=]+ host$/);
    assert.deepEqual(blobFromPublicLine(line), publicBlob(k));
    assert.match(knownHostsLine(2222, k), /^\[127\.0\.0\.1\]:2222 ssh-ed25519 /);
    assert.deepEqual(blobFromPublicLine(knownHostsLine(2222, k)), publicBlob(k));
  });
  test("the seed signs like node's own ed25519 key", () => {
    const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), k.seed]);
    const priv = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
    const sig = sign(null, Buffer.from("x"), priv);
    assert.ok(verify(null, Buffer.from("x"), createPublicKey(priv), sig));
  });
  test("dropbear key file layout", () => {
    const d = dropbearPrivateKey(k);
    assert.equal(d.readUInt32BE(0), 11);
    assert.equal(d.subarray(4, 15).toString(), "ssh-ed25519");
    assert.equal(d.readUInt32BE(15), 64);
    assert.deepEqual(d.subarray(19, 51), k.seed);
    assert.deepEqual(d.subarray(51), k.pub);
  });
});
