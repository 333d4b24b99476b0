// The determinism fuzzer at npm test's size (issue 16): 10,000 inputs, two processes (fresh with a small stack,
// warm on a large corpus), identical CheckTx codes, tx results and app hash after every block. The seed is fixed
// so a failure reproduces (`npm run fuzz -- tx --seed N`); TRUSTNET_FUZZ_SEED picks another.
import assert from "node:assert/strict";
import { test } from "node:test";
import { runTxFuzz } from "./harness.ts";

test("10,000 fuzz inputs: a fresh small-stack instance and a warm instance agree after every block", { timeout: 600_000 }, async () => {
  const seed = Number(process.env.TRUSTNET_FUZZ_SEED ?? 16);
  const r = await runTxFuzz({ count: 10_000, seed });
  assert.equal(r.inputs, 10_000);
  for (const [kind, n] of Object.entries(r.byKind)) assert.ok(n > 100, `the stream holds ${kind} inputs (${n})`);
  assert.ok((r.codes["0"] ?? 0) > 1000, `valid txs commit (${r.codes["0"]})`);
  assert.ok((r.codes["2"] ?? 0) > 1000, `malformed txs are refused as tx parse errors (${r.codes["2"]})`);
  assert.equal(r.codes["1"], undefined, "no input hit an internal error");
  assert.match(r.lastAppHash, /^[0-9a-f]{64}$/);
});

test("blocks whose results pass the answer budget: both instances refuse the same txs, and agree after every block", { timeout: 600_000 }, async (t) => {
  const seed = Number(process.env.TRUSTNET_FUZZ_SEED ?? 16);
  const r = await runTxFuzz({ count: 600, seed, bigEvery: 3, warm: 2000 });
  t.diagnostic(`${r.blocks} blocks, ${r.refused} refusals, codes ${JSON.stringify(r.codes)}`);
  assert.ok(r.refused > 0, `some big MultiSends were refused (${JSON.stringify(r.codes)})`);
  assert.equal(r.codes["1"], r.refused, "every code 1 is a budget refusal, none an internal error");
  assert.ok((r.codes["0"] ?? 0) > 100, `the txs before the cut, and the small blocks, commit (${r.codes["0"]})`);
});
