import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { toBase64 } from "@cosmjs/encoding";
import { EventSink } from "../../sdk/events.ts";
import { emitSignature } from "./events.ts";

describe("emitSignature", () => {
  test("writes the signature as @cosmjs/encoding's base64 (padded, standard alphabet), views at any offset included", () => {
    const backing = Uint8Array.from({ length: 200 }, (_, i) => (i * 151 + 7) & 0xff);
    for (let len = 1; len <= 66; len++) {
      for (const offset of [0, 1, 2, 3, 64]) {
        const sig = backing.subarray(offset, offset + len);
        const sink = new EventSink();
        emitSignature(sink, sig);
        assert.deepEqual(sink.list(), [{ type: "tx", attributes: [{ key: "signature", value: toBase64(sig), index: true }] }], `length ${len} at ${offset}`);
      }
    }
  });

  test("a sink that keeps nothing (CheckTx) gets nothing", () => {
    const sink = new EventSink({ keep: false });
    emitSignature(sink, new Uint8Array(64));
    assert.deepEqual(sink.list(), []);
  });
});
