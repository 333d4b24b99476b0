import { test } from "node:test";
import assert from "node:assert/strict";
import { releaseChunk } from "./driver.ts";

test("releaseChunk frees a chunk that is the whole of its ArrayBuffer, and nothing else", () => {
  const own = Buffer.allocUnsafeSlow(65536).fill(1);
  releaseChunk(own);
  assert.equal(own.length, 0, "detached");
  assert.equal(own.buffer.byteLength, 0);

  const whole = Buffer.alloc(1 << 20, 2);
  const slice = whole.subarray(0, 1000);
  releaseChunk(slice);
  assert.equal(whole.length, 1 << 20, "a slice never detaches its parent's memory");
  assert.equal(slice[0], 2);

  const pooled = Buffer.from("small strings share node's 8 KiB pool");
  releaseChunk(pooled);
  assert.equal(pooled.toString(), "small strings share node's 8 KiB pool");

  const shared = new Uint8Array(new SharedArrayBuffer(16));
  releaseChunk(shared);
  assert.equal(shared.length, 16);
});
