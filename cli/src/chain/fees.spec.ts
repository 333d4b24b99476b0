import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { UsageError } from "../errors.ts";
import { DEFAULT_MAX_FEE, describeFee, feeAfterSimulation, planFee } from "./fees.ts";

const base = { gas: "auto", fees: undefined, gasPrices: "0.025utrust", gasAdjustment: 1.4 } as const;

describe("planFee", () => {
  test("default: auto gas with multiplier 1.4 at 0.025utrust", () => {
    const plan = planFee(base);
    assert.equal(plan.kind, "auto");
    if (plan.kind !== "auto") return;
    assert.equal(plan.adjustment, 1.4);
    assert.deepEqual(feeAfterSimulation(plan, 100_000), { amount: [{ denom: "utrust", amount: "3500" }], gas: "140000" });
  });
  test("fixed gas: fee = ceil(gas × price)", () => {
    const plan = planFee({ ...base, gas: "200001" });
    assert.equal(plan.kind, "fixed");
    if (plan.kind === "fixed") assert.deepEqual(plan.fee, { amount: [{ denom: "utrust", amount: "5001" }], gas: "200001" });
  });
  test("explicit fees with fixed gas, and with auto gas", () => {
    const fixed = planFee({ ...base, gas: "100000", fees: "0.01trust" });
    assert.ok(fixed.kind === "fixed" && fixed.fee.amount[0]?.amount === "10000" && fixed.fee.gas === "100000");
    const auto = planFee({ ...base, fees: "5000utrust" });
    assert.equal(auto.kind, "simulate-gas");
    if (auto.kind === "simulate-gas") assert.deepEqual(feeAfterSimulation(auto, 1000), { amount: [{ denom: "utrust", amount: "5000" }], gas: "1400" });
  });
  test("a zero fee (--fees 0utrust, --gas-prices 0utrust) is sent as no fee coin, as the SDK's CLI sends it, never as an invalid 0utrust coin", () => {
    const fixed = planFee({ ...base, gas: "200000", fees: "0utrust" });
    assert.deepEqual(fixed.kind === "fixed" && fixed.fee, { amount: [], gas: "200000" });
    const simulated = planFee({ ...base, fees: "0TRUST" });
    assert.ok(simulated.kind === "simulate-gas");
    assert.deepEqual(feeAfterSimulation(simulated, 100_000), { amount: [], gas: "140000" });
    const free = planFee({ ...base, gasPrices: "0utrust" });
    assert.ok(free.kind === "auto");
    assert.deepEqual(feeAfterSimulation(free, 100_000), { amount: [], gas: "140000" });
    const freeFixed = planFee({ ...base, gas: "200000", gasPrices: "0utrust" });
    assert.deepEqual(freeFixed.kind === "fixed" && freeFixed.fee, { amount: [], gas: "200000" });
    assert.equal(describeFee({ amount: [], gas: "200000" }), "fee 0 TRUST (0utrust), gas limit 200000");
  });
  test("rejects bad gas, prices, adjustments and fees", () => {
    for (const gas of ["0", "-5", "1e5", "abc", "1.5", "99999999999999999"]) assert.throws(() => planFee({ ...base, gas }), UsageError, gas);
    for (const gasPrices of ["", "0.025uatom", "cheap"]) assert.throws(() => planFee({ ...base, gasPrices }), /--gas-prices/u);
    for (const gasAdjustment of [0.5, Number.NaN, 100]) assert.throws(() => planFee({ ...base, gasAdjustment }), /--gas-adjustment/u);
    assert.throws(() => planFee({ ...base, fees: "5atom" }), /unknown denom/u);
  });
  test("a fee above the 10 TRUST ceiling is refused unless --max-fee raises it", () => {
    assert.equal(DEFAULT_MAX_FEE, 10_000_000n);
    assert.throws(() => planFee({ ...base, gas: "200000", fees: "1000000TRUST" }), (e: unknown) =>
      e instanceof UsageError && e.exitCode === 2 && /the fee would be 1000000 TRUST \(1000000000000utrust, --fees\), above the 10 TRUST ceiling; nothing was sent/u.test(e.message) &&
      /--max-fee 1000000000000utrust/u.test(e.hint ?? ""));
    assert.throws(() => planFee({ ...base, gas: "200000", gasPrices: "5000000utrust" }), /the fee would be 1000000 TRUST .*200000 gas × 5000000utrust/u);
    assert.throws(() => planFee({ ...base, fees: "10.000001TRUST" }), /above the 10 TRUST ceiling/u, "auto gas with --fees: checked at once");
    const auto = planFee({ ...base, gasPrices: "5000000utrust" });
    assert.ok(auto.kind === "auto");
    assert.throws(() => feeAfterSimulation(auto, 100_000), /the fee would be 700000 TRUST .*140000 simulated gas × 5000000utrust/u);
    assert.equal(planFee({ ...base, gas: "200000", fees: "10TRUST" }).kind, "fixed", "exactly the ceiling is allowed");
    const raised = planFee({ ...base, gas: "200000", fees: "1000000TRUST", maxFee: "1000000TRUST" });
    assert.ok(raised.kind === "fixed" && raised.fee.amount[0]?.amount === "1000000000000");
    assert.throws(() => planFee({ ...base, maxFee: "lots" }), /invalid --max-fee "lots"/u);
  });
  test("describeFee says what the tx pays and its gas limit", () => {
    assert.equal(describeFee({ amount: [{ denom: "utrust", amount: "5000" }], gas: "200000" }), "fee 0.005 TRUST (5000utrust), gas limit 200000");
  });
});
