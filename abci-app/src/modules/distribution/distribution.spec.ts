// x/distribution through the real app (real SQLite, cosmjs-signed txs, every invariant after every block): rewards
// withdrawn equal the formula computed here from each block's signers, provision and fees, tax and commission.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { QueryDelegationRewardsRequest, QueryDelegationRewardsResponse, QueryDelegatorWithdrawAddressRequest, QueryDelegatorWithdrawAddressResponse } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import type { ResponseFinalizeBlock, VoteInfo } from "cosmjs-types/tendermint/abci/types";
import { FEE, harness, operator, type Harness } from "../../app/testing/staking.ts";
import { testKey } from "../../app/testing/tx-builder.ts";
import { moduleAddress } from "../../sdk/address.ts";
import { Exact } from "../../app/testing/exact.ts";

const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-distr-")), "state.db");
const D = "/cosmos.distribution.v1beta1.";
const E18 = 10n ** 18n;
const coin = (amount: bigint) => ({ denom: "utrust", amount: String(amount) });
const delegateMsg = (delegatorAddress: string, validatorAddress: string, amount: bigint): EncodeObject =>
  ({ typeUrl: "/cosmos.staking.v1beta1.MsgDelegate", value: { delegatorAddress, validatorAddress, amount: coin(amount) } });
const withdrawMsg = (delegatorAddress: string, validatorAddress: string): EncodeObject => ({ typeUrl: `${D}MsgWithdrawDelegatorReward`, value: { delegatorAddress, validatorAddress } });
const commissionMsg = (validatorAddress: string): EncodeObject => ({ typeUrl: `${D}MsgWithdrawValidatorCommission`, value: { validatorAddress } });

/** What one finalized block tells the formula: its minted provision and the votes of the block before it. */
interface BlockFacts {
  readonly provision: bigint;
  readonly votes: VoteInfo[];
}
function facts(h: Harness, r: ResponseFinalizeBlock): BlockFacts {
  const mint = r.events.find((e) => e.type === "mint");
  return { provision: BigInt(mint?.attributes.find((a) => a.key === "amount")?.value ?? "0"), votes: h.lastVotes };
}

describe("x/distribution", async () => {
  const ops = await Promise.all([1, 2, 3, 4].map(operator));
  const [v0, v1] = ops as [(typeof ops)[0], (typeof ops)[0]];
  const alice = await testKey(31);
  const bob = await testKey(32);
  const mint = { params: { inflation_min: "0.1", inflation_max: "0.1", blocks_per_year: "1000" }, minter: { inflation: "0.1" } };

  test("rewards and commission withdrawn equal the formula from the blocks' signers, provision, fees, tax and commission", async () => {
    const h = await harness({ validators: ops, funded: [alice, bob], signing: true, dbPath, appState: { mint, distribution: { params: { community_tax: "0.05" } } } });
    const blocks = new Map<bigint, BlockFacts>();
    const fees = new Map<bigint, bigint>();
    const step = (r: ResponseFinalizeBlock): ResponseFinalizeBlock => (blocks.set(h.height, facts(h, r)), r);
    step(h.block());
    const d = step(h.block([await h.tx(alice, [delegateMsg(alice.address, v0.valoper, 5_000_000n)])]));
    assert.equal(d.txResults[0]?.code, 0, d.txResults[0]?.log);
    fees.set(h.height, FEE());
    const start = h.height;
    for (let i = 0; i < 10; i++) step(h.block());
    const pending = h.query(`${D}Query/DelegationRewards`, QueryDelegationRewardsRequest.encode({ delegatorAddress: alice.address, validatorAddress: v0.valoper }).finish(), QueryDelegationRewardsResponse.decode).rewards;
    const before = h.balance(alice.address);
    const w = step(h.block([await h.tx(alice, [withdrawMsg(alice.address, v0.valoper)])]));
    assert.equal(w.txResults[0]?.code, 0, w.txResults[0]?.log);
    fees.set(h.height, FEE());
    const got = h.balance(alice.address) - before + FEE();

    // The formula: each block b shares provision(b) + fees(b-1); 5% to the community pool; the rest by the power
    // that signed b-1; v0 keeps 10% commission; alice holds 5M of v0's 15M tokens.
    const tax = 5n;
    const rate = 10n;
    const collected = (b: bigint): bigint => (blocks.get(b)?.provision ?? 0n) + (fees.get(b - 1n) ?? 0n);
    const v0Cons = h.lastVotes.find((v) => v.validator.power === 15n)?.validator.address;
    assert.ok(v0Cons, "v0 signs with power 15 after the delegation");
    const share = (b: bigint): [bigint, bigint] => {
      const votes = blocks.get(b)?.votes ?? [];
      const total = votes.reduce((s, v) => s + v.validator.power, 0n);
      const mine = votes.find((v) => Buffer.from(v.validator.address).equals(Buffer.from(v0Cons)))?.validator.power ?? 0n;
      return [mine, total];
    };
    const rewards = new Exact();
    for (let b = start + 1n; b <= h.height; b++) {
      const [p, total] = share(b);
      rewards.add(collected(b) * (100n - tax) * p * (100n - rate) * 5_000_000n, 100n * total * 100n * 15_000_000n);
    }
    assert.ok(rewards.floor() > 0n);
    assert.equal(got, rewards.floor(), "withdrawn rewards equal the formula");
    // the query one block earlier answered the same formula without the last block
    const last = share(h.height);
    const earlier = new Exact();
    earlier.add(rewards.n * 100n * last[1] * 100n * 15_000_000n - collected(h.height) * (100n - tax) * last[0] * (100n - rate) * 5_000_000n * rewards.d, rewards.d * 100n * last[1] * 100n * 15_000_000n);
    assert.equal(BigInt(pending[0]?.amount ?? "0") / E18, earlier.floor());

    // commission: 10% of v0's share of every block since the first signed one
    const opBefore = h.balance(v0.key.address);
    const c = step(h.block([await h.tx(v0.key, [commissionMsg(v0.valoper)])]));
    assert.equal(c.txResults[0]?.code, 0, c.txResults[0]?.log);
    fees.set(h.height, FEE());
    const commission = new Exact();
    for (let b = 2n; b <= h.height; b++) {
      const votes = blocks.get(b)?.votes ?? [];
      const total = votes.reduce((s, v) => s + v.validator.power, 0n);
      const mine = votes.find((v) => v.validator.power === 10n || v.validator.power === 15n)?.validator.power ?? 0n;
      if (total > 0n) commission.add(collected(b) * (100n - tax) * mine * rate, 100n * total * 100n);
    }
    assert.equal(h.balance(v0.key.address) - opBefore + FEE(), commission.floor(), "withdrawn commission equals the formula");
  });

  test("set-withdraw-address routes rewards; bad inputs get the SDK codes and change nothing", async () => {
    const h = await harness({ validators: ops, funded: [alice, bob], signing: true, dbPath, appState: { mint } });
    h.block();
    assert.equal((await h.run(alice, [delegateMsg(alice.address, v0.valoper, 5_000_000n)])).code, 0);
    const nobody = await operator(99);
    const cases: [string, typeof alice, EncodeObject, string, number][] = [
      ["withdraw with no delegation", bob, withdrawMsg(bob.address, v0.valoper), "distribution", 5],
      ["withdraw from a missing validator", bob, withdrawMsg(bob.address, nobody.valoper), "distribution", 6],
      ["commission of an account that is no validator", bob, commissionMsg((await operator(32)).valoper), "distribution", 7],
      ["withdraw address is a module account", alice, { typeUrl: `${D}MsgSetWithdrawAddress`, value: { delegatorAddress: alice.address, withdrawAddress: moduleAddress("distribution") } }, "sdk", 4],
      ["withdraw address is not an address", alice, { typeUrl: `${D}MsgSetWithdrawAddress`, value: { delegatorAddress: alice.address, withdrawAddress: "trust1nope" } }, "sdk", 7],
    ];
    for (const [what, key, msg, codespace, code] of cases) {
      const bal = h.balance(key.address);
      const r = await h.run(key, [msg]);
      assert.deepEqual([r.codespace, r.code], [codespace, code], `${what}: ${r.log}`);
      assert.equal(h.balance(key.address), bal - (r.charged ? FEE() : 0n), `${what}: at most the fee is spent`);
    }
    // The delegator (or operator) must sign: bob's signature does not match its key (the SDK's ErrInvalidPubKey).
    for (const msg of [withdrawMsg(alice.address, v0.valoper), commissionMsg(v1.valoper)]) {
      const r = h.block([await h.tx(bob, [msg])]).txResults[0];
      assert.deepEqual([r?.codespace, r?.code], ["sdk", 8], "only the delegator or operator signs");
    }
    const set = await h.run(alice, [{ typeUrl: `${D}MsgSetWithdrawAddress`, value: { delegatorAddress: alice.address, withdrawAddress: bob.address } }]);
    assert.equal(set.code, 0, set.log);
    assert.equal(h.query(`${D}Query/DelegatorWithdrawAddress`, QueryDelegatorWithdrawAddressRequest.encode({ delegatorAddress: alice.address }).finish(), QueryDelegatorWithdrawAddressResponse.decode).withdrawAddress, bob.address);
    const bobBefore = h.balance(bob.address);
    const aliceBefore = h.balance(alice.address);
    assert.equal((await h.run(alice, [withdrawMsg(alice.address, v0.valoper)])).code, 0);
    assert.ok(h.balance(bob.address) > bobBefore, "rewards went to the withdraw address");
    assert.equal(h.balance(alice.address), aliceBefore - FEE());
  });
});
