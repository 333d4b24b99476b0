import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DEC_ONE, formatDec, parseHumanDec, parseWireDec } from "./dec.ts";

describe("Dec", () => {
  test("human and wire forms", () => {
    assert.equal(parseHumanDec("0.1", "r"), DEC_ONE / 10n);
    assert.equal(parseHumanDec("1", "r"), DEC_ONE);
    assert.equal(parseHumanDec("0.000000000000000001", "r"), 1n);
    assert.equal(formatDec(DEC_ONE / 10n), "0.100000000000000000");
    assert.equal(parseWireDec("100000000000000000", "r"), DEC_ONE / 10n);
  });
  test("rejects signs, exponents, too many digits", () => {
    for (const s of ["-1", "1e3", "0.1234567890123456789", "", " 1", "0x10"]) assert.throws(() => parseHumanDec(s, "r"), /not a non-negative decimal/);
    for (const s of ["0.1", "-1", "", "1e3"]) assert.throws(() => parseWireDec(s, "r"), /not a decimal/);
  });
});
