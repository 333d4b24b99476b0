// The block route's answer, serialized with its txs once (blockJsonBytes): the same bytes JSON.stringify gives its
// object (blockJson), whatever the block holds.
import assert from "node:assert/strict";
import { test } from "node:test";
import { blockJson, blockJsonBytes, type CometBlock } from "./block-json.ts";

const id = { hash: "AB12", parts: { total: 1, hash: "CD34" } };
function block(txs: string[] | null, chainId = "trustnet-local-1"): CometBlock {
  const header = { version: { block: "11", app: "1" }, chain_id: chainId, height: "5", time: "2026-12-07T00:00:00Z", last_block_id: id, last_commit_hash: "", data_hash: "EE", validators_hash: "", next_validators_hash: "", consensus_hash: "", app_hash: "FF", last_results_hash: "", evidence_hash: "", proposer_address: "AA".repeat(20) };
  const last_commit = { height: "4", round: 0, block_id: id, signatures: [{ block_id_flag: 2, validator_address: "AA".repeat(20), timestamp: "t", signature: "c2ln" }, { block_id_flag: 1, validator_address: "", timestamp: "t", signature: null }] };
  return { block_id: id, block: { header, data: { txs }, evidence: { evidence: [{ type: "tendermint/DuplicateVoteEvidence", value: { total_voting_power: "10" } }] }, last_commit } };
}

test("blockJsonBytes is JSON.stringify(blockJson(block)), byte for byte", () => {
  const cases: [string, CometBlock][] = [
    ["txs", block(["AAEC", "/w==", Buffer.alloc(3000, 7).toString("base64")])],
    ["no txs (null)", block(null)],
    ["empty txs", block([])],
    ["a tx that needs escaping", block(['"\\\u0001é'])],
    ["the mark in another field (serialized whole)", block(["AA=="], "\u0000txs\u0000")],
  ];
  for (const [name, b] of cases) {
    const bytes = blockJsonBytes(b).bytes;
    assert.equal(bytes.toString("utf8"), JSON.stringify(blockJson(b)), name);
    assert.deepEqual(JSON.parse(bytes.toString("utf8")), blockJson(b), name);
  }
});
