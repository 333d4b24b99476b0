import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mergeValidatorUpdates, sameValidatorSet } from "./validator-updates.ts";

const vu = (b: number, power: bigint) => ({ pubKey: { ed25519: new Uint8Array(32).fill(b) }, power });

describe("validator updates", () => {
  test("merge keeps blocker order and each module's order", () => {
    const out = mergeValidatorUpdates([["staking", [vu(2, 5n), vu(1, 0n)]], ["other", [vu(3, 1n)]]]);
    assert.deepEqual(out.map((u) => [u.pubKey.ed25519?.[0], u.power]), [[2, 5n], [1, 0n], [3, 1n]]);
  });

  test("a second module touching the same validator is an error", () => {
    assert.throws(() => mergeValidatorUpdates([["staking", [vu(1, 5n)]], ["slashing", [vu(1, 0n)]]]), /updated twice.*staking and slashing/);
    assert.throws(() => mergeValidatorUpdates([["staking", [vu(1, 5n), vu(1, 6n)]]]), /updated twice/);
  });

  test("negative power and a missing key are errors", () => {
    assert.throws(() => mergeValidatorUpdates([["staking", [vu(1, -1n)]]]), /negative/);
    assert.throws(() => mergeValidatorUpdates([["staking", [{ pubKey: {}, power: 1n }]]]), /without a public key/);
  });

  test("sameValidatorSet compares keys and powers, ignoring order", () => {
    assert.ok(sameValidatorSet([vu(1, 10n), vu(2, 10n)], [vu(2, 10n), vu(1, 10n)]));
    assert.ok(!sameValidatorSet([vu(1, 10n)], [vu(1, 11n)]));
    assert.ok(!sameValidatorSet([vu(1, 10n)], [vu(1, 10n), vu(2, 1n)]));
  });
});
