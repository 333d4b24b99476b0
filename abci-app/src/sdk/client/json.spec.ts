// camelCaseKeys and int64Numbers: the checks every CLI JSON document passes (snake_case keys, the proto field names;
// 64-bit numbers as strings).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { camelCaseKeys, int64Numbers, protoJson } from "./json.ts";

describe("camelCaseKeys", () => {
  test("names every camelCase key by its path, in arrays and nested objects; snake_case, @type and values pass", () => {
    const doc = { "@type": "/x", tx_hash: "A", fee: { gasLimit: "1", amount: [{ denom: "utrust", amount: "5" }] }, rows: [{ creationHeight: "3", note: "camelCase values are data" }] };
    assert.deepEqual(camelCaseKeys(doc), ["fee.gasLimit", "rows[].creationHeight"]);
    assert.deepEqual(camelCaseKeys([{ aB: 1 }, null, "x"]), ["[].aB"]);
  });

  test("keys under a declared data map (attribute names, denoms) are data, not checked", () => {
    const doc = { providers: [{ owner_address: "t", labels: { gpuModel: "a100" } }] };
    assert.deepEqual(camelCaseKeys(doc), ["providers[].labels.gpuModel"]);
    assert.deepEqual(camelCaseKeys(doc, ["providers[].labels"]), []);
  });

  test("protoJson's output passes: every key renamed", () => {
    assert.deepEqual(camelCaseKeys(protoJson({ chainId: "c", nodes: [{ nodeId: "n", ports: { p2p: 1 } }] })), []);
  });
});

describe("int64Numbers", () => {
  test("names every JSON number under a 64-bit key (or a *_height key) by its path; strings, 32-bit keys and local counts pass", () => {
    const doc = { txhash: "A", height: 9, code: 0, index: 0, gas_used: "50000", fee: { amount: [{ denom: "utrust", amount: 5 }], gas_limit: "200000" }, txs: [{ height: 7 }, { height: "8" }], lease: { created_height: 3, ssh_port: 2222 }, peers: 3 };
    assert.deepEqual(int64Numbers(doc), ["height", "fee.amount[].amount", "txs[].height", "lease.created_height"]);
  });

  test("protoJson's output passes: bigints become strings", () => {
    assert.deepEqual(int64Numbers(protoJson({ height: 5n, accountNumber: 1n, sequence: 2n, code: 0 })), []);
  });
});
