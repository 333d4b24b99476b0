// Distribution genesis: the export of a store with real F1 history (rewards, a new delegation, a slash, withdrawals,
// a withdraw address) imported into an empty store writes exactly the same records, byte for byte; every malformed
// or inconsistent section is refused with a clear message.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sha256 } from "@cosmjs/crypto";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { bech32Address, moduleAddress } from "../../sdk/address.ts";
import { DEC_ONE } from "../../sdk/dec.ts";
import { utf8 } from "../../sdk/keys.ts";
import { addr, addValidator, world, type World } from "../../app/testing/distribution-world.ts";
import { delegate } from "../staking/delegation.ts";
import { allocateTokens } from "./allocation.ts";
import { recordSlash } from "./f1.ts";
import { distributionGenesis } from "./genesis.ts";
import { withdrawCommission, withdrawRewards } from "./msgs.ts";

const vote = (seed: string, power: bigint) => ({
  validator: { address: sha256(sha256(new TextEncoder().encode(`cons-${seed}`))).slice(0, 20), power }, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
});
const DISTR = moduleAddress("distribution");
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const records = (w: World): string[][] => [...w.store.iterate(utf8("distr/"))].map(([k, v]) => [Buffer.from(k).toString("latin1"), hex(v)]);

type Json = Record<string, unknown>;

function busyWorld(): World {
  const w = world();
  const g = distributionGenesis(w.distr);
  g.initGenesis(w.ctx() as never, g.defaultGenesis()); // a new chain's genesis, before its validators
  const v1 = addValidator(w, "v1", 5_000_000n);
  const v2 = addValidator(w, "v2", 3_000_000n, DEC_ONE / 20n);
  const alice = addr("alice");
  w.fund(bech32Address(alice), 10n ** 9n);
  w.distr.setWithdrawAddress(w.store, alice, addr("alice-rewards"));
  for (let b = 0; b < 6; b++) {
    w.height++;
    w.collect(1_234_567n);
    allocateTokens(w.distr, w.ctx(), [vote("v1", 5n), vote("v2", 3n)]);
    if (b === 1) delegate(w.staking, w.ctx(), bech32Address(alice), v1, 2_000_000n, "account");
    if (b === 3) {
      const val = w.staking.getValidator(w.store, v2);
      assert.ok(val);
      recordSlash(w.distr, w.ctx(), v2, val, DEC_ONE / 10n);
      w.staking.setValidator(w.store, v2, { ...val, tokens: ((BigInt(val.tokens) * 9n) / 10n).toString() }, val);
    }
    if (b === 4) withdrawRewards(w.distr, w.ctx(), alice, v1);
  }
  withdrawCommission(w.distr, w.ctx(), v1);
  w.checkInvariants();
  return w;
}

function exported(w: World): Json {
  const g = distributionGenesis(w.distr);
  return JSON.parse(JSON.stringify(g.toJson(g.exportGenesis({ store: w.store, height: w.height, chainId: "t" })))) as Json;
}

/** A fresh world whose distribution account holds `held`, with `json` imported. */
function imported(json: unknown, held: bigint): World {
  const w = world();
  if (held > 0n) w.fund(DISTR, held);
  const g = distributionGenesis(w.distr);
  g.initGenesis(w.ctx() as never, g.validateGenesis(json));
  return w;
}

describe("distribution genesis", () => {
  const w = busyWorld();
  const json = exported(w);
  const held = w.balance(DISTR);

  test("an export with rewards, a delegation, a slash, withdrawals and a withdraw address imports to the same records", () => {
    const lists = json as Record<string, unknown[]>;
    assert.equal(lists.validator_slash_events?.length, 1);
    assert.equal(lists.delegator_withdraw_infos?.length, 1);
    assert.equal(lists.delegator_starting_infos?.length, 3, "two self-delegations and alice's");
    assert.ok((lists.validator_historical_rewards?.length ?? 0) > 2);
    assert.ok(held > 0n);
    const again = imported(json, held);
    assert.deepEqual(records(again), records(w), "the same store records, byte for byte");
    assert.deepEqual(exported(again), json);
  });

  test("a new chain's section (params only, or none) imports to params and an empty pool", () => {
    const fresh = imported({ params: { community_tax: "0.05" } }, 0n);
    assert.deepEqual(exported(fresh), { ...exported(imported(undefined, 0n)), params: { community_tax: "0.050000000000000000", withdraw_addr_enabled: true } });
    assert.deepEqual((exported(fresh).fee_pool as Json).community_pool, []);
  });

  test("a section that is malformed or is no F1 state is refused with a clear message", () => {
    const g = distributionGenesis(world().distr);
    const at = <T>(field: string, i = 0): T => (json[field] as T[])[i] as T;
    const replace = (field: string, i: number, v: unknown): Json => ({ ...json, [field]: (json[field] as unknown[]).map((x, j) => (j === i ? v : x)) });
    type Hist = { validator_address: string; period: string; rewards: { cumulative_reward_ratio: unknown[]; reference_count: number } };
    type Slash = { validator_address: string; height: string; period: string; validator_slash_event: { validator_period: string; fraction: string } };
    type Start = { delegator_address: string; validator_address: string; starting_info: { previous_period: string; stake: string; height: string } };
    const hist = at<Hist>("validator_historical_rewards");
    const slash = at<Slash>("validator_slash_events");
    const start = at<Start>("delegator_starting_infos");
    const pool = (json.fee_pool as { community_pool: { denom: string; amount: string }[] }).community_pool;
    const bad: [string, unknown, RegExp][] = [
      ["not an object", [], /distribution genesis must be an object/],
      ["an unknown field", { ...json, previous_proposer: "" }, /unknown field "previous_proposer"/],
      ["an unknown field in a record", replace("validator_historical_rewards", 0, { ...hist, extra: 1 }), /validator_historical_rewards\[0\]: unknown field "extra"/],
      ["a negative pool", { ...json, fee_pool: { community_pool: pool.map((c) => ({ ...c, amount: `-${c.amount}` })) } }, /community_pool\[0\]\.amount.*not a non-negative decimal/],
      ["a zero coin", { ...json, fee_pool: { community_pool: [{ denom: "utrust", amount: "0.000000000000000000" }] } }, /community_pool\[0\]\.amount must be positive/],
      ["unsorted coins", { ...json, fee_pool: { community_pool: [{ denom: "uzz", amount: "1" }, { denom: "uaa", amount: "1" }] } }, /must be sorted by denom without duplicates/],
      ["a bad denom", { ...json, fee_pool: { community_pool: [{ denom: "1x", amount: "1" }] } }, /denom "1x" is not a valid denom/],
      ["a bad validator address", replace("validator_historical_rewards", 0, { ...hist, validator_address: "trustvaloper1xyz" }), /validator_historical_rewards\[0\]\.validator_address/],
      ["an account address as validator", replace("validator_historical_rewards", 0, { ...hist, validator_address: bech32Address(addr("v1")) }), /validator_address/],
      ["a period beyond uint64", replace("validator_historical_rewards", 0, { ...hist, period: "18446744073709551616" }), /period must be a uint64/],
      ["a numeric period", replace("validator_historical_rewards", 0, { ...hist, period: 1 }), /period must be a uint64/],
      ["a zero reference count", replace("validator_historical_rewards", 0, { ...hist, rewards: { ...hist.rewards, reference_count: 0 } }), /reference_count must be a positive uint32/],
      ["a reference count off by one", replace("validator_historical_rewards", 0, { ...hist, rewards: { ...hist.rewards, reference_count: hist.rewards.reference_count + 1 } }), /reference_count \d+ but \d+ references/],
      ["a historical record twice", { ...json, validator_historical_rewards: [hist, ...(json.validator_historical_rewards as unknown[])] }, /\(validator, period\) in validator_historical_rewards appears twice/],
      ["a slash period that is not its event's", replace("validator_slash_events", 0, { ...slash, period: "99" }), /period and validator_slash_event\.validator_period differ/],
      ["a slash fraction above 1", replace("validator_slash_events", 0, { ...slash, validator_slash_event: { ...slash.validator_slash_event, fraction: "1.5" } }), /fraction must be at most 1/],
      ["a starting period not before the current one", replace("delegator_starting_infos", 0, { ...start, starting_info: { ...start.starting_info, previous_period: "1000" } }), /refers to period 1000, not before its current period/],
      ["a starting info twice", { ...json, delegator_starting_infos: [start, ...(json.delegator_starting_infos as unknown[])] }, /\(validator, delegator\) in delegator_starting_infos appears twice/],
      ["a negative stake", replace("delegator_starting_infos", 0, { ...start, starting_info: { ...start.starting_info, stake: "-1" } }), /stake.*not a non-negative decimal/],
      ["a validator without current rewards", { ...json, validator_current_rewards: (json.validator_current_rewards as unknown[]).slice(1) }, /which has no validator_current_rewards/],
      ["a validator without commission record", { ...json, validator_accumulated_commissions: (json.validator_accumulated_commissions as unknown[]).slice(1) }, /every validator needs one validator_accumulated_commissions record/],
      ["a withdraw address twice", { ...json, delegator_withdraw_infos: [...(json.delegator_withdraw_infos as unknown[]), ...(json.delegator_withdraw_infos as unknown[])] }, /delegator in delegator_withdraw_infos appears twice/],
      ["a bad withdraw address", { ...json, delegator_withdraw_infos: [{ delegator_address: bech32Address(addr("alice")), withdraw_address: "trust1nope" }] }, /withdraw_address/],
    ];
    for (const [what, raw, re] of bad) assert.throws(() => g.validateGenesis(raw), re, what);
  });

  test("an import the distribution account's balance does not back is refused", () => {
    assert.throws(() => imported(json, held - 1n), /the distribution account holds .* but outstanding rewards \+ community pool is/);
    assert.throws(() => imported(json, held + 1n), /the distribution account holds/);
  });
});
