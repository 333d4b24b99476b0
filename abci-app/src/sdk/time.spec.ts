// Genesis durations: the forms TrustNet writes ("600s", "5m", "1500ms") and the SDK's (jsonpb: "1814400s", "1.500s"),
// read strictly, and written back in the SDK's form so an exported genesis reads on either chain.
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDurationMs, parseDurationMs } from "./time.ts";

test("durations read in every accepted form, to milliseconds", () => {
  for (const [text, ms] of [
    ["1814400s", 1_814_400_000n], ["10m", 600_000n], ["2h", 7_200_000n], ["1500ms", 1_500n],
    ["1.500s", 1_500n], ["1.5s", 1_500n], ["0.001s", 1n], ["600.000000000s", 600_000n], ["20.250000s", 20_250n],
  ] as const) assert.equal(parseDurationMs(text, "p"), ms, text);
});

test("a duration is written in the SDK's genesis form, and reads back to itself", () => {
  for (const [ms, text] of [[600_000n, "600s"], [1_500n, "1.500s"], [20_005n, "20.005s"], [1n, "0.001s"], [1_814_400_000n, "1814400s"]] as const) {
    assert.equal(formatDurationMs(ms), text);
    assert.equal(parseDurationMs(text, "p"), ms);
  }
});

test("bad durations are refused with the field named: sub-millisecond, zero, signed, spaced, unitless, too long", () => {
  assert.throws(() => parseDurationMs("1.0000005s", "params.unbonding_time"), /params\.unbonding_time: "1\.0000005s" is finer than a millisecond/u);
  for (const bad of ["0s", "0.000s", "-1s", "1.5", "1.s", ".5s", "1.5ms", " 1s", "1s ", "1e3s", "1.0000000001s", "", "1d"]) {
    assert.throws(() => parseDurationMs(bad, "params.x"), /params\.x/u, JSON.stringify(bad));
  }
  assert.throws(() => parseDurationMs("999999999999h", "params.x"), /at most/u);
});
