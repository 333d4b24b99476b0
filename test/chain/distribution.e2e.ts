// x/mint + x/distribution end to end on a 4-validator devnet (real CometBFT, real app processes checking every
// invariant after every block): rewards a delegator withdraws are > 0 and EQUAL the formula computed here from the
// chain's own record - each block's provision (block_results), the fees of the block before it (its txs), and who
// signed the block before it (the next block's last_commit and that height's /validators) - with the community
// tax and the validator's commission. The CLI withdraws rewards (--all) and commission and shows them as JSON, and
// shows x/mint's params, inflation and annual provisions (queries x/mint declares: modules/mint/client/cli.ts), and
// the staking and distribution queries a Cosmos user expects (delegation, redelegations, params, community-pool,
// withdraw-address, slashes) against the chain's own answers.
import assert from "node:assert/strict";
import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { QueryClient, setupDistributionExtension, setupStakingExtension, SigningStargateClient, type StdFee } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { AuthInfo, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { type Devnet, rpc, startDevnet, waitForHeight } from "../helpers/devnet.ts";
import { Exact } from "../../abci-app/src/app/testing/exact.ts";
import { decText, protoDuration } from "../../abci-app/src/sdk/client/json.ts";

const FEE: StdFee = { amount: [{ denom: "utrust", amount: "15000" }], gas: "600000" };
const TAX = 2n; // percent, the devnet genesis
const RATE = 10n; // percent, every devnet validator's commission
const STAKE = 5_000_000n;
/** The whole utrust of a DecCoin amount as the CLI's JSON prints it (LegacyDec text, "12.345000000000000000", as REST and simd). */
const wholeOf = (amount: string | undefined): bigint => BigInt((amount ?? "0").split(".")[0] || "0");

interface Attr { readonly key: string; readonly value: string }
interface Ev { readonly type: string; readonly attributes: readonly Attr[] }
/** A redelegation as `query staking redelegations|redelegation -o json` print it (REST's and simd's shape). */
interface RedelegationJson {
  readonly redelegation: { readonly delegator_address: string; readonly validator_src_address: string; readonly validator_dst_address: string };
  readonly entries: readonly { readonly redelegation_entry: { readonly creation_height: string; readonly initial_balance: string }; readonly balance: string }[];
}

const provisionOf = async (base: string, h: number): Promise<bigint> => {
  const r = await rpc<{ finalize_block_events: Ev[] }>(base, `block_results?height=${h}`);
  return BigInt(r.finalize_block_events.find((e) => e.type === "mint")?.attributes.find((a) => a.key === "amount")?.value ?? "0");
};

/** Fees of block h's txs that passed the ante (code 0 here: the test sends only valid txs, asserted). */
async function feesOf(base: string, h: number): Promise<bigint> {
  const b = await rpc<{ block: { data: { txs: string[] | null } } }>(base, `block?height=${h}`);
  const res = await rpc<{ txs_results: { code: number }[] | null }>(base, `block_results?height=${h}`);
  let sum = 0n;
  (b.block.data.txs ?? []).forEach((t, i) => {
    assert.equal(res.txs_results?.[i]?.code, 0, `tx ${i} of block ${h} succeeded`);
    const fee = AuthInfo.decode(TxRaw.decode(Buffer.from(t, "base64")).authInfoBytes).fee;
    for (const c of fee?.amount ?? []) if (c.denom === "utrust") sum += BigInt(c.amount);
  });
  return sum;
}

/** The power that signed block h-1 (block h's last_commit), and how much of it is `valAddr`'s. */
async function signersOf(base: string, h: number, valAddr: string): Promise<{ mine: bigint; total: bigint }> {
  const b = await rpc<{ block: { last_commit: { signatures: { block_id_flag: number; validator_address: string }[] } } }>(base, `block?height=${h}`);
  const vs = await rpc<{ validators: { address: string; voting_power: string }[] }>(base, `validators?height=${h - 1}&per_page=100`);
  const power = new Map(vs.validators.map((v) => [v.address, BigInt(v.voting_power)]));
  let total = 0n;
  let mine = 0n;
  for (const s of b.block.last_commit.signatures) {
    if (s.block_id_flag !== 2) continue;
    const p = power.get(s.validator_address) ?? 0n;
    total += p;
    if (s.validator_address === valAddr) mine = p;
  }
  return { mine, total };
}

describe("x/distribution on a 4-validator devnet", () => {
  let d: Devnet;
  let client: SigningStargateClient;
  let comet: Comet38Client;
  let me: string;

  before(async () => {
    d = await startDevnet({ validators: 4, portOffset: 5200, blockTime: "300ms" });
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(d.faucet.mnemonic, { prefix: "trust" });
    me = d.faucet.address;
    client = await SigningStargateClient.connectWithSigner(d.rpc, wallet, { broadcastPollIntervalMs: 300 });
    comet = await Comet38Client.connect(d.rpc);
  });
  after(async () => {
    client?.disconnect();
    comet?.disconnect();
    await d?.destroy();
  });

  test("withdrawn rewards are > 0 and equal the formula from the blocks' signers, provisions, fees, tax and commission", async () => {
    await waitForHeight(d.rpc, 2);
    const staking = QueryClient.withExtensions(comet, setupStakingExtension).staking;
    const target = (await staking.validators("BOND_STATUS_BONDED")).validators[2];
    assert.ok(target);
    const pub = Buffer.from(target.consensusPubkey?.value.subarray(2) ?? []).toString("base64");
    const valAddr = (await rpc<{ validators: { address: string; pub_key: { value: string } }[] }>(d.rpc, "validators")).validators.find((v) => v.pub_key.value === pub)?.address;
    assert.ok(valAddr);
    const del = await client.delegateTokens(me, target.operatorAddress, { denom: "utrust", amount: String(STAKE) }, FEE);
    assert.equal(del.code, 0, del.rawLog);
    await waitForHeight(d.rpc, del.height + 12);
    const balBefore = BigInt((await client.getBalance(me, "utrust")).amount);
    const w = await client.withdrawRewards(me, target.operatorAddress, FEE);
    assert.equal(w.code, 0, w.rawLog);
    const got = BigInt((await client.getBalance(me, "utrust")).amount) - balBefore + 15_000n;
    const event = w.events.find((e) => e.type === "withdraw_rewards")?.attributes.find((a) => a.key === "amount")?.value;
    assert.equal(event, `${got}utrust`, "the withdraw_rewards event names what arrived");

    // The formula, block by block from the delegation's next block to the withdrawal's: the block shares its
    // provision plus the fees of the block before; the tax stays in the community pool; the rest goes by the power
    // that signed the block before; the validator keeps its commission; the delegator holds STAKE of its tokens.
    const exact = new Exact();
    for (let b = del.height + 1; b <= w.height; b++) {
      const collected = (await provisionOf(d.rpc, b)) + (await feesOf(d.rpc, b - 1));
      const { mine, total } = await signersOf(d.rpc, b, valAddr);
      const tokens = 10_000_000n + STAKE;
      if (total > 0n) exact.add(collected * (100n - TAX) * mine * (100n - RATE) * STAKE, 100n * total * 100n * tokens);
    }
    assert.ok(got > 0n, "rewards are positive");
    assert.equal(got, exact.floor(), "rewards equal the formula to the utrust");
  });

  test("the CLI: rewards and commission as JSON, withdraw-rewards --all and --commission", async () => {
    const env = { TRUSTNET_KEYRING_PASSPHRASE: "distribution e2e passphrase" };
    const node = ["--node", d.rpc];
    const words = join(d.home, "faucet-words.txt");
    writeFileSync(words, d.faucet.mnemonic, { mode: 0o600 });
    await d.cli(["keys", "import", "fauc", "--mnemonic-file", words], { env });
    const op = JSON.parse(readFileSync(join(d.home, "devnet", "node0", "validator-operator.json"), "utf8")) as { validator: string; mnemonic: string };
    const opWords = join(d.home, "op0-words.txt");
    writeFileSync(opWords, op.mnemonic, { mode: 0o600 });
    await d.cli(["keys", "import", "op0", "--mnemonic-file", opWords], { env });

    const rewards = await d.cliJson<{ rewards: { validator_address: string; reward: { amount: string }[] }[]; total: { amount: string }[] }>(["query", "distribution", "rewards", "fauc", ...node]);
    assert.ok(rewards.rewards.length >= 1, "the faucet delegates");
    assert.match(rewards.total[0]?.amount ?? "", /^\d+\.\d{18}$/, "DecCoins as LegacyDec text, as REST and simd print them");
    assert.ok(wholeOf(rewards.total[0]?.amount) > 0n, "pending rewards are shown");
    const one = await d.cliJson<{ rewards: { amount: string }[] }>(["query", "distribution", "rewards", me, rewards.rewards[0]?.validator_address ?? "", ...node]);
    assert.ok(one.rewards.length === 1);

    const distr = QueryClient.withExtensions(comet, setupDistributionExtension).distribution;
    /** The utrust amounts of a committed tx's events of `type`. */
    const paid = async (hash: string, type: string): Promise<bigint[]> =>
      ((await client.getTx(hash))?.events ?? []).filter((e) => e.type === type).map((e) => BigInt(/^(\d+)utrust$/.exec(e.attributes.find((a) => a.key === "amount")?.value ?? "")?.[1] ?? "0"));
    const out = JSON.parse((await d.cli(["tx", "distribution", "withdraw-rewards", "--all", "--from", "fauc", "--output", "json", ...node], { env })).stdout) as { code: number; txhash: string; messages: string[] };
    assert.equal(out.code, 0);
    assert.deepEqual(out.messages, rewards.rewards.map(() => "/cosmos.distribution.v1beta1.MsgWithdrawDelegatorReward"));
    const amounts = await paid(out.txhash, "withdraw_rewards");
    assert.equal(amounts.length, rewards.rewards.length, "one withdrawal per delegation");
    assert.ok(amounts.reduce((a, b) => a + b, 0n) >= wholeOf(rewards.total[0]?.amount), "at least what was pending a block earlier");

    const commission = await d.cliJson<{ commission: { commission: { amount: string }[] } }>(["query", "distribution", "commission", op.validator, ...node]);
    const earned = wholeOf(commission.commission.commission[0]?.amount);
    assert.ok(earned > 0n, "node0 has earned commission");
    const c = JSON.parse((await d.cli(["tx", "distribution", "withdraw-rewards", "--commission", "--from", "op0", "--output", "json", ...node], { env })).stdout) as { code: number; txhash: string };
    assert.equal(c.code, 0);
    const [got] = await paid(c.txhash, "withdraw_commission");
    assert.ok(got !== undefined && got >= earned, "the commission was paid");
    const left = (await distr.validatorCommission(op.validator)).commission?.commission[0]?.amount ?? "0";
    assert.ok(BigInt(left) < earned * 10n ** 18n, "commission was paid out");
    const bad = await d.cli(["tx", "distribution", "withdraw-rewards", "--from", "fauc", ...node], { env }).then(() => "ok", (e: Error) => e.message);
    assert.match(bad, /name a validator, or use --all or --commission/);
  });

  test("the CLI: mint params, inflation and annual provisions as the gateway's JSON; a missing validator is the chain's error", async () => {
    const node = ["--node", d.rpc];
    const { params } = await d.cliJson<{ params: Record<string, string> }>(["query", "mint", "params", ...node]);
    assert.deepEqual(params, {
      mint_denom: "utrust", inflation_rate_change: "0.130000000000000000", inflation_max: "0.200000000000000000", inflation_min: "0.070000000000000000",
      goal_bonded: "0.670000000000000000", blocks_per_year: String(31_557_600_000n / 300n), // the devnet's year of 300 ms blocks
    });
    const { inflation } = await d.cliJson<{ inflation: string }>(["query", "mint", "inflation", ...node]);
    assert.match(inflation, /^0\.\d{18}$/);
    assert.ok(inflation >= "0.070000000000000000" && inflation <= "0.200000000000000000", `${inflation} is inside the band`);
    assert.match((await d.cli(["query", "mint", "inflation", ...node])).stdout, /^0\.\d{18}$/m, "the text is the LegacyDec text, as the SDK's CLI prints it");
    const { annual_provisions: provisions } = await d.cliJson<{ annual_provisions: string }>(["query", "mint", "annual-provisions", ...node]);
    assert.match(provisions, /^\d+\.\d{18}$/);
    assert.ok(BigInt(provisions.split(".")[0] ?? "0") > 0n, "the minter provisions tokens");

    const nobody = toBech32("trustvaloper", new Uint8Array(20)); // well formed, no such validator
    const err = await d.cli(["query", "distribution", "commission", nobody, ...node]).then(() => "ok", (e: Error) => e.message);
    assert.match(err, /validator does not exist/);
  });
  test("the CLI: staking delegation/redelegations/redelegation/params and distribution community-pool/withdraw-address/slashes/params", async () => {
    const env = { TRUSTNET_KEYRING_PASSPHRASE: "distribution e2e passphrase" };
    const node = ["--node", d.rpc];
    const staking = QueryClient.withExtensions(comet, setupStakingExtension).staking;
    const distr = QueryClient.withExtensions(comet, setupDistributionExtension).distribution;
    const src = (await staking.delegatorDelegations(me)).delegationResponses[0]?.delegation.validatorAddress ?? "";
    const dst = (await staking.validators("BOND_STATUS_BONDED")).validators.find((v) => v.operatorAddress !== src)?.operatorAddress ?? "";
    const refused = async (args: string[]): Promise<string> => d.cli([...args, ...node]).then(() => "ok", (e: Error) => e.message);
    // The queries that do not depend on each other run side by side (each is a CLI process).
    const [one, params, pool, dp, slashes, badHeights] = await Promise.all([
      d.cliJson<{ delegation_response: unknown }>(["query", "staking", "delegation", "fauc", src, ...node]),
      d.cliJson<{ params: { unbonding_time: string; max_entries: number; bond_denom: string } }>(["query", "staking", "params", ...node]),
      d.cliJson<{ pool: { denom: string; amount: string }[] }>(["query", "distribution", "community-pool", ...node]),
      d.cliJson<{ params: { community_tax: string; withdraw_addr_enabled: boolean } }>(["query", "distribution", "params", ...node]),
      d.cliJson<{ slashes: unknown[] }>(["query", "distribution", "slashes", src, "--start", "1", ...node]),
      refused(["query", "distribution", "slashes", src, "--start", "9", "--end", "3"]),
    ]);
    const chain = (await staking.delegation(me, src)).delegationResponse;
    assert.deepEqual(one, { delegation_response: { delegation: { delegator_address: me, validator_address: src, shares: decText(chain?.delegation.shares ?? "") }, balance: { denom: "utrust", amount: chain?.balance.amount } } });
    const chainParams = (await staking.params()).params;
    assert.deepEqual(params.params, { ...params.params, unbonding_time: protoDuration(chainParams?.unbondingTime ?? { seconds: 0n, nanos: 0 }), max_entries: chainParams?.maxEntries, bond_denom: "utrust" });
    assert.equal(pool.pool[0]?.denom, "utrust");
    assert.ok(wholeOf(pool.pool[0]?.amount) > 0n, `the ${TAX}% community tax fills the pool`);
    assert.deepEqual([dp.params.community_tax, dp.params.withdraw_addr_enabled], [decText(String(TAX * 10n ** 16n)), true], "LegacyDec text (0.020000000000000000), as the SDK's CLI");
    assert.deepEqual(slashes, { slashes: [] }, "no validator of this devnet was slashed");
    assert.match(badHeights, /--start 9 is after --end 3/);

    const out = JSON.parse((await d.cli(["tx", "staking", "redelegate", src, dst, "1TRUST", "--from", "fauc", "--output", "json", ...node], { env })).stdout) as { code: number; height: string };
    assert.equal(out.code, 0);
    const opAccount = toBech32("trust", fromBech32((JSON.parse(readFileSync(join(d.home, "devnet", "node0", "validator-operator.json"), "utf8")) as { validator: string }).validator, 90).data);
    const [reds, red, backwards, set] = await Promise.all([
      d.cliJson<{ redelegation_responses: RedelegationJson[] }>(["query", "staking", "redelegations", "fauc", ...node]),
      d.cliJson<{ redelegation_responses: RedelegationJson[] }>(["query", "staking", "redelegation", me, src, dst, ...node]),
      refused(["query", "staking", "redelegation", "fauc", dst, src]),
      d.cli(["tx", "distribution", "set-withdraw-address", "op0", "--from", "fauc", "--output", "json", ...node], { env }),
    ]);
    assert.deepEqual(reds.redelegation_responses.flatMap((r) => r.entries.map((e) => [r.redelegation.delegator_address, r.redelegation.validator_src_address, r.redelegation.validator_dst_address,
      e.redelegation_entry.creation_height, e.redelegation_entry.initial_balance, e.balance])), [[me, src, dst, out.height, "1000000", "1000000"]]);
    assert.deepEqual(red, reds);
    assert.match(backwards, /redelegation not found/);
    assert.equal((JSON.parse(set.stdout) as { code: number }).code, 0);
    assert.deepEqual(await d.cliJson(["query", "distribution", "withdraw-address", "fauc", ...node]), { withdraw_address: opAccount });
    assert.equal((await distr.delegatorWithdrawAddress(me)).withdrawAddress, opAccount);
  });
});
