// The transports encode FinalizeBlock and CheckTx answers with abci/response-encoder.ts, not cosmjs-types. Here the
// real app answers real txs (bank sends, a refused send, a delegation that changes the validator set), and every
// answer must encode to the very bytes cosmjs-types gives (what CometBFT received before; LastResultsHash covers
// code, data, gas_wanted and gas_used, and CometBFT indexes the events).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { CheckTxType, type ResponseCheckTx, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";
import { callMethod } from "../abci/dispatch.ts";
import { answersEncodeAsCosmjs, cosmjsCheckTx, cosmjsFinalizeBlock } from "../abci/encoding-check.ts";
import { encodeFinalizeBlockAnswer } from "../abci/response-encoder.ts";
import type { StateStore } from "../store/index.ts";
import { harness, operator } from "./testing/staking.ts";
import { sendMsg, testKey, type TestKey } from "./testing/tx-builder.ts";

const dir = mkdtempSync(join(tmpdir(), "tn-resp-enc-"));
// Every store is closed before its directory goes: an open one's WAL checkpointer thread may still create files there.
const stores: StateStore[] = [];
after(() => {
  for (const s of stores) s.close();
  rmSync(dir, { recursive: true, force: true });
});
let n = 0;

describe("FinalizeBlock and CheckTx answers of the real app", () => {
  test("encode exactly as cosmjs-types did, with events, failures and validator updates", async () => {
    const ops = await Promise.all([1, 2].map(operator));
    const [alice, bob] = (await Promise.all([31, 32].map(testKey))) as [TestKey, TestKey];
    const h = await harness({ dbPath: () => join(dir, `s${n++}.db`), validators: ops, funded: [alice, bob], signing: true });
    stores.push(h.store);
    const send = (from: TestKey, to: TestKey, amount: string, denom?: string) => h.tx(from, [sendMsg(from.address, to.address, amount, denom)], 200_000n);

    // A block of sends with one refused (unknown denom) and a delegation: the end blocker answers validator updates.
    const block1 = [...(await Promise.all(Array.from({ length: 12 }, (_, i) => send(alice, bob, String(i + 1))))), await send(bob, alice, "5", "unobtainium")];
    block1.push(await h.tx(bob, [{ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: { delegatorAddress: bob.address, validatorAddress: ops[0]!.valoper, amount: { denom: "utrust", amount: "5000000" } } }]));
    const r1 = h.block(block1);
    assert.equal(r1.txResults.filter((t) => t.code !== 0).length, 1, "one refused send");
    assert.ok(r1.validatorUpdates.length > 0, "the delegation changed the validator set");
    // Sends only: the fast path (no validator updates), and many events per tx.
    const r2 = h.block(await Promise.all(Array.from({ length: 30 }, () => send(bob, alice, "7"))));
    assert.equal(r2.validatorUpdates.length, 0);
    assert.ok(r2.txResults.every((t) => t.code === 0 && t.events.length >= 5), "each send answers its events");
    assert.ok(r2.events.length > 0, "begin/end block events (mint, distribution)");
    const empty = h.block([]);
    assert.equal(answersEncodeAsCosmjs(encodeFinalizeBlockAnswer, cosmjsFinalizeBlock, [r1, r2, empty]), 3);
    assert.deepEqual(ResponseFinalizeBlock.decode(encodeFinalizeBlockAnswer(r2)), ResponseFinalizeBlock.fromPartial(r2));

    // The same through the dispatcher, whose `encoded` bytes the transports send: FinalizeBlock and CheckTx.
    const fb = await callMethod(h.app, "finalizeBlock", {
      txs: [await send(alice, bob, "3")], height: ++h.height, time: { seconds: 1_700_000_100n, nanos: 0 }, hash: new Uint8Array(32),
      misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] },
    });
    assert.ok(fb.ok && fb.encoded);
    assert.deepEqual(Buffer.from(fb.encoded), Buffer.from(cosmjsFinalizeBlock(fb.response.finalizeBlock!)));
    assert.equal(ResponseFinalizeBlock.decode(fb.encoded).txResults[0]?.code, 0);
    h.app.commit();

    const checks = [await send(alice, bob, "9"), await send(alice, bob, "1", "unobtainium"), Uint8Array.of(1, 2, 3)];
    const answers: Partial<ResponseCheckTx>[] = [];
    for (const tx of checks) {
      for (const type of [CheckTxType.NEW, CheckTxType.RECHECK]) {
        const r = await callMethod(h.app, "checkTx", { tx, type });
        assert.ok(r.ok && r.encoded);
        assert.deepEqual(Buffer.from(r.encoded), Buffer.from(cosmjsCheckTx(r.response.checkTx!)));
        answers.push(r.response.checkTx!);
      }
    }
    assert.equal(answers[0]?.code ?? 0, 0, "the good tx is accepted");
    assert.ok(answers.slice(4).every((a) => (a.code ?? 0) !== 0 && (a.log ?? "") !== ""), "undecodable bytes are refused with a log");
  });
});
