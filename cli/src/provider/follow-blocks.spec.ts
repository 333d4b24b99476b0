// HeightCursor: every height once, in order, across overlapping notifications (websocket headers and polls).
import { test } from "node:test";
import assert from "node:assert/strict";
import { HeightCursor, websocketUrl } from "./follow-blocks.ts";

test("delivers every missed height once and in order, with the tip known", async () => {
  const got: [number, number][] = [];
  const c = new HeightCursor(async (h, t) => {
    got.push([h, t]);
    await new Promise((r) => setTimeout(r, 1));
  }, 5);
  await Promise.all([c.seen(7), c.seen(6), c.seen(10), c.seen(9)]);
  assert.deepEqual(got, [[5, 7], [6, 7], [7, 7], [8, 10], [9, 10], [10, 10]]);
  assert.equal(c.delivered, 10);
});

test("without a start height it begins at the first tip seen", async () => {
  const got: number[] = [];
  const c = new HeightCursor(async (h) => void got.push(h), undefined);
  await c.seen(42);
  await c.seen(44);
  assert.deepEqual(got, [42, 43, 44]);
});

test("websocket URL of a CometBFT RPC endpoint", () => {
  assert.equal(websocketUrl("http://127.0.0.1:26657"), "ws://127.0.0.1:26657");
  assert.equal(websocketUrl("https://rpc.example.org/"), "wss://rpc.example.org");
});
