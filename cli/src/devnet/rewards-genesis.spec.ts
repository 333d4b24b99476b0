import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { rewardsGenesis, validateInflation } from "./generate.ts";

describe("devnet rewards genesis", () => {
  test("blocks per year follow the block time; the SDK band by default, a fixed rate with --inflation", () => {
    const g = rewardsGenesis("300ms", undefined) as { mint: { params: Record<string, string>; minter: Record<string, string> }; distribution: { params: Record<string, unknown> } };
    assert.equal(g.mint.params.blocks_per_year, String((365.25 * 24 * 3600 * 1000) / 300));
    assert.deepEqual([g.mint.params.inflation_min, g.mint.params.inflation_max, g.mint.minter.inflation], ["0.07", "0.2", "0.13"]);
    assert.equal(g.distribution.params.community_tax, "0.02");
    const fixed = rewardsGenesis("1s", "0") as typeof g;
    assert.equal(fixed.mint.params.blocks_per_year, "31557600");
    assert.deepEqual([fixed.mint.params.inflation_min, fixed.mint.params.inflation_max, fixed.mint.minter.inflation], ["0", "0", "0"]);
  });
  test("--inflation must be a rate in [0, 1]", () => {
    for (const ok of ["0", "0.05", "1", "0.130000000000000000"]) assert.equal(validateInflation(ok), ok);
    for (const bad of ["1.5", "-0.1", "abc", "", "0.1234567890123456789", "5%"]) assert.throws(() => validateInflation(bad), /--inflation: .* is not a rate between 0 and 1/);
  });
});
