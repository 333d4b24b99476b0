// camelCaseKeys and int64Numbers: the checks every CLI JSON document passes (snake_case keys, the proto field names;
// 64-bit numbers as strings); protoTimestamp: a Timestamp as the gateway prints it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { camelCaseKeys, int64Numbers, protoDuration, protoJson, protoTimestamp } from "./json.ts";

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

describe("protoTimestamp", () => {
  test("RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, as the gateway's jsonpb prints a Timestamp", () => {
    const at = (nanos: number) => protoTimestamp({ seconds: 1_765_000_000n, nanos });
    assert.deepEqual([at(0), at(500_000_000), at(120_000), at(1), at(999_999_999)], [
      "2025-12-06T05:46:40Z", "2025-12-06T05:46:40.500Z", "2025-12-06T05:46:40.000120Z", "2025-12-06T05:46:40.000000001Z", "2025-12-06T05:46:40.999999999Z",
    ]);
    assert.equal(protoTimestamp({ seconds: 0n, nanos: 0 }), "1970-01-01T00:00:00Z");
    assert.equal(protoTimestamp({ seconds: -62_135_596_800n, nanos: 0 }), "0001-01-01T00:00:00Z");
    assert.equal(protoTimestamp({ seconds: 253_402_300_799n, nanos: 0 }), "9999-12-31T23:59:59Z");
  });

  test("a time outside years 1..9999 or nanos outside [0, 10^9) is not a Timestamp: throws", () => {
    for (const t of [{ seconds: -62_135_596_801n, nanos: 0 }, { seconds: 253_402_300_800n, nanos: 0 }, { seconds: 0n, nanos: -1 }, { seconds: 0n, nanos: 1e9 }, { seconds: 0n, nanos: 0.5 }]) {
      assert.throws(() => protoTimestamp(t), RangeError, `${t.seconds} ${t.nanos}`);
    }
  });
});

describe("protoDuration", () => {
  test("seconds with 0, 3, 6 or 9 fractional digits and an s, as the gateway's jsonpb prints a Duration", () => {
    const d = (seconds: bigint, nanos: number) => protoDuration({ seconds, nanos });
    assert.deepEqual([d(1_814_400n, 0), d(0n, 500_000_000), d(600n, 500_000_000), d(600n, 1), d(1n, 120_000), d(0n, 0), d(-1n, -500_000_000), d(0n, -1)], [
      "1814400s", "0.500s", "600.500s", "600.000000001s", "1.000120s", "0s", "-1.500s", "-0.000000001s",
    ]);
    assert.equal(d(315_576_000_000n, 999_999_999), "315576000000.999999999s");
  });

  test("seconds beyond 10,000 years, nanos outside (-10^9, 10^9) or of the other sign are not a Duration: throws", () => {
    for (const [seconds, nanos] of [[315_576_000_001n, 0], [-315_576_000_001n, 0], [0n, 1e9], [0n, -1e9], [1n, -1], [-1n, 1], [0n, 0.5]] as const) {
      assert.throws(() => protoDuration({ seconds, nanos }), RangeError, `${seconds} ${nanos}`);
    }
  });
});
