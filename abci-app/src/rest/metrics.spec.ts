import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { toHex } from "../store/bytes.ts";
import { StateStore } from "../store/index.ts";
import { enc, tempDir } from "../store/testing/helpers.ts";
import { createMetrics, instrumentStore } from "./metrics.ts";

describe("instrumentStore", () => {
  test("times stage (app hash) and commit per block on a real store, and returns what the store returns", async () => {
    const t = tempDir();
    const plain = StateStore.open(t.path("plain.db"));
    const timed = StateStore.open(t.path("timed.db"));
    try {
      const m = createMetrics("test");
      instrumentStore(timed, m);
      for (const h of [1n, 2n]) {
        const changes = new Map([[toHex(enc(`k${h}`)), enc(`v${h}`)]]);
        assert.deepEqual(timed.stage(h, changes), plain.stage(h, changes));
        assert.deepEqual(timed.commit(), plain.commit());
      }
      assert.throws(() => timed.stage(5n, new Map()), /next height is 3/); // errors pass through unchanged
      const text = await m.registry.metrics();
      assert.match(text, /trustnet_store_duration_seconds_count\{op="stage"\} 3/);
      assert.match(text, /trustnet_store_duration_seconds_count\{op="commit"\} 2/);
      assert.equal(timed.lastHeight, 2n);
    } finally {
      plain.close();
      timed.close();
      t.cleanup();
    }
  });
});

describe("trustnet_leases_active", () => {
  test("is read from its source at scrape time", async () => {
    let open = 2;
    const m = createMetrics("0.0.0-test", { leasesActive: () => open });
    assert.match(await m.registry.metrics(), /^trustnet_leases_active 2$/m);
    open = 0;
    assert.match(await m.registry.metrics(), /^trustnet_leases_active 0$/m);
  });
});
