import assert from "node:assert/strict";
import { test } from "node:test";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { MsgSend } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { ProtoReader, protoReader } from "./proto-reader.ts";

/** A deterministic stream of strings over every UTF-8 length class: ASCII, 2-, 3- and 4-byte (surrogate pairs). */
function* strings(count: number): Generator<string> {
  let x = 0x2545f491;
  const next = (n: number): number => { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; return (x >>> 0) % n; };
  const ranges: readonly [number, number][] = [[0x20, 0x7f], [0x00, 0x20], [0x80, 0x800], [0x800, 0xd800], [0xe000, 0x10000], [0x10000, 0x110000]];
  for (let i = 0; i < count; i++) {
    let s = "";
    const len = next(60);
    for (let j = 0; j < len; j++) {
      const [lo, hi] = ranges[next(ranges.length)] ?? [0x20, 0x7f];
      s += String.fromCodePoint(lo + next(hi - lo));
    }
    yield s;
  }
}

test("strings decode exactly as cosmjs-types' own reader gives them (every UTF-8 length, a leading BOM kept)", () => {
  const specials = ["", "\uFEFF", "\uFEFFtrust1abc", "a\uFEFF", "\u{1F600}", "\u0000", "€", "trust1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"];
  let n = 0;
  for (const s of [...specials, ...strings(3000)]) {
    const bytes = BaseAccount.encode(BaseAccount.fromPartial({ address: s, accountNumber: 1n, sequence: 2n })).finish();
    const ours = BaseAccount.decode(protoReader(bytes));
    assert.equal(ours.address, s);
    assert.deepEqual(ours, BaseAccount.decode(bytes));
    n++;
  }
  assert.equal(n, 3008);
});

test("nested messages share the reader: a TxBody with a memo and a MsgSend decodes as from bytes", () => {
  const send = MsgSend.encode(MsgSend.fromPartial({ fromAddress: "trust1from", toAddress: "trust1to", amount: [{ denom: "utrust", amount: "12" }, { denom: "\uFEFFx", amount: "3" }] })).finish();
  const body = TxBody.encode(TxBody.fromPartial({ memo: "\uFEFFhello ✓ \u{1F680}", messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: send }], timeoutHeight: 9n })).finish();
  const reader = protoReader(body);
  assert.ok(reader instanceof ProtoReader);
  const ours = TxBody.decode(reader);
  assert.deepEqual(ours, TxBody.decode(body));
  assert.equal(ours.memo, "\uFEFFhello ✓ \u{1F680}");
  assert.equal(reader.pos, body.length, "one reader walked the whole body");
  assert.deepEqual(MsgSend.decode(protoReader(ours.messages[0]?.value ?? new Uint8Array())), MsgSend.decode(send));
});

test("the input is read in place, not copied: byte fields are views into it, at any offset", () => {
  const body = TxBody.encode(TxBody.fromPartial({
    messages: [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: MsgSend.encode(MsgSend.fromPartial({ fromAddress: "trust1a", toAddress: "trust1b", amount: [{ denom: "utrust", amount: "7" }] })).finish() }],
    memo: "m",
  })).finish();
  const backing = new Uint8Array(body.length + 9);
  backing.set(body, 9);
  const input = backing.subarray(9);
  const decoded = TxBody.decode(new ProtoReader(input));
  const value = decoded.messages[0]!.value;
  assert.equal(value.buffer, backing.buffer, "the message bytes are a view into the caller's buffer");
  assert.deepEqual(MsgSend.decode(protoReader(value)).amount, [{ denom: "utrust", amount: "7" }]);
  assert.equal(decoded.memo, "m");
  // Reading stops at the view's end, not the buffer's: a field past it is not seen.
  const longer = new Uint8Array(body.length + 5);
  longer.set(body);
  longer.set([0x12, 0x03, 0x78, 0x79, 0x7a], body.length); // memo (field 2) "xyz": read, it would replace "m"
  assert.equal(TxBody.decode(new ProtoReader(longer)).memo, "xyz");
  assert.equal(TxBody.decode(new ProtoReader(longer.subarray(0, body.length))).memo, "m");
});
