import assert from "node:assert/strict";
import { test } from "node:test";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { SignDoc } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import "./proto-writer.ts";

test("an encoded message owns an exact-size buffer (no 8 KiB slab per encode) and its bytes are unchanged", () => {
  const doc = { bodyBytes: new Uint8Array([1, 2, 3]), authInfoBytes: new Uint8Array([4, 5]), chainId: "trustnet-local-1", accountNumber: 7n };
  const a = SignDoc.encode(doc).finish();
  const b = SignDoc.encode(doc).finish();
  assert.equal(a.byteOffset, 0);
  assert.equal(a.buffer.byteLength, a.length, "the result is not a view into a larger slab");
  assert.notEqual(a.buffer, b.buffer);
  // protobuf by hand: 1:bytes, 2:bytes, 3:string, 4:varint
  assert.deepEqual([...a], [0x0a, 3, 1, 2, 3, 0x12, 2, 4, 5, 0x1a, 16, ...new TextEncoder().encode("trustnet-local-1"), 0x20, 7]);
  const acc = BaseAccount.encode(BaseAccount.fromPartial({ address: "trust1x", accountNumber: 3n, sequence: 9n })).finish();
  assert.equal(acc.buffer.byteLength, acc.length);
  assert.deepEqual(BaseAccount.decode(acc), BaseAccount.fromPartial({ address: "trust1x", accountNumber: 3n, sequence: 9n }));
});
