// The Cosmos SDK CLI's names for what `trustnet` already does (an operator used to simd/gaiad types them): each runs
// the same command as TrustNet's own name, through the real CLI against a fake node.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { QueryDelegationRewardsRequest, QueryDelegationRewardsResponse, QueryDelegatorValidatorsResponse } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { QueryValidatorsRequest } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

describe("the SDK CLI's names", () => {
  let home: string;
  let node: FakeNode;
  const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-sdk-names-"));
    node = await startFakeNode({ memo: "rent" });
    const r = await runCli(["keys", "add", "alice", "--home", home], env);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });
  const cli = (...argv: string[]) => runCli([...argv, "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1"], env);

  test("query tx <hash> is tx <hash>: the same text, the same JSON, the same hash check", async () => {
    for (const output of [["-o", "json"], []]) {
      const sdk = await cli("query", "tx", node.txHash, ...output);
      const own = await cli("tx", node.txHash, ...output);
      assert.equal(sdk.code, 0, sdk.stderr);
      assert.equal(own.code, 0, own.stderr);
      assert.equal(sdk.stdout, own.stdout);
      assert.match(sdk.stdout, /memo/u);
    }
    const bad = await cli("query", "tx", "1234");
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /invalid tx hash "1234": expected 64 hex digits/u);
    const help = await cli("query", "--help");
    assert.match(help.stdout, /query tx <value> +a committed transaction by hash/u);
  });
});

describe("tx bank send <from> <to> <amount> is send <to> <amount> --from <from>", () => {
  let home: string;
  let node: FakeNode;
  let alice: string;
  const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-bank-send-"));
    node = await startFakeNode();
    const r = await runCli(["keys", "add", "alice", "--home", home, "-o", "json"], env);
    assert.equal(r.code, 0, r.stderr);
    alice = (JSON.parse(r.stdout) as { address: string }).address;
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });
  const cli = (...argv: string[]) => runCli([...argv, "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1"], env);
  const fee = ["--gas", "200000", "--fees", "5000utrust", "--memo", "rent", "-o", "json"];

  test("the same signed tx, summary and JSON, the sender a key name or its address", async () => {
    const own = await cli("send", alice, "1TRUST", "--from", "alice", ...fee);
    assert.equal(own.code, 0, own.stderr);
    for (const from of ["alice", alice]) {
      const sdk = await cli("tx", "bank", "send", from, alice, "1TRUST", ...fee);
      assert.equal(sdk.code, 0, sdk.stderr);
      assert.equal(sdk.stderr, own.stderr);
      assert.equal(sdk.stdout, own.stdout);
      assert.deepEqual(node.broadcastTxs.at(-1), node.broadcastTxs[0], "byte for byte the tx send signs");
    }
    assert.match(own.stderr, /^Sending 1 TRUST to trust1\w+ \(signed by alice, trust1\w+; fee 0\.005 TRUST \(5000utrust\), gas limit 200000\) …$/mu);
  });

  test("a sender that is neither a key nor a key's address, or a --from as well, is refused before the node is asked", async () => {
    const asked = node.calls.length;
    const nokey = await cli("tx", "bank", "send", "bob", alice, "1TRUST");
    const usual = await cli("send", alice, "1TRUST", "--from", "bob");
    assert.match(nokey.stderr, /no key named "bob"/u);
    assert.deepEqual(nokey, usual, "send --from bob's error and exit code");
    const both = await cli("tx", "bank", "send", "alice", alice, "1TRUST", "--from", "alice");
    assert.equal(both.code, 2, both.stderr);
    assert.match(both.stderr, /tx bank send takes the sender as its first argument, not --from/u);
    assert.equal(node.calls.length, asked, "nothing was asked of the node");
  });
});

describe("tx distribution withdraw-all-rewards is withdraw-rewards --all", () => {
  let home: string;
  let node: FakeNode;
  const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
  const validators = [toBech32("trustvaloper", new Uint8Array(20).fill(3)), toBech32("trustvaloper", new Uint8Array(20).fill(4))];
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-withdraw-all-"));
    node = await startFakeNode({
      abciQuery: (path) => (path === "/cosmos.distribution.v1beta1.Query/DelegatorValidators" ? { value: QueryDelegatorValidatorsResponse.encode({ validators }).finish() } : undefined),
    });
    const r = await runCli(["keys", "add", "alice", "--home", home], env);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });
  const cli = (...argv: string[]) => runCli([...argv, "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1", "--from", "alice", "--gas", "300000", "--fees", "9000utrust", "-o", "json"], env);

  test("the same signed tx (one withdrawal per validator delegated to), summary and JSON", async () => {
    const own = await cli("tx", "distribution", "withdraw-rewards", "--all");
    assert.equal(own.code, 0, own.stderr);
    const sdk = await cli("tx", "distribution", "withdraw-all-rewards");
    assert.equal(sdk.code, 0, sdk.stderr);
    assert.equal(sdk.stderr, own.stderr);
    assert.equal(sdk.stdout, own.stdout);
    assert.deepEqual(node.broadcastTxs[1], node.broadcastTxs[0], "byte for byte the tx withdraw-rewards --all signs");
    assert.deepEqual((JSON.parse(sdk.stdout) as { messages: string[] }).messages, validators.map(() => "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward"));
    assert.match(sdk.stderr, /^Withdrawing all rewards \(signed by alice/mu);
  });

  test("it takes no validator, and is listed", async () => {
    const r = await cli("tx", "distribution", "withdraw-all-rewards", validators[0] ?? "");
    assert.equal(r.code, 2, r.stderr);
    const help = await runCli(["tx", "distribution", "--help"]);
    assert.match(help.stdout, /withdraw-all-rewards +withdraw-rewards --all, as the SDK CLI names it/u);
  });
});

describe("query staking validators --status takes the SDK's BOND_STATUS_* names", () => {
  let node: FakeNode;
  const asked: string[] = [];
  before(async () => {
    node = await startFakeNode({
      abciQuery: (path, data) => {
        if (path === "/cosmos.staking.v1beta1.Query/Validators") asked.push(QueryValidatorsRequest.decode(data).status);
        return undefined;
      },
    });
  });
  after(() => node.close());
  const validators = (status: string) => runCli(["query", "staking", "validators", "--status", status, "--node", node.url, "--chain-id", "trustnet-local-1", "-o", "json"]);

  test("BOND_STATUS_BONDED|UNBONDING|UNBONDED|UNSPECIFIED, in any case, are bonded, unbonding, unbonded and all", async () => {
    for (const [status, sent] of [
      ["BOND_STATUS_BONDED", "BOND_STATUS_BONDED"], ["bond_status_unbonding", "BOND_STATUS_UNBONDING"], ["Bond_Status_Unbonded", "BOND_STATUS_UNBONDED"],
      ["BOND_STATUS_UNSPECIFIED", ""], ["Bonded", "BOND_STATUS_BONDED"],
    ] as const) {
      asked.length = 0;
      const sdk = await validators(status);
      assert.equal(sdk.code, 0, `${status}: ${sdk.stderr}`);
      assert.deepEqual(asked, [sent], status);
    }
    const own = await validators("bonded");
    assert.equal(own.stdout, (await validators("BOND_STATUS_BONDED")).stdout, "the same answer as --status bonded");
  });

  test("another value is still refused before the node is asked, naming the choices", async () => {
    asked.length = 0;
    for (const bad of ["BOND_STATUS_JAILED", "jailed"]) {
      const r = await validators(bad);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`Invalid values:[\\s\\S]*status[\\s\\S]*"${bad}"[\\s\\S]*"bonded", "unbonding", "unbonded", "all"`, "u"));
    }
    assert.deepEqual(asked, []);
  });
});

describe("query distribution rewards-by-validator <delegator> <validator> is rewards <delegator> <validator>", () => {
  let node: FakeNode;
  const asked: { delegator: string; validator: string }[] = [];
  const delegator = toBech32("trust", new Uint8Array(20).fill(4));
  const validator = toBech32("trustvaloper", new Uint8Array(20).fill(3));
  before(async () => {
    node = await startFakeNode({
      abciQuery: (path, data) => {
        if (path !== "/cosmos.distribution.v1beta1.Query/DelegationRewards") return undefined;
        const r = QueryDelegationRewardsRequest.decode(data);
        asked.push({ delegator: r.delegatorAddress, validator: r.validatorAddress });
        return { value: QueryDelegationRewardsResponse.encode({ rewards: [{ denom: "utrust", amount: "1500000000000000000000000" }] }).finish() };
      },
    });
  });
  after(() => node.close());
  const q = (...argv: string[]) => runCli(["query", "distribution", ...argv, "--node", node.url, "--chain-id", "trustnet-local-1"]);

  test("the same DelegationRewards query, the same JSON and text", async () => {
    for (const output of [["-o", "json"], []]) {
      const own = await q("rewards", delegator, validator, ...output);
      const sdk = await q("rewards-by-validator", delegator, validator, ...output);
      assert.equal(own.code, 0, own.stderr);
      assert.equal(sdk.code, 0, sdk.stderr);
      assert.equal(sdk.stdout, own.stdout);
    }
    assert.deepEqual(asked.at(-1), { delegator, validator });
    assert.equal(asked.length, 4);
    assert.deepEqual(JSON.parse((await q("rewards-by-validator", delegator, validator, "-o", "json")).stdout), { rewards: [{ denom: "utrust", amount: "1500000.000000000000000000" }] });
  });

  test("both arguments are required, and it is listed", async () => {
    const n = asked.length;
    const r = await q("rewards-by-validator", delegator);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(asked.length, n, "nothing was asked of the node");
    const help = await runCli(["query", "distribution", "--help"]);
    assert.match(help.stdout, /query distribution rewards-by-validator\s+a delegator's pending rewards from one validator\s+<delegator> <validator>/u);
  });
});
