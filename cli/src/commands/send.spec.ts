// What a tx pays is shown before it is sent and in its result, and a fee above the ceiling is refused (the real CLI
// against a fake node).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

describe("send: the fee", () => {
  let home: string;
  let node: FakeNode;
  const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-fee-"));
    node = await startFakeNode();
    const r = await runCli(["keys", "add", "alice", "--home", home], env);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });
  const send = (...extra: string[]) => runCli(["send", "alice", "1TRUST", "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1", ...extra], env);

  test("the summary on stderr and the result JSON show the fee and the gas limit", async () => {
    const r = await send("--gas", "200000", "--fees", "5000utrust", "-o", "json");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^Sending 1 TRUST to trust1\w+ \(signed by alice, trust1\w+; fee 0\.005 TRUST \(5000utrust\), gas limit 200000\) …$/mu);
    assert.deepEqual((JSON.parse(r.stdout) as { fee: unknown }).fee, { amount: [{ denom: "utrust", amount: "5000" }], gas_limit: "200000" });
  });

  test("a fee above 10 TRUST is refused before the node is asked, unless --max-fee raises it", async () => {
    const before = node.calls.length;
    for (const flags of [["--fees", "1000000TRUST"], ["--gas-prices", "5000000utrust"]]) {
      const r = await send("--gas", "200000", ...flags);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /error: the fee would be 1000000 TRUST \(1000000000000utrust, .*\), above the 10 TRUST ceiling; nothing was sent/u);
      assert.match(r.stderr, /hint: .*--max-fee 1000000000000utrust/u);
    }
    assert.equal(node.calls.length, before, "nothing was asked of the node");
    const raised = await send("--gas", "200000", "--fees", "20TRUST", "--max-fee", "20TRUST", "-o", "json");
    assert.equal(raised.code, 0, raised.stderr);
    assert.match(raised.stderr, /fee 20 TRUST \(20000000utrust\), gas limit 200000/u);
    assert.ok(node.calls.includes("broadcast_tx_sync"));
  });
});

describe("send: a fee the node finds too low", () => {
  let home: string;
  let node: FakeNode;
  const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-fee-low-"));
    node = await startFakeNode({
      broadcast: "insufficient-fee",
      abciQuery: (path) => (path === "/cosmos.tx.v1beta1.Service/Simulate" ? { value: SimulateResponse.encode({ gasInfo: { gasWanted: 0n, gasUsed: 50_000n } }).finish() } : undefined),
    });
    const r = await runCli(["keys", "add", "alice", "--home", home], env);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });
  const send = (...extra: string[]) => runCli(["send", "alice", "1TRUST", "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1", "--gas-prices", "0.00001utrust", ...extra], env);

  test("the hint suggests --gas auto only when it was not used", async () => {
    const auto = await send("--gas", "auto");
    assert.equal(auto.code, 1, auto.stderr);
    assert.match(auto.stderr, /^error: fee too low: insufficient fees; got: 1utrust required: 5000utrust$/mu);
    assert.match(auto.stderr, /^hint: the minimum gas price is 0\.025utrust per unit of gas on the devnet; raise --fees or --gas-prices$/mu);
    const fixed = await send("--gas", "200000");
    assert.equal(fixed.code, 1, fixed.stderr);
    assert.match(fixed.stderr, /^hint: the minimum gas price is 0\.025utrust per unit of gas on the devnet; raise --fees or --gas-prices, or use --gas auto$/mu);
  });
});
