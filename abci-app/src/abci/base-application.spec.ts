import { describe, test } from "node:test";
import assert from "node:assert/strict";
import {
  RequestFinalizeBlock, RequestPrepareProposal, ResponseApplySnapshotChunk_Result, ResponseOfferSnapshot_Result,
  ResponseProcessProposal_ProposalStatus, ResponseVerifyVoteExtension_VerifyStatus,
} from "cosmjs-types/tendermint/abci/types";
import { BaseApplication, takeTxsWithinLimit } from "./base-application.ts";

const tx = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);

describe("BaseApplication", () => {
  const app = new BaseApplication();

  test("PrepareProposal keeps txs in order while their total size ≤ max_tx_bytes", async () => {
    const txs = [tx(10, 1), tx(20, 2), tx(30, 3), tx(1, 4)];
    const res = await app.prepareProposal(RequestPrepareProposal.fromPartial({ txs, maxTxBytes: 60n }));
    assert.deepEqual(res.txs, [txs[0], txs[1], txs[2]]);
    assert.deepEqual(takeTxsWithinLimit(txs, 59n), [txs[0], txs[1]]); // stops at the first tx that overflows
    assert.deepEqual(takeTxsWithinLimit(txs, 0n), []);
    assert.deepEqual(takeTxsWithinLimit(txs, 1000n), txs);
  });

  test("never answers UNKNOWN to ProcessProposal or VerifyVoteExtension", async () => {
    assert.equal((await app.processProposal({} as never)).status, ResponseProcessProposal_ProposalStatus.ACCEPT);
    assert.equal((await app.verifyVoteExtension({} as never)).status, ResponseVerifyVoteExtension_VerifyStatus.ACCEPT);
  });

  test("FinalizeBlock returns one OK result per tx", async () => {
    const res = await app.finalizeBlock(RequestFinalizeBlock.fromPartial({ txs: [tx(1, 1), tx(2, 2)] }));
    assert.deepEqual(res.txResults?.map((r) => r.code), [0, 0]);
  });

  test("Info is empty (height 0), snapshots are empty and ABORT", async () => {
    assert.deepEqual(await app.info({} as never), {});
    assert.deepEqual((await app.listSnapshots({})).snapshots, []);
    assert.equal((await app.offerSnapshot({} as never)).result, ResponseOfferSnapshot_Result.ABORT);
    assert.equal((await app.applySnapshotChunk({} as never)).result, ResponseApplySnapshotChunk_Result.ABORT);
    assert.equal((await app.commit({})).retainHeight, 0n);
  });
});
