// --generate-only on the tx commands: the unsigned tx as the SDK's JSON on stdout, no passphrase, nothing broadcast
// (the real CLI against a fake node, or none at all).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { SimulateResponse } from "cosmjs-types/cosmos/tx/v1beta1/service";
import { txFromJsonText } from "@trustnet/abci-app";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

const CHAIN = ["--chain-id", "trustnet-local-1"];
const FIXED = ["--gas", "200000", "--fees", "5000utrust"];
/** No node answers here: a command that contacts one fails. */
const NO_NODE = ["--node", "http://127.0.0.1:9"];
const fee = { amount: [{ denom: "utrust", amount: "5000" }], gas_limit: "200000", payer: "", granter: "" };
const OTHER = toBech32("trust", new Uint8Array(20).fill(2));
const VAL = toBech32("trustvaloper", new Uint8Array(20).fill(3));

describe("--generate-only", () => {
  let home: string;
  let node: FakeNode;
  let alice: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-gen-"));
    node = await startFakeNode({
      abciQuery: (path) => (path === "/cosmos.tx.v1beta1.Service/Simulate" ? { value: SimulateResponse.encode({ gasInfo: { gasWanted: 0n, gasUsed: 100_000n } }).finish() } : undefined),
    });
    const r = await runCli(["keys", "add", "alice", "--home", home, "-o", "json"], { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" });
    assert.equal(r.code, 0, r.stderr);
    alice = (JSON.parse(r.stdout) as { address: string }).address;
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });

  test("send: the SDK's unsigned tx JSON on stdout, no passphrase, no node with a fixed gas", async () => {
    const r = await runCli(["send", OTHER, "1TRUST", "--from", "alice", "--memo", "rent", "--home", home, ...NO_NODE, ...CHAIN, ...FIXED, "--generate-only"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      body: {
        messages: [{ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: alice, to_address: OTHER, amount: [{ denom: "utrust", amount: "1000000" }] }],
        memo: "rent", timeout_height: "0", extension_options: [], non_critical_extension_options: [],
      },
      auth_info: { signer_infos: [], fee, tip: null },
      signatures: [],
    });
    assert.equal(r.stdout.split("\n").length, 2, "one line of JSON");
    assert.match(r.stderr, /^Unsigned transaction for alice, trust1\w+ \(fee 0\.005 TRUST \(5000utrust\), gas limit 200000\): sign it with `trustnet tx sign <file> --from <key>`; nothing was sent$/mu);
    txFromJsonText(r.stdout);
  });

  test("--from a plain address that is no key here; tx bank send's positional sender too", async () => {
    const r = await runCli(["send", alice, "2utrust", "--from", OTHER, "--home", home, ...NO_NODE, ...CHAIN, ...FIXED, "--generate-only"]);
    assert.equal(r.code, 0, r.stderr);
    const msg = (JSON.parse(r.stdout) as { body: { messages: { from_address: string }[] } }).body.messages[0];
    assert.equal(msg?.from_address, OTHER);
    const bank = await runCli(["tx", "bank", "send", OTHER, alice, "2utrust", "--home", home, ...NO_NODE, ...CHAIN, ...FIXED, "--generate-only"]);
    assert.equal(bank.code, 0, bank.stderr);
    assert.equal(bank.stdout, r.stdout);
  });

  test("--gas auto: the node simulates it (gas × adjustment), and nothing is broadcast", async () => {
    const r = await runCli(["tx", "staking", "delegate", VAL, "5TRUST", "--from", "alice", "--home", home, "--node", node.url, ...CHAIN, "--gas-adjustment", "1.5", "--generate-only"]);
    assert.equal(r.code, 0, r.stderr);
    const tx = JSON.parse(r.stdout) as { body: { messages: unknown[] }; auth_info: { fee: { gas_limit: string; amount: unknown } } };
    assert.deepEqual(tx.body.messages, [{ "@type": "/cosmos.staking.v1beta1.MsgDelegate", delegator_address: alice, validator_address: VAL, amount: { denom: "utrust", amount: "5000000" } }]);
    assert.equal(tx.auth_info.fee.gas_limit, "150000");
    assert.deepEqual(tx.auth_info.fee.amount, [{ denom: "utrust", amount: "3750" }]);
    assert.ok(node.calls.includes("abci_query /cosmos.tx.v1beta1.Service/Simulate"));
    assert.ok(!node.calls.includes("broadcast_tx_sync"));
  });

  test("--gas auto for an address with no key here and no public key on chain: a clear error", async () => {
    const r = await runCli(["send", alice, "2utrust", "--from", OTHER, "--home", home, "--node", node.url, ...CHAIN, "--generate-only"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: --gas auto simulates the transaction with the signer's public key: trust1\w+ is no key in this keyring and its account has none on chain yet$/mu);
    assert.match(r.stderr, /^hint: pass a gas limit \(e\.g\. --gas 200000\)/mu);
    assert.equal(r.stdout, "");
  });

  test("registry, distribution, slashing and lease txs generate too (what they ask the node first is asked; nothing is broadcast)", async () => {
    const runs: [string[], string][] = [
      [["registry", "namespace", "claim", "acme"], "/trustnet.registry.v1.MsgClaimNamespace"],
      [["tx", "distribution", "set-withdraw-addr", OTHER], "/cosmos.distribution.v1beta1.MsgSetWithdrawAddress"],
      [["tx", "slashing", "unjail"], "/cosmos.slashing.v1beta1.MsgUnjail"],
      [["lease", "close", "7"], "/trustnet.leasing.v1.MsgCloseLease"],
    ];
    for (const [argv, type] of runs) {
      const r = await runCli([...argv, "--from", "alice", "--home", home, "--node", node.url, ...CHAIN, ...FIXED, "--generate-only"]);
      assert.equal(r.code, 0, `${argv.join(" ")}: ${r.stderr}`);
      const tx = JSON.parse(r.stdout) as { body: { messages: { "@type": string }[] } };
      assert.equal(tx.body.messages[0]?.["@type"], type, argv.join(" "));
      txFromJsonText(r.stdout);
    }
    assert.ok(!node.calls.includes("broadcast_tx_sync"));
  });
});
