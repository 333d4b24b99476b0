import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { toHex } from "../store/bytes.ts";
import { StateStore } from "../store/index.ts";
import { enc, tempDir } from "../store/testing/helpers.ts";
import { ExecTxResult, RequestFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { BaseApplication } from "../abci/index.ts";
import { createMetrics, instrument, instrumentStore } from "./metrics.ts";

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

describe("trustnet_lease_events_total and trustnet_signatures_preverified_total", () => {
  test("leasing events of executed blocks are counted by type; other events are not", async () => {
    const m = createMetrics("0.0.0-test");
    const app = new (class extends BaseApplication {
      override finalizeBlock() {
        const ev = (type: string) => ({ type, attributes: [] });
        return {
          events: [ev("lease_settled"), ev("coinbase")],
          txResults: [ExecTxResult.fromPartial({ code: 0, events: [ev("lease_created"), ev("transfer"), ev("provider_registered")] }), ExecTxResult.fromPartial({ code: 0, events: [ev("lease_created")] })],
        };
      }
    })();
    await instrument(app, m, () => 1n).finalizeBlock(RequestFinalizeBlock.fromPartial({ height: 1n }));
    const text = await m.registry.metrics();
    assert.match(text, /^trustnet_lease_events_total\{event="lease_created"\} 2$/m);
    assert.match(text, /^trustnet_lease_events_total\{event="lease_settled"\} 1$/m);
    assert.match(text, /^trustnet_lease_events_total\{event="provider_registered"\} 1$/m);
    assert.doesNotMatch(text, /event="(coinbase|transfer)"/);
  });

  test("a block's results are counted by code, two blocks adding up; codes past 99 share the label other", async () => {
    const m = createMetrics("0.0.0-test");
    const codes = [0, 0, 5, 0, 5, 1234, 0];
    const app = new (class extends BaseApplication {
      override finalizeBlock() {
        return { txResults: codes.map((code) => ExecTxResult.fromPartial({ code })) };
      }
    })();
    const timed = instrument(app, m, () => 1n);
    await timed.finalizeBlock(RequestFinalizeBlock.fromPartial({ height: 1n }));
    await timed.finalizeBlock(RequestFinalizeBlock.fromPartial({ height: 2n }));
    const text = await m.registry.metrics();
    assert.match(text, /^trustnet_txs_total\{code="0"\} 8$/m);
    assert.match(text, /^trustnet_txs_total\{code="5"\} 4$/m);
    assert.match(text, /^trustnet_txs_total\{code="other"\} 2$/m);
    assert.match(text, /^trustnet_abci_method_duration_seconds_count\{method="finalizeBlock"\} 2$/m);
  });

  test("the pool's running count becomes a counter", async () => {
    let n = 3;
    const m = createMetrics("0.0.0-test", { signaturesPreverified: () => n });
    assert.match(await m.registry.metrics(), /^trustnet_signatures_preverified_total 3$/m);
    n = 10;
    assert.match(await m.registry.metrics(), /^trustnet_signatures_preverified_total 10$/m);
  });
});
