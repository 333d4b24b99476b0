import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { encodeGrpcMessage, encodeGrpcMessageHeader, GrpcStatus, UnaryMessageReader } from "./grpc-wire.ts";

const frame = (body: number[], flag = 0): Buffer => {
  const f = encodeGrpcMessage(Uint8Array.from(body));
  f[0] = flag;
  return f;
};
const failsWith = (fn: () => unknown, code: number, message: RegExp): void => {
  assert.throws(fn, (e: { code: number; message: string }) => {
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
};

describe("gRPC message framing", () => {
  test("encodes flag 0, a big-endian uint32 length, then the body", () => {
    assert.deepEqual([...encodeGrpcMessage(Uint8Array.of(7, 8, 9))], [0, 0, 0, 0, 3, 7, 8, 9]);
    assert.deepEqual([...encodeGrpcMessage(new Uint8Array(0))], [0, 0, 0, 0, 0]);
  });

  test("reads one message whole, or split at every point, including inside the prefix", () => {
    const whole = frame([1, 2, 3, 4, 5, 6]);
    for (let cut = 0; cut <= whole.length; cut++) {
      for (let cut2 = cut; cut2 <= whole.length; cut2++) {
        const r = new UnaryMessageReader(100, undefined);
        for (const part of [whole.subarray(0, cut), whole.subarray(cut, cut2), whole.subarray(cut2)]) r.push(part);
        assert.deepEqual([...r.finish()], [1, 2, 3, 4, 5, 6], `cuts ${cut}/${cut2}`);
      }
    }
    const empty = new UnaryMessageReader(100, undefined);
    empty.push(frame([]));
    assert.equal(empty.finish().length, 0);
  });

  test("refuses a message above the limit from its prefix, before any body byte arrives", () => {
    const r = new UnaryMessageReader(4, undefined);
    failsWith(() => { r.push(frame([1, 2, 3, 4, 5]).subarray(0, 5)); }, GrpcStatus.RESOURCE_EXHAUSTED,
      /request message of 5 bytes exceeds the maximum of 4 bytes/);
    const atLimit = new UnaryMessageReader(4, undefined);
    atLimit.push(frame([1, 2, 3, 4]));
    assert.equal(atLimit.finish().length, 4);
  });

  test("refuses compressed messages: INTERNAL without grpc-encoding, UNIMPLEMENTED with one", () => {
    failsWith(() => { new UnaryMessageReader(100, undefined).push(frame([1], 1)); }, GrpcStatus.INTERNAL, /compressed flag is set but the request names no grpc-encoding/);
    failsWith(() => { new UnaryMessageReader(100, "identity").push(frame([1], 1)); }, GrpcStatus.INTERNAL, /no grpc-encoding/);
    failsWith(() => { new UnaryMessageReader(100, "gzip").push(frame([1], 1)); }, GrpcStatus.UNIMPLEMENTED, /grpc-encoding gzip is not supported/);
    failsWith(() => { new UnaryMessageReader(100, undefined).push(frame([1], 2)); }, GrpcStatus.INTERNAL, /compressed flag 2/);
    // a peer that names gzip but sends uncompressed messages is served
    const r = new UnaryMessageReader(100, "gzip");
    r.push(frame([9]));
    assert.deepEqual([...r.finish()], [9]);
  });

  test("refuses a second message, a truncated one and none at all", () => {
    failsWith(() => { new UnaryMessageReader(100, undefined).push(Buffer.concat([frame([1]), frame([2])])); }, GrpcStatus.INTERNAL, /one request message, got more data/);
    const truncated = new UnaryMessageReader(100, undefined);
    truncated.push(frame([1, 2, 3]).subarray(0, 6));
    failsWith(() => truncated.finish(), GrpcStatus.INTERNAL, /truncated message: the stream ended after 1 of 3 body bytes/);
    const shortPrefix = new UnaryMessageReader(100, undefined);
    shortPrefix.push(Buffer.from([0, 0]));
    failsWith(() => shortPrefix.finish(), GrpcStatus.INTERNAL, /after 2 of 5 prefix bytes/);
    failsWith(() => new UnaryMessageReader(100, undefined).finish(), GrpcStatus.INTERNAL, /the request has no message/);
  });

  test("percent-encodes grpc-message: % and every byte outside printable ASCII", () => {
    assert.equal(encodeGrpcMessageHeader("Query failed: 100% é\n"), "Query failed: 100%25 %C3%A9%0A");
    assert.equal(decodeURIComponent(encodeGrpcMessageHeader("naïve 50% ✓")), "naïve 50% ✓");
  });
});
