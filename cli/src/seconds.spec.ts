import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { UsageError } from "./errors.ts";
import { parseSeconds } from "./seconds.ts";

describe("parseSeconds", () => {
  test("finite numbers of 0 or more (above 0 with positive); NaN, infinities and negatives are usage errors naming the flag", () => {
    assert.equal(parseSeconds(0, "--wait"), 0);
    assert.equal(parseSeconds(900, "--wait-timeout"), 900);
    assert.equal(parseSeconds("1.5", "--wait"), 1.5);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -1, "abc", "", undefined]) {
      assert.throws(() => parseSeconds(bad, "--wait-timeout"), (e: unknown) => e instanceof UsageError && e.exitCode === 2 && /^--wait-timeout must be a number of seconds, 0 or more/u.test(e.message), String(bad));
    }
    assert.throws(() => parseSeconds(0, "--ready-timeout", { positive: true }), /above 0 \(got 0\)/u);
  });
});
