import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { FrameTooLargeError, VarintTooLongError } from "./errors.ts";
import { DEFAULT_MAX_MESSAGE_BYTES, encodeFrame, encodeUvarint, FrameDecoder } from "./framing.ts";

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);
const payload = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe("encodeUvarint", () => {
  test("encodes unsigned (not zigzag) varints like Go binary.PutUvarint", () => {
    assert.deepEqual(encodeUvarint(0), bytes(0));
    assert.deepEqual(encodeUvarint(2), bytes(2)); // zigzag would give 4
    assert.deepEqual(encodeUvarint(127), bytes(0x7f));
    assert.deepEqual(encodeUvarint(128), bytes(0x80, 0x01));
    assert.deepEqual(encodeUvarint(300), bytes(0xac, 0x02));
    assert.deepEqual(encodeUvarint(2 ** 31 - 1), bytes(0xff, 0xff, 0xff, 0xff, 0x07));
    assert.deepEqual(encodeUvarint(Number.MAX_SAFE_INTEGER), bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f));
  });

  test("rejects negative and fractional values", () => {
    assert.throws(() => encodeUvarint(-1), RangeError);
    assert.throws(() => encodeUvarint(1.5), RangeError);
  });

  test("frames a Flush request as 02 12 00", () => {
    assert.deepEqual([...encodeFrame(bytes(0x12, 0x00))], [0x02, 0x12, 0x00]);
  });
});

describe("FrameDecoder", () => {
  const frames = [payload(0, 0), payload(1, 1), payload(127, 2), payload(128, 3), payload(300, 4), payload(5, 5)];
  const stream = Buffer.concat(frames.map((f) => encodeFrame(f)));

  test("yields every frame of one chunk in order", () => {
    const out = new FrameDecoder().push(stream);
    assert.deepEqual(out.map((f) => [...f]), frames.map((f) => [...f]));
  });

  test("reassembles frames split at every possible single split point", () => {
    for (let cut = 0; cut <= stream.length; cut += 1) {
      const d = new FrameDecoder();
      const out = [...d.push(stream.subarray(0, cut)), ...d.push(stream.subarray(cut))];
      assert.deepEqual(out.map((f) => [...f]), frames.map((f) => [...f]), `split at ${cut}`);
      assert.equal(d.hasPartialFrame, false);
    }
  });

  test("reassembles frames fed one byte at a time and at every pair of split points", () => {
    const d = new FrameDecoder();
    const out: Uint8Array[] = [];
    for (const b of stream) out.push(...d.push(bytes(b)));
    assert.deepEqual(out.map((f) => [...f]), frames.map((f) => [...f]));
    const small = Buffer.concat([encodeFrame(payload(3, 9)), encodeFrame(payload(200, 8)), encodeFrame(payload(1, 7))]);
    for (let a = 0; a <= small.length; a += 1) {
      for (let b = a; b <= small.length; b += 1) {
        const d2 = new FrameDecoder();
        const got = [...d2.push(small.subarray(0, a)), ...d2.push(small.subarray(a, b)), ...d2.push(small.subarray(b))];
        assert.deepEqual(got.map((f) => f.length), [3, 200, 1], `splits ${a},${b}`);
      }
    }
  });

  test("handles many messages in one chunk", () => {
    const many = Array.from({ length: 5000 }, (_, i) => payload(i % 200, i));
    const out = new FrameDecoder().push(Buffer.concat(many.map((f) => encodeFrame(f))));
    assert.equal(out.length, 5000);
    assert.deepEqual([...(out[4321] as Uint8Array)], [...(many[4321] as Uint8Array)]);
  });

  test("reports a partial frame and describes it (truncated input)", () => {
    const d = new FrameDecoder();
    assert.deepEqual(d.push(encodeFrame(payload(10, 1)).subarray(0, 4)), []);
    assert.equal(d.hasPartialFrame, true);
    assert.equal(d.describePartial(), "got 3 of 10 body bytes");
    const d2 = new FrameDecoder();
    d2.push(bytes(0x80));
    assert.equal(d2.describePartial(), "got 1 bytes of an unfinished length prefix");
  });

  test("rejects a varint longer than 10 bytes, and stays failed", () => {
    const d = new FrameDecoder();
    const prefix = bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
    assert.deepEqual(d.push(prefix), []);
    assert.ok(d.error instanceof VarintTooLongError);
    assert.match(d.error.message, /longer than 10 bytes/);
    assert.deepEqual(d.push(bytes(0x02, 0x12, 0x00)), []);
    assert.ok(d.error instanceof VarintTooLongError);
  });

  test("rejects a 10-byte varint that overflows 64 bits, also when split across chunks", () => {
    const d = new FrameDecoder();
    d.push(bytes(0xff, 0xff, 0xff, 0xff, 0xff));
    assert.equal(d.hasPartialFrame, true);
    d.push(bytes(0xff, 0xff, 0xff, 0xff, 0x02));
    const err: unknown = d.error;
    assert.ok(err instanceof VarintTooLongError);
    assert.match(err.message, /overflows 64 bits/);
    assert.equal(d.hasPartialFrame, false);
  });

  test("rejects a length beyond maxMessageBytes before buffering its body", () => {
    const d = new FrameDecoder(100);
    // the good frame before the bad prefix in the same chunk is still delivered
    const out = d.push(Buffer.concat([encodeFrame(payload(100, 0)), encodeUvarint(101), payload(50, 1)]));
    assert.equal(out.length, 1);
    const err = d.error;
    assert.ok(err instanceof FrameTooLargeError && err.length === 101 && err.maxMessageBytes === 100);
    assert.equal(d.hasPartialFrame, false);
    const big = new FrameDecoder();
    big.push(encodeUvarint(DEFAULT_MAX_MESSAGE_BYTES + 1));
    assert.ok(big.error instanceof FrameTooLargeError);
  });

  test("rejects a nonsensical maxMessageBytes", () => {
    assert.throws(() => new FrameDecoder(0), RangeError);
  });
});
