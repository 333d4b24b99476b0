import { describe, test } from "node:test";
import assert from "node:assert/strict";
import type { IndexedTx } from "@cosmjs/stargate";
import { TxRejectedError } from "./errors.ts";
import { waitForTx } from "./broadcast.ts";

describe("waitForTx", () => {
  test("polls until the tx is indexed", async () => {
    let calls = 0;
    const found = { hash: "AB", height: 7 } as unknown as IndexedTx;
    const tx = await waitForTx({ getTx: () => Promise.resolve(++calls < 3 ? null : found) }, "AB", { pollMs: 1 });
    assert.equal(tx, found);
    assert.equal(calls, 3);
  });
  test("gives up after the timeout with the hash and how to check later", async () => {
    await assert.rejects(waitForTx({ getTx: () => Promise.resolve(null) }, "CD", { timeoutMs: 20, pollMs: 5 }), (e: unknown) =>
      e instanceof TxRejectedError && e.txHash === "CD" && /not committed within 0 s/u.test(e.message) && /trustnet tx CD/u.test(e.hint ?? ""));
  });
});
