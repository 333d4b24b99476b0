// A unit-test world: real auth, bank, staking and distribution keepers over an in-memory Branch (no app, no SQLite),
// so a spec can allocate rewards, change delegations and slash by hand, block by block.
import { sha256 } from "@cosmjs/crypto";
import { Branch } from "../../store/index.ts";
import { AuthKeeper } from "../../modules/auth/index.ts";
import { BankKeeper, ModuleAccounts } from "../../modules/bank/index.ts";
import { newStakingKeeper, type StakingKeeper } from "../../modules/staking/index.ts";
import { createValidator } from "../../modules/staking/validator.ts";
import { EventSink } from "../../sdk/events.ts";
import { bech32Address, moduleAddress } from "../../sdk/address.ts";
import { DEC_ONE } from "../../sdk/dec.ts";
import { distributionHooks, type DistrKeeper, newDistrKeeper } from "../../modules/distribution/index.ts";
import { distributionInvariants } from "../../modules/distribution/invariants.ts";
import type { DistrCtx } from "../../modules/distribution/expected-keepers.ts";

const EMPTY = { get: () => undefined, *iterate() {} };

export interface World {
  readonly store: Branch;
  readonly bank: BankKeeper;
  readonly staking: StakingKeeper;
  readonly distr: DistrKeeper;
  height: bigint;
  ctx(): DistrCtx & { time: Date; chainId: string; mode: "finalize"; gas: never };
  fund(address: string, amount: bigint): void;
  /** Puts `amount` utrust in the fee collector (what the block collected). */
  collect(amount: bigint): void;
  balance(address: string): bigint;
  checkInvariants(): void;
}

/** A 20-byte address from a seed. */
export const addr = (seed: string): Uint8Array => sha256(new TextEncoder().encode(seed)).slice(0, 20);
export const account = (seed: string): string => bech32Address(addr(seed));

export function world(): World {
  const store = new Branch(EMPTY);
  const auth = new AuthKeeper();
  const accounts = new ModuleAccounts();
  accounts.declare([{ name: "fee_collector", permissions: [] }, { name: "distribution", permissions: [] }, { name: "bonded_tokens_pool", permissions: ["burner", "staking"] }, { name: "not_bonded_tokens_pool", permissions: ["burner", "staking"] }]);
  const bank = new BankKeeper(auth, accounts);
  const staking = newStakingKeeper(bank);
  const distr = newDistrKeeper(bank, staking);
  staking.setHooks([distributionHooks(distr)]);
  const w: World = {
    store, bank, staking, distr, height: 1n,
    ctx: () => ({ store, events: new EventSink(), height: w.height, time: new Date(1_700_000_000_000 + Number(w.height) * 1000), chainId: "t", mode: "finalize", gas: undefined as never }),
    fund: (address, amount) => bank.mintCoins(w.ctx(), address, [{ denom: "utrust", amount }]),
    collect: (amount) => bank.mintCoins(w.ctx(), moduleAddress("fee_collector"), [{ denom: "utrust", amount }]),
    balance: (address) => bank.getBalance(store, address, "utrust"),
    checkInvariants() {
      for (const inv of distributionInvariants(distr, staking, bank)) {
        const r = inv.check({ store, height: w.height, chainId: "t" });
        if (r.broken) throw new Error(`${inv.name}: ${r.msg}`);
      }
    },
  };
  return w;
}

/** Creates a validator (operator funded here) with commission `rate` (a Dec) and a self-delegation; returns its bytes. */
export function addValidator(w: World, seed: string, selfDelegation: bigint, rate: bigint = DEC_ONE / 10n): Uint8Array {
  const val = addr(seed);
  w.fund(bech32Address(val), selfDelegation);
  createValidator(w.staking, w.ctx(), {
    val, consKey: sha256(new TextEncoder().encode(`cons-${seed}`)), description: { moniker: seed, identity: "", website: "", securityContact: "", details: "" },
    rates: { rate, maxRate: DEC_ONE, maxChangeRate: DEC_ONE / 100n }, minSelfDelegation: 1n, selfDelegation: { denom: "utrust", amount: selfDelegation },
  });
  return val;
}

