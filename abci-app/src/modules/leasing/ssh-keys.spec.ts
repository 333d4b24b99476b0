import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { p256, p384, p521 } from "@noble/curves/nist.js";
import { fingerprintOf, parseSshPublicKey, validateHostKey } from "./ssh-keys.ts";
import { validateProviderAttributes, validateSshKeys } from "./validate.ts";
import {
  ECDSA_P256, ECDSA_P384, ECDSA_P521, ecdsaKey, ED25519, ED25519_FINGERPRINT, RSA_1024, RSA_2048, RSA_2048_FINGERPRINT, rsaKey, sshKeyLine,
} from "./testing/ssh-keys.ts";

const CURVES = { nistp256: p256.Point, nistp384: p384.Point, nistp521: p521.Point } as const;
type Curve = keyof typeof CURVES;

/** The first point on the curve with x ≥ `from` (x³ + ax + b a square mod p). */
function pointFrom(curve: Curve, from: bigint): { x: bigint; y: bigint } {
  const { Fp } = CURVES[curve];
  const { a, b } = CURVES[curve].CURVE();
  for (let x = from; ; x++) {
    try {
      return { x, y: Fp.sqrt(Fp.add(Fp.add(Fp.mul(Fp.sqr(x), x), Fp.mul(a, x)), b)) };
    } catch {
      // not a square: next x
    }
  }
}

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return "";
};

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
    for (const k of [ED25519, ECDSA_P256, ECDSA_P384, ECDSA_P521, RSA_2048]) assert.equal(code(() => parseSshPublicKey(k)), "ok", k.slice(0, 30));
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
    assert.match((() => { try { parseSshPublicKey(RSA_1024); } catch (e) { return (e as Error).message; } return ""; })(), /1024 bits; 2048 to 16384 are required/);
  });

  test("keys sshd ignores are refused: ECDSA points off their curve or out of OpenSSH's range, RSA outside 2048-16384 bits", () => {
    const bad: [string, string, RegExp][] = [];
    for (const [curve, line] of [["nistp256", ECDSA_P256], ["nistp384", ECDSA_P384], ["nistp521", ECDSA_P521]] as const) {
      const { x, y } = CURVES[curve].fromBytes(parseSshPublicKey(line).blob.subarray(-{ nistp256: 65, nistp384: 97, nistp521: 133 }[curve])).toAffine();
      assert.equal(code(() => parseSshPublicKey(ecdsaKey(curve, x, y))), "ok", `${curve}: the builder makes what ssh-keygen made`);
      const { Gx, Gy, n } = CURVES[curve].CURVE();
      assert.equal(code(() => parseSshPublicKey(ecdsaKey(curve, Gx, Gy))), "ok", `${curve}: the generator`);
      bad.push([`${curve}: y + 1, off the curve`, ecdsaKey(curve, x, y + 1n), /is not on the curve/]);
      const small = pointFrom(curve, 1n);
      bad.push([`${curve}: on the curve, x of ${small.x.toString(2).length} bits`, ecdsaKey(curve, small.x, small.y), /coordinate of at most \d+ bits/]);
      const high = pointFrom(curve, n - 1n);
      bad.push([`${curve}: on the curve, x ≥ n − 1`, ecdsaKey(curve, high.x, high.y), /not below the group order − 1/]);
    }
    const modulus = (bytes: number, first = "80") => `${first}${"00".repeat(bytes - 2)}01`;
    assert.equal(code(() => parseSshPublicKey(rsaKey("010001", `00${modulus(2048)}`))), "ok", "RSA-16384 (a 0x00, then 2048 bytes)");
    assert.equal(code(() => parseSshPublicKey(rsaKey("010001", `00${modulus(256)}`))), "ok", "RSA-2048 built from its parts");
    bad.push(
      ["RSA of 16385 bits", rsaKey("010001", modulus(2049, "01")), /16385 bits; 2048 to 16384/],
      ["RSA of 16392 bits", rsaKey("010001", `00${modulus(2049)}`), /longer than 2049 bytes/],
      ["RSA modulus with its high bit set (negative)", rsaKey("010001", modulus(256)), /modulus is negative/],
      ["RSA exponent with its high bit set (negative)", rsaKey("81", `00${modulus(256)}`), /exponent is negative/],
      ["RSA exponent ≥ modulus", rsaKey(`00${modulus(256)}`, `00${modulus(256)}`), /exponent too large/],
      ["RSA-4096 with a 65-bit exponent", rsaKey(`01${"00".repeat(7)}01`, `00${modulus(512)}`), /exponent too large/],
      ["ed25519 of 33 bytes", sshKeyLine("ssh-ed25519", new Uint8Array(33)), /32 bytes/],
    );
    for (const [why, line, pattern] of bad) {
      assert.equal(code(() => parseSshPublicKey(line)), "leasing/4", why);
      assert.match(message(() => parseSshPublicKey(line)), pattern, why);
    }
  });

  test("a host key must hash to the fingerprint", () => {
    assert.equal(code(() => validateHostKey(ED25519_FINGERPRINT, ED25519)), "ok");
    assert.equal(code(() => validateHostKey(ED25519_FINGERPRINT, "")), "leasing/19");
    assert.equal(code(() => validateHostKey(ED25519_FINGERPRINT, "", true)), "ok");
    assert.equal(code(() => validateHostKey("MD5:aa:bb", "", true)), "leasing/19");
    assert.equal(code(() => validateHostKey(RSA_2048_FINGERPRINT, ED25519)), "leasing/19");
    assert.equal(code(() => validateHostKey("MD5:aa:bb", "")), "leasing/19");
    assert.equal(fingerprintOf(parseSshPublicKey(ECDSA_P256).blob), parseSshPublicKey(ECDSA_P256).fingerprint);
  });

  test("the line holds nothing a provider attribute value may not (one rule): the refusal names the key, the field and the code point", () => {
    const [type, b64] = ED25519.split(" ") as [string, string];
    const bad: [string, string, string][] = [
      [`${type} ${b64} user@host\u202egpj.exe`, "the comment", "U+202E"], // bidi override
      [`${type} ${b64} \u001b[2Jroot@prod`, "the comment", "U+001B"], // ESC: a terminal sequence
      [`${type} ${b64} user\u200b@host`, "the comment", "U+200B"], // zero width space
      [`${type} ${b64} a\u2028b`, "the comment", "U+2028"],
      [`${type} ${b64} a\u0085b`, "the comment", "U+0085"], // NEL
      [`${type} ${b64} user@host\u00a0`, "the comment", "U+00A0"], // at the end: JS trim() would drop it
      [`${type} ${b64} user\tat host`, "the comment", "U+0009"], // a tab inside the comment
      [`${type} ${b64} a\udc00b`, "the comment", "U+DC00"], // lone surrogate
      [`${type} ${b64} \u{e0041}`, "the comment", "U+E0041"], // tag character
      [`\ufeff${type} ${b64}`, "the key type", "U+FEFF"], // BOM before the type: JS trim() would drop it
      [`${type}\u3000${b64}`, "the key type", "U+3000"],
      [`${type} ${b64}\u000b comment`, "the key data", "U+000B"],
    ];
    for (const [line, part, cp] of bad) {
      const keys = [ED25519, line];
      assert.equal(code(() => validateSshKeys(keys)), "leasing/4", cp);
      const why = message(() => validateSshKeys(keys));
      assert.match(why, new RegExp(`^ssh_pubkeys\\[1\\] "[^"]*": ${part} holds ${cp.replace("+", "\\+")}: a key line may not hold control, bidi, invisible format or non-ASCII space characters`), cp);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(why, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202e\u200b\ufeff\u3000]/u, `${cp}: the error shows it escaped`);
      assert.equal(code(() => validateHostKey(fingerprintOf(parseSshPublicKey(ED25519).blob), line)), "leasing/19", `${cp}: a host key line too`);
    }
    assert.match(message(() => parseSshPublicKey(`${type}\u3000${b64}`)), /^ssh key "ssh-ed25519\\u\{3000\}AAAA/, "shown escaped");
    for (const ok of [
      `${type} ${b64}`, `${type} ${b64} user@host`, `${type}\t${b64}\tuser@host`, ` \t${type}  \t ${b64} \t my laptop key (work) \t`,
      `${type} ${b64} café 日本 🚀`, `${type} ${b64} `,
    ]) assert.equal(code(() => validateSshKeys([ok])), "ok", JSON.stringify(ok));
    assert.equal(code(() => parseSshPublicKey(`${type} ${b64} a\nb`)), "leasing/4", "CR, LF and NUL: still one line");
    assert.match(message(() => parseSshPublicKey(`${type} ${b64} a\rb`)), /must be one line/);
  });

  // One rule, not a copy: every BMP code point and the astral ones the rule names (± 1) are refused in a key's comment
  // exactly when a provider attribute's value refuses them (validate.spec.ts holds that list to Node's Unicode tables).
  test("a key comment and an attribute value refuse the same code points", () => {
    const line = ED25519.split(" ").slice(0, 2).join(" ");
    const astral = [0x110bd, 0x110cd, 0x13430, 0x1343f, 0x1bca0, 0x1bca3, 0x1d173, 0x1d17a, 0xe0001, 0xe0020, 0xe007f].flatMap((c) => [c - 1, c, c + 1]);
    const differ: string[] = [];
    for (const c of [...Array(0x10000).keys(), ...astral]) {
      if (c === 0x0a || c === 0x0d || c === 0) continue; // "must be one line", checked above
      const ch = String.fromCharCode(...(c > 0xffff ? [0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff)] : [c]));
      const attribute = code(() => validateProviderAttributes([`k=a${ch}b`])) !== "ok";
      const key = code(() => parseSshPublicKey(`${line} a${ch}b`)) !== "ok";
      if (attribute !== key) differ.push(`U+${c.toString(16).toUpperCase().padStart(4, "0")}`);
    }
    assert.deepEqual(differ, []);
  });
});
