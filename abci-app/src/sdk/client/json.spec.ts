// camelCaseKeys: the check every CLI JSON document passes (snake_case keys, the proto field names).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { camelCaseKeys, protoJson } from "./json.ts";

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
