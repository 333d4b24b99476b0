import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { toBech32 } from "@cosmjs/encoding";
import { isAddress, parseAddress } from "./address.ts";
import { UsageError } from "./errors.ts";

const good = toBech32("trust", new Uint8Array(20).fill(7));

describe("parseAddress", () => {
  test("accepts trust1 addresses (20 and 32 bytes), canonicalises upper case", () => {
    assert.equal(parseAddress(good), good);
    assert.equal(parseAddress(good.toUpperCase()), good);
    const module = toBech32("trust", new Uint8Array(32).fill(1));
    assert.equal(parseAddress(module), module);
    assert.equal(isAddress(good), true);
  });

  const flipLast = good.slice(0, -1) + (good.endsWith("q") ? "p" : "q");
  const cases: readonly (readonly [string, string, RegExp])[] = [
    ["empty", "", /empty/u],
    ["wrong prefix", toBech32("cosmos", new Uint8Array(20)), /wrong prefix "cosmos", expected "trust"/u],
    ["a validator's operator address", toBech32("trustvaloper", new Uint8Array(20).fill(7)), /is a validator operator address \(trustvaloper1…\), not an account address \(trust1…\)/u],
    ["a validator's consensus address", toBech32("trustvalcons", new Uint8Array(20).fill(7)), /is a validator consensus address \(trustvalcons1…\), not an account address/u],
    ["bad checksum", flipLast, /bad checksum/u],
    ["wrong length", toBech32("trust", new Uint8Array(19)), /19 bytes, expected 20/u],
    ["no separator", "trustqqqq", /not a bech32 address/u],
    ["mixed case", good.slice(0, 10) + good.slice(10).toUpperCase(), /mix upper and lower/u],
    ["bad characters", good.slice(0, 8) + "b" + good.slice(9), /characters that bech32 does not use/u],
    ["whitespace", ` ${good}`, /whitespace/u],
    ["too long", `trust1${"q".repeat(100)}`, /too long/u],
    ["just the prefix", "trust1", /too short/u],
    ["too short", "trust1xyz", /too short/u],
  ];
  test("a trustvaloper1… address names its operator's account", () => {
    assert.throws(() => parseAddress(toBech32("trustvaloper", new Uint8Array(20).fill(7))), (e: unknown) => e instanceof UsageError && e.hint === `the operator's account is ${good}; give it or a key name`);
  });

  for (const [label, input, why] of cases) {
    test(`rejects: ${label}`, () => {
      assert.throws(() => parseAddress(input), (e: unknown) => e instanceof UsageError && why.test(e.message));
      assert.equal(isAddress(input), false);
    });
  }
});
