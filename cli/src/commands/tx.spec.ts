import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseTxHash } from "./tx.ts";

describe("parseTxHash", () => {
  test("tx hashes", () => {
    const h = "ab".repeat(32);
    assert.equal(parseTxHash(h), h.toUpperCase());
    assert.equal(parseTxHash(`0x${h}`), h.toUpperCase());
    assert.throws(() => parseTxHash("abc"), /64 hex digits/u);
    assert.throws(() => parseTxHash("zz".repeat(32)), /invalid tx hash/u);
  });
});
