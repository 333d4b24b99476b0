import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fingerprintOf, parseSshPublicKey, validateHostKey } from "./ssh-keys.ts";
import { ECDSA_P256, ECDSA_P384, ED25519, ED25519_FINGERPRINT, RSA_1024, RSA_2048, RSA_2048_FINGERPRINT } from "./testing/ssh-keys.ts";

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    const err = e as { codespace?: string; code?: number; message: string };
    return `${err.codespace}/${err.code}`;
  }
  return "ok";
};

describe("OpenSSH public keys", () => {
  test("ed25519, ECDSA and RSA ≥ 2048 are accepted, with ssh-keygen's fingerprint", () => {
    for (const k of [ED25519, ECDSA_P256, ECDSA_P384, RSA_2048]) assert.equal(code(() => parseSshPublicKey(k)), "ok", k.slice(0, 30));
    assert.equal(parseSshPublicKey(ED25519).fingerprint, ED25519_FINGERPRINT);
    assert.equal(parseSshPublicKey(RSA_2048).fingerprint, RSA_2048_FINGERPRINT);
    assert.equal(parseSshPublicKey(`${ED25519.split(" ").slice(0, 2).join(" ")}`).type, "ssh-ed25519", "the comment is optional");
  });

  test("RSA-1024, DSA, garbage, truncated or mislabelled keys are refused with leasing/4", () => {
    const [, b64] = ED25519.split(" ");
    const bad = [
      RSA_1024, "", "ssh-ed25519", `ssh-dss ${b64}`, `ssh-ed25519 ${b64?.slice(0, -8)}`, `ssh-rsa ${b64}`, `ssh-ed25519 not*base64`,
      `ssh-ed25519 ${b64}\nssh-ed25519 ${b64}`, `ecdsa-sha2-nistp256 ${ECDSA_P384.split(" ")[1]}`, "x".repeat(9000),
    ];
    for (const k of bad) assert.equal(code(() => parseSshPublicKey(k)), "leasing/4", JSON.stringify(k.slice(0, 50)));
    assert.match((() => { try { parseSshPublicKey(RSA_1024); } catch (e) { return (e as Error).message; } return ""; })(), /1024 bits; at least 2048/);
  });

  test("a host key must hash to the fingerprint", () => {
    assert.equal(code(() => validateHostKey(ED25519_FINGERPRINT, ED25519)), "ok");
    assert.equal(code(() => validateHostKey(ED25519_FINGERPRINT, "")), "ok");
    assert.equal(code(() => validateHostKey(RSA_2048_FINGERPRINT, ED25519)), "leasing/19");
    assert.equal(code(() => validateHostKey("MD5:aa:bb", "")), "leasing/19");
    assert.equal(fingerprintOf(parseSshPublicKey(ECDSA_P256).blob), parseSshPublicKey(ECDSA_P256).fingerprint);
  });
});
