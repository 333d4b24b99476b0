import assert from "node:assert/strict";
import { test } from "node:test";
import { EventSink } from "./events.ts";

test("an EventSink keeps indexed events; with keep: false it keeps none but refuses the same bad input", () => {
  const kept = new EventSink();
  kept.emit("transfer", { sender: "a", amount: "1utrust" });
  assert.deepEqual(kept.list(), [{ type: "transfer", attributes: [{ key: "sender", value: "a", index: true }, { key: "amount", value: "1utrust", index: true }] }]);
  const dropped = new EventSink({ keep: false });
  dropped.emit("transfer", [["sender", "a"]]);
  dropped.append(kept);
  assert.deepEqual(dropped.list(), [], "CheckTx's sinks collect nothing");
  for (const sink of [kept, dropped]) {
    assert.throws(() => sink.emit("", { a: "b" }), /event type must not be empty/);
    assert.throws(() => sink.emit("t", { "": "b" }), /attribute key must not be empty/);
  }
});
