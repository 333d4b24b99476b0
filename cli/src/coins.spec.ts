import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { formatCoin, formatTrust, MAX_AMOUNT, parseAmount, utrustToTrust } from "./coins.ts";
import { UsageError } from "./errors.ts";

describe("parseAmount", () => {
  const ok: readonly (readonly [string, bigint])[] = [
    ["1.5TRUST", 1_500_000n],
    ["1500000utrust", 1_500_000n],
    ["2trust", 2_000_000n],
    ["2Trust", 2_000_000n],
    ["0.000001trust", 1n],
    ["1utrust", 1n],
    ["0.5TRUST", 500_000n],
    ["123.456789TRUST", 123_456_789n],
    [`${MAX_AMOUNT}utrust`, MAX_AMOUNT],
  ];
  for (const [input, want] of ok) test(`accepts ${input.length > 30 ? "2^256-1 utrust" : input}`, () => assert.equal(parseAmount(input), want));

  const rejected: readonly (readonly [string, RegExp])[] = [
    ["", /empty/u],
    ["0trust", /greater than zero/u],
    ["0utrust", /greater than zero/u],
    ["0.0000000trust", /at most 6 decimals/u],
    ["-1trust", /negative/u],
    ["+1trust", /no sign/u],
    [`${MAX_AMOUNT + 1n}utrust`, /2\^256 - 1/u],
    ["1e3utrust", /exponent/u],
    ["1e3", /exponent/u],
    ["1E3trust", /exponent/u],
    ["1.0000001TRUST", /at most 6 decimals/u],
    ["1.5utrust", /whole numbers/u],
    ["5atom", /unknown denom "atom"/u],
    ["5UTRUST", /case-sensitive/u],
    ["1500000", /denom is missing/u],
    ["1 trust", /whitespace/u],
    [" 1trust", /whitespace/u],
    ["1trust\n", /whitespace/u],
    ["1\u00a0trust", /whitespace/u],
    ["1\u200btrust", /whitespace/u],
    ["1,000trust", /separators/u],
    ["1trust,2trust", /separators/u],
    [".5trust", /expected <number><denom>/u],
    ["1.trust", /expected <number><denom>/u],
    ["１trust", /expected <number><denom>/u],
    ["trust", /expected <number><denom>/u],
    ["9".repeat(200) + "utrust", /too long/u],
  ];
  for (const [input, why] of rejected) {
    test(`rejects ${JSON.stringify(input.slice(0, 30))}`, () => {
      assert.throws(() => parseAmount(input), (e: unknown) => e instanceof UsageError && why.test(e.message) && e.exitCode === 2);
    });
  }

  test("allowZero is for fees", () => assert.equal(parseAmount("0utrust", { allowZero: true }), 0n));
});

describe("formatting", () => {
  test("utrust → TRUST without trailing zeros", () => {
    assert.equal(utrustToTrust(1_500_000n), "1.5");
    assert.equal(utrustToTrust(1n), "0.000001");
    assert.equal(utrustToTrust(0n), "0");
    assert.equal(utrustToTrust(42_000_000n), "42");
    assert.equal(formatTrust(1_234_567n), "1.234567 TRUST");
    assert.equal(formatCoin({ denom: "utrust", amount: "2500000" }), "2.5 TRUST (2500000utrust)");
    assert.equal(formatCoin({ denom: "ufoo", amount: "7" }), "7ufoo");
  });
  test("parse ∘ format is the identity", () => {
    for (const u of [1n, 10n, 999_999n, 1_000_000n, 123_456_789_012n, MAX_AMOUNT]) assert.equal(parseAmount(`${utrustToTrust(u)}TRUST`), u);
  });
});
