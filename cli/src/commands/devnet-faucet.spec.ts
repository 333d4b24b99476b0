// `devnet faucet` is a tx like the others: its fee is shown before it is sent and in its result JSON, and a fee above
// the 10 TRUST ceiling is refused unless --max-fee raises it; it pays on this home's devnet unless --node or
// $TRUSTNET_NODE names a node (the real CLI against a fake node).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { devnetLayout } from "../devnet/layout.ts";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

describe("devnet faucet: the fee", () => {
  let home: string;
  let node: FakeNode;
  let faucet: string;
  const chainId = "trustnet-devnet-spec-1";
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-faucet-fee-"));
    node = await startFakeNode({ chainId });
    const wallet = await DirectSecp256k1HdWallet.generate(24, { prefix: "trust" });
    faucet = (await wallet.getAccounts())[0]?.address ?? "";
    const layout = devnetLayout(home);
    await mkdir(layout.root, { recursive: true, mode: 0o700 }); // as devnet generate makes it: the CLI refuses a group-writable one
    await writeFile(layout.manifest, JSON.stringify({ chainId, validators: 1, blockTime: "1s", faucetAddress: faucet, nodes: [] }));
    await writeFile(layout.faucet, JSON.stringify({ address: faucet, mnemonic: wallet.mnemonic }), { mode: 0o600 });
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });
  const to = toBech32("trust", new Uint8Array(20).fill(7));
  // --chain-id is not the devnet's: the faucet signs for the devnet's own chain (devnet.json).
  const fund = (...extra: string[]) => runCli(["devnet", "faucet", to, "5TRUST", "--home", home, "--node", node.url, "--chain-id", "other-1", ...extra]);

  test("the summary on stderr and the result JSON show the fee and the gas limit", async () => {
    const r = await fund("--gas", "200000", "--fees", "5000utrust", "-o", "json");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^Sending 5 TRUST from the devnet faucet to ${to} \\(signed by the devnet faucet, ${faucet}; fee 0\\.005 TRUST \\(5000utrust\\), gas limit 200000\\) …$`, "mu"));
    const out = JSON.parse(r.stdout) as { fee: unknown; from: string; to: string; utrust: string };
    assert.deepEqual(out.fee, { amount: [{ denom: "utrust", amount: "5000" }], gas_limit: "200000" });
    assert.deepEqual([out.from, out.to, out.utrust], [faucet, to, "5000000"]);
  });

  test("text mode: the fee on stderr before sending, the result on stdout", async () => {
    const r = await fund("--gas", "200000", "--gas-prices", "0.025utrust");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^Sending 5 TRUST from the devnet faucet to trust1\w+ \(signed by the devnet faucet, trust1\w+; fee 0\.005 TRUST \(5000utrust\), gas limit 200000\) …$/mu);
    assert.match(r.stdout, /^sent 5 TRUST to trust1\w+ \(tx [0-9A-F]{64}, height \d+\)$/mu);
  });

  test("a fee above 10 TRUST is refused before the node is asked, unless --max-fee raises it", async () => {
    const before = node.calls.length;
    for (const flags of [["--fees", "1000000TRUST"], ["--gas-prices", "5000000utrust"]]) {
      const r = await fund("--gas", "200000", ...flags);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /error: the fee would be 1000000 TRUST \(1000000000000utrust, .*\), above the 10 TRUST ceiling; nothing was sent/u);
      assert.match(r.stderr, /hint: .*--max-fee 1000000000000utrust/u);
    }
    assert.equal(node.calls.length, before, "nothing was asked of the node");
    const raised = await fund("--gas", "200000", "--fees", "20TRUST", "--max-fee", "20TRUST", "-o", "json");
    assert.equal(raised.code, 0, raised.stderr);
    assert.match(raised.stderr, /fee 20 TRUST \(20000000utrust\), gas limit 200000/u);
    assert.ok(node.calls.includes("broadcast_tx_sync"));
  });

  test("without --node or $TRUSTNET_NODE it pays on this home's devnet, at the RPC port its --port-offset gave it", async () => {
    const layout = devnetLayout(home);
    const rpc = Number(new URL(node.url).port);
    await writeFile(layout.manifest, JSON.stringify({ chainId, validators: 1, blockTime: "1s", faucetAddress: faucet, nodes: [{ index: 0, nodeId: "n0", ports: { p2p: rpc - 1, rpc, abci: rpc + 1 } }] }));
    try {
      const before = node.calls.length;
      const r = await runCli(["devnet", "faucet", to, "5TRUST", "--home", home, "--gas", "200000", "--fees", "5000utrust"]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^sent 5 TRUST to trust1\w+ \(tx [0-9A-F]{64}, height \d+\)$/mu);
      assert.ok(node.calls.slice(before).includes("broadcast_tx_sync"), "sent to the devnet's node, not 127.0.0.1:26657");
    } finally {
      await writeFile(layout.manifest, JSON.stringify({ chainId, validators: 1, blockTime: "1s", faucetAddress: faucet, nodes: [] }));
    }
  });

  test("an explicit --node (or $TRUSTNET_NODE) is where it pays, even when it names the default node", async () => {
    const layout = devnetLayout(home);
    const rpc = Number(new URL(node.url).port);
    await writeFile(layout.manifest, JSON.stringify({ chainId, validators: 1, blockTime: "1s", faucetAddress: faucet, nodes: [{ index: 0, nodeId: "n0", ports: { p2p: rpc - 1, rpc, abci: rpc + 1 } }] }));
    try {
      const before = node.calls.length;
      // The default node: nothing listens there in this test (or a node of another chain), so the faucet stops with its
      // error, having asked at most its status; the devnet's own node (the fake) is never asked.
      const line = ["devnet", "faucet", to, "5TRUST", "--home", home, "--gas", "200000", "--fees", "5000utrust"];
      for (const [argv, env] of [[[...line, "--node", "http://127.0.0.1:26657"], {}], [line, { TRUSTNET_NODE: "http://127.0.0.1:26657" }]] as const) {
        const r = await runCli(argv, env);
        assert.notEqual(r.code, 0, r.stdout);
        assert.match(r.stderr, /error: .*http:\/\/127\.0\.0\.1:26657/u);
      }
      assert.equal(node.calls.length, before, "the devnet's node 0 was not asked: the explicit node was");
    } finally {
      await writeFile(layout.manifest, JSON.stringify({ chainId, validators: 1, blockTime: "1s", faucetAddress: faucet, nodes: [] }));
    }
  });

  test("a faucet key other users can read is refused with chmod 600 before the node is asked", async () => {
    const file = devnetLayout(home).faucet;
    const before = node.calls.length;
    await chmod(file, 0o644);
    try {
      const r = await fund("--gas", "200000", "--fees", "5000utrust");
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`error: refusing to use ${file}: it is readable by its group \\(mode 0644\\)`, "u"));
      assert.match(r.stderr, new RegExp(`hint: .*stored unencrypted; make it private: chmod 600 ${file}`, "u"));
      assert.equal(node.calls.length, before, "nothing was asked of the node");
    } finally {
      await chmod(file, 0o600);
    }
  });
});
