import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CliError } from "../errors.ts";
import { inBatches, MSGS_PER_TX, sendInBatches } from "./batches.ts";

const ids = (n: number, from = 1): bigint[] => Array.from({ length: n }, (_, i) => BigInt(from + i));

describe("sending more messages than one transaction takes", () => {
  test("batches of at most 100, in order, none empty", () => {
    assert.equal(MSGS_PER_TX, 100);
    assert.deepEqual(inBatches(ids(250)).map((b) => [b.length, b[0], b.at(-1)]), [[100, 1n, 100n], [100, 101n, 200n], [50, 201n, 250n]]);
    assert.deepEqual(inBatches(ids(100)).map((b) => b.length), [100]);
    assert.deepEqual(inBatches(ids(101)).map((b) => b.length), [100, 1]);
    assert.deepEqual(inBatches([]), []);
    assert.throws(() => inBatches(ids(3), 0), RangeError);
  });

  test("one transaction per batch, each after the last, with a progress line; one batch prints none", async () => {
    const sent: bigint[][] = [];
    const lines: string[] = [];
    const out = await sendInBatches(inBatches(ids(201)), "leases", async (b) => (sent.push([...b]), { hash: `TX${sent.length}` }), (l) => lines.push(l));
    assert.deepEqual(sent.map((b) => b.length), [100, 100, 1]);
    assert.deepEqual(out.map((o) => o.sent.hash), ["TX1", "TX2", "TX3"]);
    assert.deepEqual(lines, ["batch 1 of 3: leases 1 … 100 (100) …", "batch 2 of 3: leases 101 … 200 (100) …", "batch 3 of 3: leases 201 …"]);
    lines.length = 0;
    await sendInBatches(inBatches(ids(7)), "leases", async () => ({ hash: "ONE" }), (l) => lines.push(l));
    assert.deepEqual(lines, []);
  });

  test("the first failure stops it: later batches are not sent, and the error names what went through", async () => {
    const sent: number[] = [];
    const failing = (at: number, e: Error) => async (b: readonly bigint[]) => {
      sent.push(b.length);
      if (sent.length === at) throw e;
      return { hash: `TX${sent.length}` };
    };
    const rejected = new CliError("transaction ABC failed in block 9: out of gas", { hint: "raise --gas", exitCode: 1 });
    await assert.rejects(sendInBatches(inBatches(ids(450)), "leases", failing(3, rejected), () => undefined), (e: unknown) => {
      assert.ok(e instanceof CliError);
      assert.equal(e.message, "batch 3 of 5 (leases 201 … 300 (100)) failed: transaction ABC failed in block 9: out of gas");
      assert.equal(e.hint, "batches 1–2 went through (200 leases: tx TX1, TX2); batches 4–5 not sent. raise --gas");
      assert.equal(e.cause, rejected);
      return true;
    });
    assert.deepEqual(sent, [100, 100, 100], "nothing after the failed batch");
    sent.length = 0;
    const unconfirmed = new CliError("broadcast as DEF, not confirmed: timed out", { exitCode: 3 });
    await assert.rejects(sendInBatches(inBatches(ids(150)), "leases", failing(1, unconfirmed), () => undefined),
      (e: unknown) => e instanceof CliError && e.exitCode === 3 && /^batch 1 of 2 .* not confirmed/u.test(e.message) && e.hint === "no batch was sent before it; batch 2 not sent");
    sent.length = 0;
    await assert.rejects(sendInBatches(inBatches(ids(150)), "leases", failing(2, new Error("socket hang up")), () => undefined),
      (e: unknown) => e instanceof CliError && e.exitCode === 1 && e.hint === "batch 1 went through (100 leases: tx TX1)" && /batch 2 of 2 \(leases 101 … 150 \(50\)\) failed: socket hang up/u.test(e.message));
  });

  test("a single batch's failure is thrown as it is", async () => {
    const e = new CliError("refused");
    await assert.rejects(sendInBatches(inBatches(ids(3)), "leases", async () => Promise.reject(e), () => undefined), (x: unknown) => x === e);
  });
});
