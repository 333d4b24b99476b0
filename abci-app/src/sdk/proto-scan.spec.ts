import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { BinaryWriter } from "cosmjs-types/binary";
import { ProtoScanError, scanMessage, schema } from "./proto-scan.ts";

// Field numbers on both sides of the scanner's bit mask (below 32) and its Set (32 and up), the largest legal one
// included, each once non-repeated and once repeated.
const NUMBERS = [1, 30, 31, 32, 33, 1000, 2 ** 29 - 1];
const S = schema("test.Wide", NUMBERS.flatMap((n) => [
  [n, { name: `f${n}`, kind: "varint" }] as const,
]));
const R = schema("test.Repeated", NUMBERS.map((n) => [n, { name: `r${n}`, kind: "varint", repeated: true }] as const));

const encode = (fields: readonly number[]): Uint8Array => {
  const w = new BinaryWriter();
  for (const n of fields) w.uint32(n * 8).uint64(BigInt(n));
  return w.finish();
};

describe("scanMessage: a non-repeated field twice", () => {
  test("is refused at every field number, below 32 and above", () => {
    for (const n of NUMBERS) {
      assert.throws(() => scanMessage(encode([n, n]), S), (e: unknown) => e instanceof ProtoScanError && e.message.includes(`field ${n} (f${n}) appears twice`), `field ${n}`);
      assert.throws(() => scanMessage(encode([...NUMBERS.filter((m) => m !== n), n, n]), S), ProtoScanError, `field ${n} among the others`);
    }
  });

  test("every field once, in any order, passes; so do repeated fields many times", () => {
    scanMessage(encode(NUMBERS), S);
    scanMessage(encode([...NUMBERS].reverse()), S);
    scanMessage(encode([...NUMBERS, ...NUMBERS, ...NUMBERS]), R);
  });

  test("the fields seen are counted per message: the same field in two sibling messages is not twice", () => {
    const outer = schema("test.Outer", [[1, { name: "inner", kind: "message", repeated: true, message: () => S }]]);
    const inner = encode([1, 31, 32, 1000]);
    const w = new BinaryWriter();
    w.uint32(10).bytes(inner);
    w.uint32(10).bytes(inner);
    scanMessage(w.finish(), outer);
  });
});
