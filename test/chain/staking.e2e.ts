// x/staking end to end: a 4-validator devnet (real CometBFT, real app processes with invariants checked after
// every block), cosmjs's SigningStargateClient and the trustnet CLI. Delegating changes the validator's voting
// power in CometBFT's /validators two blocks later; undelegated tokens come back to the last utrust after the
// (short) unbonding period; bad inputs get the SDK's codes and change nothing.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { QueryClient, setupStakingExtension, SigningStargateClient, type StdFee, type DeliverTxResponse } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { type Devnet, rpc, sleep, startDevnet, waitForHeight } from "../helpers/devnet.ts";

const FEE: StdFee = { amount: [{ denom: "utrust", amount: "15000" }], gas: "600000" };
const UNBONDING_S = 15;

interface CometValidator { readonly pub_key: { readonly value: string }; readonly voting_power: string }

async function powerAt(base: string, h: number, pubkey: string): Promise<number> {
  await waitForHeight(base, h, 30_000);
  const r = await rpc<{ validators: CometValidator[] }>(base, `validators?height=${h}&per_page=100`);
  return Number(r.validators.find((v) => v.pub_key.value === pubkey)?.voting_power ?? 0);
}

/** A tx result code, whether the node refused it in CheckTx (cosmjs throws) or the block failed it. */
async function outcome(p: Promise<DeliverTxResponse>): Promise<{ code: number; log: string; height?: number }> {
  try {
    const r = await p;
    return { code: r.code, log: r.rawLog ?? "", height: r.height };
  } catch (err) {
    const e = err as { code?: number; log?: string; message: string };
    if (typeof e.code === "number") return { code: e.code, log: e.log ?? e.message };
    throw err;
  }
}

describe("x/staking on a 4-validator devnet", () => {
  let d: Devnet;
  let client: SigningStargateClient;
  let me: string;
  let q: ReturnType<typeof setupStakingExtension>["staking"];
  let comet: Comet38Client;

  before(async () => {
    d = await startDevnet({ validators: 4, portOffset: 6000, blockTime: "300ms", unbondingTime: `${UNBONDING_S}s` });
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(d.faucet.mnemonic, { prefix: "trust" });
    me = d.faucet.address;
    client = await SigningStargateClient.connectWithSigner(d.rpc, wallet, { broadcastPollIntervalMs: 300 });
    comet = await Comet38Client.connect(d.rpc);
    q = QueryClient.withExtensions(comet, setupStakingExtension).staking;
  });
  after(async () => {
    client?.disconnect();
    comet?.disconnect();
    await d?.destroy();
  });

  test("genesis validators are staking validators: CometBFT's set equals the bonded set", async () => {
    await waitForHeight(d.rpc, 2);
    const { validators } = await q.validators("BOND_STATUS_BONDED");
    assert.equal(validators.length, 4);
    const comet = await rpc<{ validators: CometValidator[] }>(d.rpc, "validators");
    const fromChain = validators.map((v) => [Buffer.from(v.consensusPubkey?.value.subarray(2) ?? []).toString("base64"), String(BigInt(v.tokens) / 1_000_000n)]).sort();
    assert.deepEqual(comet.validators.map((v) => [v.pub_key.value, v.voting_power]).sort(), fromChain);
    const pool = await q.pool();
    assert.equal(pool.pool.bondedTokens, "40000000");
  });

  test("delegateTokens changes the validator's power in /validators within 2 blocks; undelegate returns every utrust", async () => {
    const { validators } = await q.validators("BOND_STATUS_BONDED");
    const target = validators[1];
    assert.ok(target);
    const pub = Buffer.from(target.consensusPubkey?.value.subarray(2) ?? []).toString("base64");
    const start = BigInt((await client.getBalance(me, "utrust")).amount);
    const del = await client.delegateTokens(me, target.operatorAddress, { denom: "utrust", amount: "5000000" }, FEE);
    assert.equal(del.code, 0, del.rawLog);
    assert.equal(await powerAt(d.rpc, del.height + 2, pub), 15, "power 10 + 5 TRUST at H+2");
    assert.equal(BigInt((await q.delegation(me, target.operatorAddress)).delegationResponse?.balance.amount ?? 0), 5_000_000n);

    const un = await client.undelegateTokens(me, target.operatorAddress, { denom: "utrust", amount: "5000000" }, FEE);
    assert.equal(un.code, 0, un.rawLog);
    assert.equal(await powerAt(d.rpc, un.height + 2, pub), 10);
    const ubd = (await q.delegatorUnbondingDelegations(me)).unbondingResponses;
    assert.equal(ubd[0]?.entries[0]?.balance, "5000000");
    // x/distribution pays the delegation's rewards when it changes (the SDK's auto-withdraw): the undelegate tx's
    // withdraw_rewards event says how much
    const rewards = BigInt(/^(\d+)utrust$/.exec(un.events.find((e) => e.type === "withdraw_rewards")?.attributes.find((x) => x.key === "amount")?.value ?? "")?.[1] ?? "0");
    assert.equal(BigInt((await client.getBalance(me, "utrust")).amount), start - 5_000_000n - 30_000n + rewards, "still unbonding");
    const done = Date.now() + (UNBONDING_S + 20) * 1000;
    while (Date.now() < done && BigInt((await client.getBalance(me, "utrust")).amount) !== start - 30_000n + rewards) await sleep(500);
    assert.equal(BigInt((await client.getBalance(me, "utrust")).amount), start - 30_000n + rewards, "every utrust back after the unbonding period, only the two fees spent (plus the rewards paid)");
    assert.equal((await q.pool()).pool.notBondedTokens, "0");
  });

  test("bad inputs get the SDK codes and change nothing", async () => {
    const { validators } = await q.validators("BOND_STATUS_BONDED");
    const [a, b, c] = validators;
    assert.ok(a && b && c);
    const ghost = toBech32("trustvaloper", new Uint8Array(20).fill(7));
    const setup = await client.delegateTokens(me, a.operatorAddress, { denom: "utrust", amount: "2000000" }, FEE);
    assert.equal(setup.code, 0, setup.rawLog);
    const red = await client.signAndBroadcast(me, [{ typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate", value: { delegatorAddress: me, validatorSrcAddress: a.operatorAddress, validatorDstAddress: b.operatorAddress, amount: { denom: "utrust", amount: "1000000" } } }], FEE);
    assert.equal(red.code, 0, red.rawLog);
    const before = { bal: (await client.getBalance(me, "utrust")).amount, dels: JSON.stringify((await q.delegatorDelegations(me)).delegationResponses.map((x) => [x.delegation.validatorAddress, x.delegation.shares])) };
    let feesSpent = 0n;
    const cases: [string, () => Promise<DeliverTxResponse>, number][] = [
      ["delegate to a nonexistent validator", () => client.delegateTokens(me, ghost, { denom: "utrust", amount: "1" }, FEE), 3],
      ["undelegate more than delegated", () => client.undelegateTokens(me, a.operatorAddress, { denom: "utrust", amount: "1000001" }, FEE), 18],
      ["a transitive redelegation", () => client.signAndBroadcast(me, [{ typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate", value: { delegatorAddress: me, validatorSrcAddress: b.operatorAddress, validatorDstAddress: c.operatorAddress, amount: { denom: "utrust", amount: "1" } } }], FEE), 32],
      ["delegate another denom", () => client.delegateTokens(me, a.operatorAddress, { denom: "uatom", amount: "5" }, FEE), 18],
      ["delegate 0", () => client.delegateTokens(me, a.operatorAddress, { denom: "utrust", amount: "0" }, FEE), 18],
    ];
    for (const [what, send, code] of cases) {
      const r = await outcome(send());
      assert.equal(r.code, code, `${what}: ${r.log}`);
      if (r.height !== undefined) feesSpent += 15_000n;
    }
    assert.equal((await client.getBalance(me, "utrust")).amount, (BigInt(before.bal) - feesSpent).toString(), "only fees of txs that reached a block");
    assert.equal(JSON.stringify((await q.delegatorDelegations(me)).delegationResponses.map((x) => [x.delegation.validatorAddress, x.delegation.shares])), before.dels);
  });

  test("the CLI: delegate by key name, query validators/delegations/unbonding/pool as JSON", async () => {
    const env = { TRUSTNET_KEYRING_PASSPHRASE: "staking e2e passphrase" };
    const words = join(d.home, "faucet-words.txt");
    writeFileSync(words, d.faucet.mnemonic, { mode: 0o600 });
    await d.cli(["keys", "import", "fauc", "--mnemonic-file", words], { env });
    const node = ["--node", d.rpc];
    const vals = await d.cliJson<{ validators: { operatorAddress: string; power: string; status: string }[] }>(["query", "staking", "validators", "--status", "bonded", ...node]);
    assert.equal(vals.validators.length, 4);
    const target = vals.validators[3];
    assert.ok(target);
    // The validator named by its operator's account address (trust1…): the CLI turns it into trustvaloper1….
    const account = toBech32("trust", fromBech32(target.operatorAddress, 90).data);
    const out = JSON.parse((await d.cli(["tx", "staking", "delegate", account, "3TRUST", "--from", "fauc", "--output", "json", ...node], { env })).stdout) as { code: number };
    assert.equal(out.code, 0);
    const dels = await d.cliJson<{ delegations: { validator: string; balance: { amount: string } }[] }>(["query", "staking", "delegations", "fauc", ...node]);
    assert.equal(dels.delegations.find((x) => x.validator === target.operatorAddress)?.balance.amount, "3000000");
    await d.cli(["tx", "staking", "undelegate", target.operatorAddress, "1TRUST", "--from", "fauc", ...node], { env });
    const unb = await d.cliJson<{ entries: { validator: string; balance: string }[] }>(["query", "staking", "unbonding", "fauc", ...node]);
    assert.ok(unb.entries.some((e) => e.validator === target.operatorAddress && e.balance === "1000000"));
    const one = await d.cliJson<{ power: string }>(["query", "staking", "validator", target.operatorAddress, ...node]);
    assert.equal(one.power, "12");
    const pool = await d.cliJson<{ bondedTokens: string }>(["query", "staking", "pool", ...node]);
    assert.ok(BigInt(pool.bondedTokens) > 40_000_000n);
    await assert.rejects(d.cli(["tx", "staking", "delegate", "trustvaloper1nope", "1TRUST", "--from", "fauc", ...node], { env }), /invalid validator address/);
  });
});
