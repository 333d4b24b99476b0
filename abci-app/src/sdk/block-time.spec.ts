import assert from "node:assert/strict";
import { test } from "node:test";
import { blockTime, formatBlockTime, formatTimestamp, fromDate, isAfter, parseBlockTime } from "./block-time.ts";

test("a block time keeps its nanoseconds through the persisted form; Ctx.time is its millisecond view", () => {
  const t = blockTime({ seconds: 1_700_000_000n, nanos: 123_456_789 });
  assert.equal(t.date.getTime(), 1_700_000_000_123);
  assert.equal(formatBlockTime(t), "1700000000.123456789");
  assert.deepEqual(parseBlockTime(formatBlockTime(t)), t);
  assert.deepEqual(parseBlockTime("1700000000123"), blockTime({ seconds: 1_700_000_000n, nanos: 123_000_000 }), "the older form, milliseconds");
  assert.deepEqual(blockTime(undefined), blockTime({ seconds: 0n, nanos: 0 }));
  assert.deepEqual(fromDate(new Date(-1)), blockTime({ seconds: -1n, nanos: 999_000_000 }));
});

test("the timeout comparison is exact to the nanosecond, as the SDK's time.After", () => {
  const t = blockTime({ seconds: 10n, nanos: 500 });
  assert.equal(isAfter(t, { seconds: 10n, nanos: 499 }), true);
  assert.equal(isAfter(t, { seconds: 10n, nanos: 500 }), false);
  assert.equal(isAfter(t, { seconds: 10n, nanos: 501 }), false, "the same millisecond, a later nanosecond: not expired");
  assert.equal(isAfter(t, { seconds: 9n, nanos: 999_999_999 }), true);
  assert.equal(formatTimestamp({ seconds: 1_700_000_000n, nanos: 500_000_000 }), "2023-11-14T22:13:20.5Z");
  assert.equal(formatTimestamp({ seconds: 1_700_000_000n, nanos: 0 }), "2023-11-14T22:13:20Z");
});
