// `provider withdraw` with no ids on a provider with more open leases than one transaction takes (100 messages):
// the real CLI against a fake node sends one transaction per 100 leases, in order, with a progress line each.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { leasingTypes as L } from "@trustnet/abci-app";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

const OPEN = 250;

describe("provider withdraw: more open leases than one transaction takes", () => {
  let home: string;
  let node: FakeNode;
  let alice = "";
  const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-withdraw-"));
    node = await startFakeNode({
      abciQuery: (path) => {
        if (path !== "/trustnet.leasing.v1.Query/LeasesByProvider") return undefined;
        const leases = Array.from({ length: OPEN }, (_, i) => L.Lease.fromPartial({ id: BigInt(i + 1), provider: alice, tenant: alice, state: 2n }));
        return { value: L.QueryLeasesResponse.encode({ leases, pagination: [] }).finish() };
      },
    });
    const r = await runCli(["keys", "add", "alice", "--home", home, "-o", "json"], env);
    assert.equal(r.code, 0, r.stderr);
    alice = (JSON.parse(r.stdout) as { address: string }).address;
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });

  test(`${OPEN} open leases: 3 transactions of 100, 100 and 50 withdrawals, in id order, each announced`, async () => {
    const r = await runCli(["provider", "withdraw", "--from", "alice", "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1", "--gas", "2000000", "--fees", "5000utrust", "-o", "json"], env);
    assert.equal(r.code, 0, r.stderr);
    const sent = node.broadcastTxs.map((tx) => TxBody.decode(TxRaw.decode(tx).bodyBytes).messages.map((m) => L.MsgWithdrawLease.decode(m.value).leaseId));
    assert.deepEqual(sent.map((ids) => ids.length), [100, 100, 50], "at most 100 messages per transaction");
    assert.deepEqual(sent.flat(), Array.from({ length: OPEN }, (_, i) => BigInt(i + 1)), "every open lease once, in order");
    assert.match(r.stderr, /batch 1 of 3: leases 1 … 100 \(100\) …\n[^\n]*\nbatch 2 of 3: leases 101 … 200 \(100\) …\n[^\n]*\nbatch 3 of 3: leases 201 … 250 \(50\) …/u);
    const out = JSON.parse(r.stdout) as { lease_ids: string[]; txs: { lease_ids: string[] }[] };
    assert.equal(out.lease_ids.length, OPEN);
    assert.deepEqual(out.txs.map((t) => t.lease_ids.length), [100, 100, 50]);
  });
});
