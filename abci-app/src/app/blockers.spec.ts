import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { BlockCtx } from "../sdk/context.ts";
import type { ModuleDescriptor } from "../sdk/module.ts";
import { genesisValidators, runBeginBlockers, runEndBlockers } from "./blockers.ts";

const vu = (b: number, power: bigint) => ({ pubKey: { ed25519: new Uint8Array(32).fill(b) }, power });
const ctx = {} as BlockCtx;

describe("blockers", () => {
  test("run in the order list, not the module list; updates merged in that order", () => {
    const seen: string[] = [];
    const mods: ModuleDescriptor[] = [
      { name: "a", beginBlock: () => void seen.push("begin a"), endBlock: () => (seen.push("end a"), [vu(1, 1n)]) },
      { name: "b", beginBlock: () => void seen.push("begin b"), endBlock: () => (seen.push("end b"), [vu(2, 2n)]) },
    ];
    runBeginBlockers(mods, ["b", "a"], ctx);
    const ups = runEndBlockers(mods, ["b", "a"], ctx);
    assert.deepEqual(seen, ["begin b", "begin a", "end b", "end a"]);
    assert.deepEqual(ups.map((u) => u.power), [2n, 1n]);
  });

  test("a module with a blocker missing from the order, or an unknown name in it, is a wiring error", () => {
    const mods: ModuleDescriptor[] = [{ name: "a", endBlock: () => [] }];
    assert.throws(() => runEndBlockers(mods, [], ctx), /missing from the blocker order/);
    assert.throws(() => runEndBlockers(mods, ["a", "zzz"], ctx), /unknown module zzz/);
  });

  test("two modules updating one validator in a block is an error", () => {
    const mods: ModuleDescriptor[] = [{ name: "a", endBlock: () => [vu(1, 1n)] }, { name: "b", endBlock: () => [vu(1, 0n)] }];
    assert.throws(() => runEndBlockers(mods, ["a", "b"], ctx), /updated twice/);
  });

  test("genesis validators: CometBFT's set must equal the modules'; empty on either side is allowed", () => {
    assert.deepEqual(genesisValidators([["staking", [vu(1, 10n)]]], [vu(1, 10n)]).length, 1);
    assert.deepEqual(genesisValidators([["staking", [vu(1, 10n)]]], []).length, 1, "CometBFT takes the app's set");
    assert.deepEqual(genesisValidators([["staking", []]], [vu(1, 10n)]), [], "no staking genesis: CometBFT keeps its own");
    assert.throws(() => genesisValidators([["staking", [vu(1, 10n)]]], [vu(1, 11n)]), /genesis validators differ/);
    assert.throws(() => genesisValidators([["staking", [vu(1, 10n)]]], [vu(2, 10n)]), /genesis validators differ/);
  });
});
