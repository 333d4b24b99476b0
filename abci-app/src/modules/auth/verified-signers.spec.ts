// The ante's memory of verified signers (verified-signers.ts): a signer counts as verified only against exactly the
// chain id, account number and key it was verified with, for that decoded tx object and signer index.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DecodedTx } from "../../sdk/tx/decode.ts";
import { markVerified, verifiedBefore, verifiedSignerHits } from "./verified-signers.ts";

// The memory keys on the decoded tx's identity and reads nothing of it: plain objects stand in for two decodes.
const tx = {} as DecodedTx;
const other = {} as DecodedTx;
const key = (b: number): Uint8Array => new Uint8Array(33).fill(b);

describe("verified signers", () => {
  test("a hit needs the same decoded tx, signer index, chain id, account number and key", () => {
    const pk = key(2);
    markVerified(tx, 0, "trustnet-local-1", 7n, pk);
    const before = verifiedSignerHits();
    assert.ok(verifiedBefore(tx, 0, "trustnet-local-1", 7n, key(2)), "the same, with an equal key in another array");
    assert.equal(verifiedSignerHits(), before + 1);
    assert.ok(!verifiedBefore(tx, 0, "trustnet-local-2", 7n, pk), "another chain id: other sign bytes");
    assert.ok(!verifiedBefore(tx, 0, "trustnet-local-1", 8n, pk), "another account number: other sign bytes");
    assert.ok(!verifiedBefore(tx, 0, "trustnet-local-1", 7n, key(3)), "another key");
    assert.ok(!verifiedBefore(tx, 1, "trustnet-local-1", 7n, pk), "another signer of the tx");
    assert.ok(!verifiedBefore(other, 0, "trustnet-local-1", 7n, pk), "another decode of the same bytes: verified as before");
    assert.equal(verifiedSignerHits(), before + 1, "misses are not hits");
  });

  test("the key is copied: changing the caller's array afterwards does not change what was verified", () => {
    const pk = key(4);
    markVerified(other, 2, "c", 1n, pk);
    pk[0] = 9;
    assert.ok(!verifiedBefore(other, 2, "c", 1n, pk));
    assert.ok(verifiedBefore(other, 2, "c", 1n, key(4)));
  });
});
