// A block's FinalizeBlock answer never passes the 4 MiB CometBFT's gRPC ABCI client accepts (block-answer-budget.ts):
// the budget's own arithmetic on random blocks, and the real app on blocks whose results are far bigger.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { AuthInfo, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { type Event, type ExecTxResult, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { encodeFinalizeBlockAnswer, eventsFieldBytes, txResultFieldBytes } from "../abci/response-encoder.ts";
import { StateStore } from "../store/index.ts";
import {
  ABCI_ANSWER_LIMIT_BYTES, BlockAnswerBudget, CHECK_RESULTS_FROM_BYTES, ErrBlockAnswerFull, ErrTxResultsTooLarge, MAX_TX_RESULT_BYTES, fitEndEvents, MAX_BLOCK_TXS, ProposalAnswerEstimate,
  REFUSAL_MAX_BYTES, TX_RESULTS_LIMIT_BYTES,
} from "./block-answer-budget.ts";
import { harness, type Harness } from "./testing/staking.ts";
import { testKey, type TestKey } from "./testing/tx-builder.ts";
import { TrustNetApp } from "./trustnet-app.ts";

const dir = mkdtempSync(join(tmpdir(), "tn-answer-budget-"));
// Every store is closed before its directory goes: an open one's WAL checkpointer thread may still create files there.
const stores: StateStore[] = [];
after(() => {
  for (const s of stores) s.close();
  rmSync(dir, { recursive: true, force: true });
});
let n = 0;
const db = (): string => join(dir, `s${n++}.db`);

/** A deterministic pseudo-random generator (the spec's own; nothing here runs in a block). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0; return s / 2 ** 32; };
}

const result = (eventBytes: number, code = 0): ExecTxResult => ({
  code, codespace: code ? "sdk" : "", log: "", info: "", data: new Uint8Array(), gasWanted: 200_000n, gasUsed: 51_234n,
  events: eventBytes > 0 ? [{ type: "transfer", attributes: [{ key: "memo", value: "x".repeat(eventBytes), index: true }] }] : [],
});

/** Runs a block of results through the budget the way FinalizeBlock does; answers the results answered. */
function budgeted(results: readonly ExecTxResult[], begin: readonly Event[] = []): ExecTxResult[] {
  const b = new BlockAnswerBudget(results.length, begin);
  return results.map((r) => (b.full ? b.refuse(r.gasWanted) : b.admit(r) ? r : b.refuse(r.gasWanted)));
}

describe("the block answer budget", () => {
  test("sizes are the encoded bytes, and MAX_BLOCK_TXS refusals fit with room to spare", () => {
    for (const r of [result(0), result(10), result(300, 5), result(200_000)]) {
      assert.equal(txResultFieldBytes(r), ResponseFinalizeBlock.encode(ResponseFinalizeBlock.fromPartial({ txResults: [r] })).finish().length);
    }
    const events = [result(50).events[0]!, result(70_000).events[0]!];
    assert.equal(eventsFieldBytes(events), ResponseFinalizeBlock.encode(ResponseFinalizeBlock.fromPartial({ events })).finish().length);
    assert.ok(MAX_BLOCK_TXS * REFUSAL_MAX_BYTES <= TX_RESULTS_LIMIT_BYTES / 2, `${MAX_BLOCK_TXS} refusals of ${REFUSAL_MAX_BYTES} bytes`);
  });

  test("random blocks: the answer always fits, what fits is a prefix, and a block that fits loses nothing", () => {
    const next = rng(15);
    let cut = 0;
    for (let i = 0; i < 48; i++) {
      const count = Math.floor(next() * 3000);
      const scale = [100, 1500, 8_000, 200_000][i % 4]!;
      const results = Array.from({ length: count }, () => result(Math.floor(next() * scale), next() < 0.1 ? 5 : 0));
      const begin = next() < 0.5 ? [] : [result(Math.floor(next() * 50_000)).events[0]!];
      const out = budgeted(results, begin);
      const size = encodeFinalizeBlockAnswer({ txResults: out, events: begin }).length;
      assert.ok(size <= TX_RESULTS_LIMIT_BYTES, `block ${i}: ${count} txs answered in ${size} bytes`);
      const refused = out.findIndex((r) => r.codespace === ErrBlockAnswerFull.codespace);
      if (refused >= 0) {
        cut++;
        assert.deepEqual(out.slice(0, refused), results.slice(0, refused), "the txs before the first refusal keep their results");
        assert.ok(out.slice(refused).every((r) => r.code === ErrBlockAnswerFull.code && r.codespace === "trustnet" && r.events.length === 0 && r.gasUsed === 0n));
        assert.match(out[refused]!.log, /^block answer full: /);
      }
      const whole = eventsFieldBytes(begin) + results.reduce((sum, r) => sum + txResultFieldBytes(r), 0);
      if (whole + count * REFUSAL_MAX_BYTES <= TX_RESULTS_LIMIT_BYTES) assert.equal(refused, -1, `block ${i} fits whole`);
    }
    assert.ok(cut >= 6 && cut <= 42, `${cut} of 48 blocks were cut`);
  });

  test("the worst block: MAX_BLOCK_TXS txs whose results are all huge", () => {
    const out = budgeted(Array.from({ length: MAX_BLOCK_TXS }, () => result(100_000)));
    assert.ok(encodeFinalizeBlockAnswer({ txResults: out }).length <= TX_RESULTS_LIMIT_BYTES);
    assert.ok(out.filter((r) => r.code === 0).length > 0 && out.at(-1)!.codespace === "trustnet");
  });

  test("end-block events past the limit are dropped from the end, and a marker says how many", () => {
    const events = Array.from({ length: 40 }, () => result(20_000).events[0]!);
    const all = fitEndEvents(0, 0, events);
    assert.equal(all.dropped, 0);
    assert.equal(all.events.length, 40);
    const used = ABCI_ANSWER_LIMIT_BYTES - 300_000;
    const fit = fitEndEvents(used, 1024, events);
    assert.ok(fit.dropped > 0 && fit.dropped < 40);
    assert.deepEqual(fit.events.slice(0, -1), events.slice(0, 40 - fit.dropped));
    assert.deepEqual(fit.events.at(-1), { type: "block_answer_trimmed", attributes: [{ key: "dropped_events", value: String(fit.dropped), index: false }] });
    assert.ok(used + 1024 + eventsFieldBytes(fit.events) <= ABCI_ANSWER_LIMIT_BYTES);
  });
});

describe("the app under the budget", () => {
  const OUTPUTS = 1000;
  // 16 × 6.2M gas fits the harness's max_gas of 100M; 16 × ~290 KB of results does not fit the answer.
  const TXS = 16;
  const multiSend = (from: TestKey, first: number, amount: string) => ({
    typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
    value: {
      inputs: [{ address: from.address, coins: [{ denom: "utrust", amount: String(BigInt(amount) * BigInt(OUTPUTS)) }] }],
      // Ten recipients per tx, a hundred outputs each: the events of 1,000 outputs for the gas of ten new accounts.
      outputs: Array.from({ length: OUTPUTS }, (_, i) => ({ address: outputAddress(first + (i % 10)), coins: [{ denom: "utrust", amount }] })),
    },
  });
  const addresses: string[] = [];
  const outputAddress = (i: number): string => addresses[i]!;
  const recipients = async (): Promise<void> => {
    for (let i = addresses.length; i < 160; i++) addresses.push((await testKey(100_000 + i)).address);
  };
  const sequence = (h: Harness, address: string): bigint => h.query("/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode({ address }).finish(),
    (b) => BaseAccount.decode(QueryAccountResponse.decode(b).account!.value).sequence);

  test("a block of MultiSends with ~290 KB of events each: the first txs apply, the rest are refused and change nothing", async () => {
    await recipients();
    const alice = await testKey(41);
    const h = await harness({ dbPath: db, validators: [], funded: [alice], checkInvariants: false });
    const twin = await harness({ dbPath: db, validators: [], funded: [alice], checkInvariants: false });
    stores.push(h.store, twin.store);
    h.block([]);
    twin.block([]);
    const txs = [];
    for (let t = 0; t < TXS; t++) txs.push(await h.tx(alice, [multiSend(alice, t * 10, "3")], 6_200_000n));
    const before = h.balance(alice.address);
    // The twin, a second app on its own store: the same block answers the same bytes (the rule is deterministic).
    const r = h.block(txs);
    const again = twin.block(txs);
    const bytes = encodeFinalizeBlockAnswer(r);
    assert.deepEqual(encodeFinalizeBlockAnswer(again), bytes);
    assert.ok(bytes.length <= ABCI_ANSWER_LIMIT_BYTES, `answer of ${bytes.length} bytes`);
    const k = r.txResults.findIndex((x) => x.code !== 0);
    assert.ok(k >= 1 && k < TXS, `the first ${k} of ${TXS} applied`);
    assert.ok(r.txResults.slice(0, k).every((x) => x.code === 0 && x.events.length > 2 * OUTPUTS));
    for (const x of r.txResults.slice(k)) {
      assert.equal(x.code, 1);
      assert.equal(x.codespace, "trustnet");
      assert.match(x.log, /^block answer full: .*not executed/);
      assert.equal(x.gasUsed, 0n);
      assert.equal(x.gasWanted, 6_200_000n);
    }
    assert.equal(sequence(h, alice.address), BigInt(k), "the refused txs did not use their sequence");
    const fee = BigInt(AuthInfo.decode(TxRaw.decode(txs[0]!).authInfoBytes).fee!.amount[0]!.amount);
    assert.equal(before - h.balance(alice.address), BigInt(k) * (BigInt(OUTPUTS * 3) + fee), "only the applied txs moved coins and paid fees");
    assert.equal(h.balance(outputAddress(k * 10)), 0n, "a refused tx's recipients got nothing");
    assert.equal(h.balance(outputAddress(k * 10 - 1)), 300n);

    // The refused txs, signed again from sequence k, apply in the next blocks (the proposer now expects big results).
    for (let t = k; t < TXS; t++) h.rollbackSequence(alice);
    const resend = [];
    for (let t = k; t < TXS; t++) resend.push(await h.tx(alice, [multiSend(alice, t * 10, "3")], 6_200_000n));
    const proposal = h.app.prepareProposal({ txs, maxTxBytes: 22_020_096n, height: h.height + 1n } as never).txs ?? [];
    assert.ok(proposal.length >= 1 && proposal.length <= k, `the proposer would now take ${proposal.length} of the ${TXS}, at most the ${k} that fit: it learned their results`);
    let left = resend;
    while (left.length > 0) {
      const take = h.app.prepareProposal({ txs: left, maxTxBytes: 22_020_096n, height: h.height + 1n } as never).txs ?? [];
      const res = h.block(take);
      assert.ok(res.txResults.every((x) => x.code === 0), "every proposed block applies whole");
      left = left.slice(take.length);
    }
    assert.equal(sequence(h, alice.address), BigInt(TXS));
    assert.equal(h.balance(outputAddress(TXS * 10 - 1)), 300n);
  });

  test("CheckTx measures a large tx's results and refuses one that could never fit a block's answer, changing nothing", async () => {
    await recipients();
    const alice = await testKey(42);
    const h = await harness({ dbPath: db, validators: [], funded: [alice], checkInvariants: false });
    stores.push(h.store);
    h.block([]);
    const many = (n: number) => ({
      typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend",
      value: {
        inputs: [{ address: alice.address, coins: [{ denom: "utrust", amount: String(n) }] }],
        outputs: Array.from({ length: n }, (_, i) => ({ address: outputAddress(i % 10), coins: [{ denom: "utrust", amount: "1" }] })),
      },
    });
    // 14,000 outputs: ~870 KB of tx (under CometBFT's 1 MiB), ~4 MB of results.
    const huge = await h.tx(alice, [many(14_000)], 99_000_000n);
    assert.ok(huge.length < 1024 * 1024 && huge.length >= CHECK_RESULTS_FROM_BYTES);
    const r = h.app.checkTx({ tx: huge, type: 0 });
    assert.equal(r.code, ErrTxResultsTooLarge.code, r.log);
    assert.equal(r.codespace, "trustnet");
    assert.match(r.log ?? "", /^its results take \d+ bytes, more than the \d+ one tx may have in a block's answer .*: tx results too large for any block$/);
    // Nothing of it was kept: the same sequence is free for a tx that fits (a large one, measured too).
    h.rollbackSequence(alice);
    const fits = await h.tx(alice, [many(1_000)], 12_000_000n);
    assert.ok(fits.length >= CHECK_RESULTS_FROM_BYTES, "the measured path");
    assert.equal(h.app.checkTx({ tx: fits, type: 0 }).code, 0);
    const res = h.block([fits]);
    assert.equal(res.txResults[0]?.code, 0);
    assert.ok(txResultFieldBytes(res.txResults[0]!) <= MAX_TX_RESULT_BYTES);
  });

  test("PrepareProposal stops at its estimate of the results, at its own answer's limit and at MAX_BLOCK_TXS; ProcessProposal rejects more", () => {
    const store = StateStore.open(db());
    stores.push(store);
    const app = new TrustNetApp({ store, benchNoopTxs: true });
    app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: "trustnet-local-1", consensusParams: { block: { maxBytes: 22_020_096n, maxGas: -1n } } as never, validators: [], appStateBytes: new TextEncoder().encode("{}"), initialHeight: 1n });
    const noop = (i: number, size = 16): Uint8Array => new TextEncoder().encode(`noop:${String(i).padStart(size - 5, "0")}`);
    const prepare = (txs: Uint8Array[]) => app.prepareProposal({ txs, maxTxBytes: 22_020_096n, height: 2n } as never).txs ?? [];
    // The txs a proposal takes under the estimate: the first always, then while the estimated results fit.
    const underEstimate = (txs: readonly Uint8Array[], est: ProposalAnswerEstimate): number => {
      let sum = 0;
      let n = 0;
      for (const tx of txs) {
        sum += est.estimate(tx.length);
        if (n > 0 && sum > ProposalAnswerEstimate.limit) break;
        n += 1;
      }
      return n;
    };
    const big = Array.from({ length: 60 }, (_, i) => noop(i, 100_000));
    // Before any block the proposer assumes 8 result bytes per tx byte: 6 MB of txs are ~53 MB of results.
    const fresh = new ProposalAnswerEstimate();
    const first = prepare(big);
    assert.equal(first.length, underEstimate(big, fresh));
    assert.ok(first.length >= 3 && first.length <= 5, `${first.length} txs of 100 KB before learning`);
    assert.equal(prepare(Array.from({ length: 12_000 }, (_, i) => noop(i))).length, MAX_BLOCK_TXS, "small txs: the count cap");
    // A block of those: the results (a few bytes each) are far smaller than the txs, and the estimate learns it.
    app.finalizeBlock({ txs: big, height: 1n, time: { seconds: 1_700_000_001n, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] } });
    app.commit();
    // 60 txs of 100 KB: 6 MB of txs, under max_tx_bytes, over what one PrepareProposal answer holds.
    const taken = prepare(big);
    const answerBytes = taken.reduce((s, tx) => s + tx.length + 4, 0);
    assert.ok(taken.length === 41 && answerBytes <= ABCI_ANSWER_LIMIT_BYTES, `${taken.length} big txs, ${answerBytes} bytes`);
    const process = (count: number) => app.processProposal({ txs: Array.from({ length: count }, (_, i) => noop(i)), height: 2n } as never);
    assert.equal(process(MAX_BLOCK_TXS).status, 1, "ACCEPT");
    assert.equal(process(MAX_BLOCK_TXS + 1).status, 2, "REJECT");
  });
});
