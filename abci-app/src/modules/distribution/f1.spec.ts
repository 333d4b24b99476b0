// F1 against a naive reference: random blocks allocate random rewards to validators by signing power, random
// delegations, undelegations and withdrawals follow; the reference splits every block's delegator share exactly
// (rational arithmetic) by each delegation's stake at that block. Every payout equals floor(reference) to the utrust,
// and the distribution account always holds exactly outstanding + community pool (no dust lost).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sha256 } from "@cosmjs/crypto";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { bech32Address, moduleAddress } from "../../sdk/address.ts";
import { DEC_ONE } from "../../sdk/dec.ts";
import { prng } from "../../store/testing/helpers.ts";
import { delegate, unbond } from "../staking/delegation.ts";
import { allocateTokens } from "./allocation.ts";
import { withdrawCommission, withdrawRewards } from "./msgs.ts";
import { account, addr, addValidator, world, type World } from "../../app/testing/distribution-world.ts";
import { ErrEmptyDelegationDistInfo, ErrNoValidatorCommission, ErrNoValidatorDistInfo } from "./errors.ts";
import { recordSlash } from "./f1.ts";

/** An exact non-negative rational. */
interface Q { n: bigint; d: bigint }
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
const qadd = (a: Q, b: Q): Q => {
  const n = a.n * b.d + b.n * a.d;
  const d = a.d * b.d;
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
};
const floor = (q: Q): bigint => q.n / q.d;

const consOf = (seed: string): Uint8Array => sha256(sha256(new TextEncoder().encode(`cons-${seed}`))).slice(0, 20);
const vote = (seed: string, power: bigint, signed = true) => ({ validator: { address: consOf(seed), power }, blockIdFlag: signed ? BlockIDFlag.BLOCK_ID_FLAG_COMMIT : BlockIDFlag.BLOCK_ID_FLAG_ABSENT });

function tokens(w: World, val: Uint8Array): bigint {
  return BigInt(w.staking.getValidator(w.store, val)?.tokens ?? "0");
}
function delegated(w: World, del: Uint8Array, val: Uint8Array): bigint {
  return BigInt(w.staking.getDelegation(w.store, del, val)?.shares ?? "0");
}

describe("F1 distribution vs a naive reference", () => {
  for (const seed of [1, 2, 3]) {
    test(`seed ${seed}: 300 blocks of random rewards, delegations, withdrawals and slashes pay exactly floor(reference)`, () => {
      const rand = prng(seed);
      const int = (max: number): bigint => BigInt(1 + Math.floor(rand() * max));
      const w = world();
      const seeds = ["v1", "v2", "v3"];
      const vals = seeds.map((s, i) => addValidator(w, s, 5_000_000n * BigInt(i + 1), (DEC_ONE * BigInt(i * 7)) / 100n));
      const users = ["a", "b", "c", "d"].map((s) => addr(`user-${s}`));
      for (const u of users) w.fund(bech32Address(u), 10n ** 12n);
      // rewards go to separate accounts so the balances show rewards only
      for (const u of users) w.distr.setWithdrawAddress(w.store, u, addr(`rewards-${bech32Address(u)}`));
      const rewardsOf = (u: Uint8Array): bigint => w.balance(bech32Address(addr(`rewards-${bech32Address(u)}`)));
      const key = (u: Uint8Array, v: Uint8Array): string => `${bech32Address(u)}/${bech32Address(v)}`;
      const accrued = new Map<string, Q>();
      const paid = new Map<string, bigint>();
      const settle = (u: Uint8Array, v: Uint8Array): void => {
        const k = key(u, v);
        paid.set(bech32Address(u), (paid.get(bech32Address(u)) ?? 0n) + floor(accrued.get(k) ?? { n: 0n, d: 1n }));
        accrued.delete(k);
      };
      const stakes = new Map<string, Q>();
      let slashes = 0;
      /** After a change the delegation earns on its exact token value (the SDK's rule: value at its last change). */
      const restart = (u: Uint8Array, v: Uint8Array): void => {
        const val = w.staking.getValidator(w.store, v);
        const d = w.staking.getDelegation(w.store, u, v);
        if (val && d) stakes.set(key(u, v), { n: BigInt(d.shares) * BigInt(val.tokens), d: BigInt(val.delegatorShares) });
        else stakes.delete(key(u, v));
      };
      let withdrawals = 0;
      for (let b = 0; b < 300; b++) {
        w.height++;
        w.collect(int(3_000_000));
        const votes = seeds.map((s, i) => vote(s, tokens(w, vals[i] as Uint8Array) / 1_000_000n, rand() > 0.15));
        // what each validator's delegators share this block (the allocation itself is checked in its own test)
        const before = vals.map((v) => w.distr.currentRewards(w.store, v)?.rewards[0]?.amount ?? 0n);
        const toks = vals.map((v) => tokens(w, v));
        allocateTokens(w.distr, w.ctx(), votes);
        vals.forEach((v, i) => {
          const shared = (w.distr.currentRewards(w.store, v)?.rewards[0]?.amount ?? 0n) - (before[i] as bigint);
          // a delegation earns on the stake it had at its last change (the SDK's rule): stake / tokens of the block
          for (const u of users) {
            const st = stakes.get(key(u, v));
            if (st && shared > 0n) accrued.set(key(u, v), qadd(accrued.get(key(u, v)) ?? { n: 0n, d: 1n }, { n: shared * st.n, d: DEC_ONE * st.d * (toks[i] as bigint) }));
          }
        });
        if (rand() < 0.04) {
          // a slash as x/staking's Slash does it: burn ⌊tokens × f⌋, tell distribution the effective fraction
          // rounded up (QuoRoundUp); from then on every delegation of the validator earns on its stake × (1 − f)
          const i = Math.floor(rand() * vals.length);
          const v = vals[i] as Uint8Array;
          const val = w.staking.getValidator(w.store, v);
          assert.ok(val);
          const burn = (BigInt(val.tokens) * int(10)) / 100n;
          const fraction = (burn * DEC_ONE + BigInt(val.tokens) - 1n) / BigInt(val.tokens);
          recordSlash(w.distr, w.ctx(), v, val, fraction);
          w.staking.setValidator(w.store, v, { ...val, tokens: (BigInt(val.tokens) - burn).toString() }, val);
          w.bank.burnCoins(w.ctx(), "not_bonded_tokens_pool", [{ denom: "utrust", amount: burn }]);
          for (const u of users) {
            const st = stakes.get(key(u, v));
            if (st) stakes.set(key(u, v), { n: st.n * (DEC_ONE - fraction), d: st.d * DEC_ONE });
          }
          slashes++;
        }
        for (let op = 0; op < 2; op++) {
          const u = users[Math.floor(rand() * users.length)] as Uint8Array;
          const v = vals[Math.floor(rand() * vals.length)] as Uint8Array;
          const r = rand();
          const has = delegated(w, u, v) > 0n;
          if (r < 0.45) {
            if (has) settle(u, v);
            delegate(w.staking, w.ctx(), bech32Address(u), v, int(4_000_000), "account");
          } else if (r < 0.7 && has) {
            settle(u, v);
            const d = w.staking.getDelegation(w.store, u, v);
            unbond(w.staking, w.ctx(), bech32Address(u), v, (BigInt(d?.shares ?? "0") * int(100)) / 100n);
          } else if (has) {
            settle(u, v);
            withdrawRewards(w.distr, w.ctx() as never, u, v);
            withdrawals++;
          }
          restart(u, v);
        }
        w.checkInvariants();
      }
      for (const u of users) assert.equal(rewardsOf(u), paid.get(bech32Address(u)) ?? 0n, `rewards paid to ${bech32Address(u)}`);
      assert.ok(withdrawals > 20, `${withdrawals} withdrawals`);
      assert.ok(slashes >= 3, `${slashes} slashes`);
      assert.ok(users.some((u) => rewardsOf(u) > 0n));
    });
  }

  test("allocation: community tax, power of the signers only, commission; dust goes to the community pool", () => {
    const w = world();
    const v1 = addValidator(w, "v1", 3_000_000n, DEC_ONE / 10n);
    const v2 = addValidator(w, "v2", 1_000_000n, 0n);
    addValidator(w, "v3", 4_000_000n, 0n);
    w.height++;
    w.collect(1_000_003n);
    allocateTokens(w.distr, w.ctx(), [vote("v1", 3n), vote("v2", 1n), vote("v3", 4n, false)]);
    // 1,000,003 × 0.98 = 980,002.94 for validators; v1 gets 3/4 of it, v2 1/4 (v3 did not sign)
    const forVals = (1_000_003n * DEC_ONE * 98n) / 100n;
    const r1 = (forVals * ((3n * DEC_ONE) / 4n)) / DEC_ONE;
    const r2 = (forVals * ((1n * DEC_ONE) / 4n)) / DEC_ONE;
    assert.equal(w.distr.outstanding(w.store, v1)[0]?.amount, r1);
    assert.equal(w.distr.commission(w.store, v1)[0]?.amount, r1 / 10n);
    assert.equal(w.distr.outstanding(w.store, v2)[0]?.amount, r2);
    assert.equal(w.distr.commission(w.store, v2).length, 0);
    assert.equal(w.distr.communityPool(w.store)[0]?.amount, 1_000_003n * DEC_ONE - r1 - r2);
    assert.equal(w.balance(moduleAddress("distribution")), 1_000_003n);
    assert.equal(w.balance(moduleAddress("fee_collector")), 0n);
    w.checkInvariants();
    // commission: whole coins paid, the fraction stays accumulated
    const op = bech32Address(v1);
    const before = w.balance(op);
    const paid = withdrawCommission(w.distr, w.ctx() as never, v1);
    assert.equal(paid[0]?.amount, r1 / 10n / DEC_ONE);
    assert.equal(w.balance(op) - before, r1 / 10n / DEC_ONE);
    assert.equal(w.distr.commission(w.store, v1)[0]?.amount, (r1 / 10n) % DEC_ONE);
    w.checkInvariants();
  });

  test("no signer: everything goes to the community pool", () => {
    const w = world();
    addValidator(w, "v1", 3_000_000n);
    w.height++;
    w.collect(777n);
    allocateTokens(w.distr, w.ctx(), [vote("v1", 3n, false)]);
    assert.equal(w.distr.communityPool(w.store)[0]?.amount, 777n * DEC_ONE);
    w.checkInvariants();
  });

  test("a slash splits the reward: before at the old stake, after at the slashed stake", () => {
    const w = world();
    const v = addValidator(w, "v1", 10_000_000n, 0n);
    const u = addr("user");
    w.fund(bech32Address(u), 10_000_000n);
    w.height++;
    delegate(w.staking, w.ctx(), bech32Address(u), v, 10_000_000n, "account");
    w.height++;
    w.collect(1_000_000n);
    allocateTokens(w.distr, w.ctx(), [vote("v1", 20n)]);
    // slash 10%: the hook first, then staking burns the tokens (as x/staking's Slash does)
    w.height++;
    recordSlash(w.distr, w.ctx(), v, w.staking.getValidator(w.store, v) as never, DEC_ONE / 10n);
    const val = w.staking.getValidator(w.store, v);
    assert.ok(val);
    w.staking.setValidator(w.store, v, { ...val, tokens: "18000000" }, val);
    w.bank.burnCoins(w.ctx(), "not_bonded_tokens_pool", [{ denom: "utrust", amount: 2_000_000n }]);
    w.height++;
    w.collect(1_000_000n);
    allocateTokens(w.distr, w.ctx(), [vote("v1", 18n)]);
    w.height++;
    const before = w.balance(bech32Address(u));
    withdrawRewards(w.distr, w.ctx() as never, u, v);
    // half of 980,000 before the slash (10M of 20M tokens); after it 9M of 18M, at the per-token ratio truncated to
    // 18 places (489,999.99…): the sum rounds down, the dust stays outstanding
    const after = 9_000_000n * ((980_000n * DEC_ONE) / 18_000_000n);
    assert.equal(w.balance(bech32Address(u)) - before, (490_000n * DEC_ONE + after) / DEC_ONE);
    assert.equal((490_000n * DEC_ONE + after) / DEC_ONE, 979_999n);
    w.checkInvariants();
    assert.equal(w.distr.slashEvents(w.store, v).next().value?.fraction, DEC_ONE / 10n);
  });

  test("bad input: withdraw with no delegation, from a missing validator, commission of nobody; nothing changes", () => {
    const w = world();
    const v = addValidator(w, "v1", 3_000_000n);
    w.height++;
    w.collect(1_000n);
    allocateTokens(w.distr, w.ctx(), [vote("v1", 3n)]);
    const snapshot = JSON.stringify([...w.store.iterate(new Uint8Array())].map(([k, x]) => [Buffer.from(k).toString("hex"), Buffer.from(x).toString("hex")]));
    const stranger = addr("stranger");
    assert.throws(() => withdrawRewards(w.distr, w.ctx() as never, stranger, v), (e) => ErrEmptyDelegationDistInfo.is(e));
    assert.throws(() => withdrawRewards(w.distr, w.ctx() as never, stranger, addr("nobody")), (e) => ErrNoValidatorDistInfo.is(e));
    assert.throws(() => withdrawCommission(w.distr, w.ctx() as never, addr("nobody")), (e) => ErrNoValidatorCommission.is(e));
    const after = JSON.stringify([...w.store.iterate(new Uint8Array())].map(([k, x]) => [Buffer.from(k).toString("hex"), Buffer.from(x).toString("hex")]));
    assert.equal(after, snapshot);
    assert.equal(account("x").startsWith("trust1"), true);
  });
});
