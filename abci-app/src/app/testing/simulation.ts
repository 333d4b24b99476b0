// The randomized in-process simulation (the Cosmos SDK's simulation idea): every block, a weighted random operation
// from the table below builds one message from a random account (or leaves the block empty), the real app executes
// it with every module invariant checked after the block (checkInvariants halts on a broken one), and block time
// jumps a random few seconds so unbondings mature. The block inputs (tx bytes, time step) are recorded, so a replay
// into a fresh app re-signs nothing and must reproduce every app hash.
//
// Adding a module: append `{ module, operations }` to SIM_MODULES (each operation a weight and a generator that
// returns the signer and message, or undefined when it has nothing sensible to do this block). Generators may query
// the app through `s.query`; they must draw randomness only from `s.rand`.
import type { EncodeObject } from "@cosmjs/proto-signing";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import {
  QueryDelegatorUnbondingDelegationsRequest, QueryDelegatorUnbondingDelegationsResponse, QueryValidatorRequest, QueryValidatorResponse,
  QueryValidatorsRequest, QueryValidatorsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import { ED25519_PUBKEY_TYPE } from "../../modules/staking/keeper.ts";
import { type Harness, harness, operator, type Operator } from "./staking.ts";
import { testKey, type TestKey } from "./tx-builder.ts";
import { prng } from "../../store/testing/helpers.ts";

export interface SimState {
  readonly h: Harness;
  readonly rand: () => number;
  readonly users: readonly TestKey[];
  /** Genesis operators and would-be operators (who may send MsgCreateValidator). */
  readonly operators: readonly Operator[];
  pick<T>(xs: readonly T[]): T;
  /** 1 … max utrust. */
  amount(max?: number): string;
  query<T>(path: string, data: Uint8Array, decode: (b: Uint8Array) => T): T;
}

export interface SimOperation {
  readonly name: string;
  readonly weight: number;
  generate(s: SimState): { signer: TestKey; msg: EncodeObject } | undefined;
}

export interface SimModule {
  readonly module: string;
  readonly operations: readonly SimOperation[];
}

const coin = (amount: string) => ({ denom: "utrust", amount });
const U = "/cosmos.staking.v1beta1.";
const E16 = 10n ** 16n;

const bankOperations: SimOperation[] = [
  {
    name: "bank/send", weight: 20,
    generate: (s) => {
      const from = s.pick(s.users);
      return { signer: from, msg: { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: from.address, toAddress: s.pick([...s.users, ...s.operators.map((o) => o.key)]).address, amount: [coin(s.amount())] } } };
    },
  },
];

const stakingOperations: SimOperation[] = [
  {
    name: "staking/delegate", weight: 25,
    generate: (s) => {
      const u = s.pick(s.users);
      return { signer: u, msg: { typeUrl: `${U}MsgDelegate`, value: { delegatorAddress: u.address, validatorAddress: s.pick(s.operators).valoper, amount: coin(s.amount()) } } };
    },
  },
  {
    name: "staking/undelegate", weight: 15,
    generate: (s) => {
      const u = s.pick(s.users);
      return { signer: u, msg: { typeUrl: `${U}MsgUndelegate`, value: { delegatorAddress: u.address, validatorAddress: s.pick(s.operators).valoper, amount: coin(s.amount()) } } };
    },
  },
  {
    // An operator unbonding its own stake: below its min_self_delegation the validator is jailed and leaves the set.
    name: "staking/self-undelegate", weight: 3,
    generate: (s) => {
      const o = s.pick(s.operators);
      return { signer: o.key, msg: { typeUrl: `${U}MsgUndelegate`, value: { delegatorAddress: o.key.address, validatorAddress: o.valoper, amount: coin(s.amount(3_000_000)) } } };
    },
  },
  {
    name: "staking/redelegate", weight: 15,
    generate: (s) => {
      const u = s.pick(s.users);
      return { signer: u, msg: { typeUrl: `${U}MsgBeginRedelegate`, value: { delegatorAddress: u.address, validatorSrcAddress: s.pick(s.operators).valoper, validatorDstAddress: s.pick(s.operators).valoper, amount: coin(s.amount()) } } };
    },
  },
  {
    name: "staking/cancel-unbonding", weight: 8,
    generate: (s) => {
      const u = s.pick(s.users);
      const ubds = s.query(`${U}Query/DelegatorUnbondingDelegations`, QueryDelegatorUnbondingDelegationsRequest.encode({ delegatorAddr: u.address }).finish(), QueryDelegatorUnbondingDelegationsResponse.decode).unbondingResponses;
      if (ubds.length === 0) return undefined;
      const ubd = s.pick(ubds);
      const e = s.pick(ubd.entries);
      return { signer: u, msg: { typeUrl: `${U}MsgCancelUnbondingDelegation`, value: { delegatorAddress: u.address, validatorAddress: ubd.validatorAddress, amount: coin(String(1 + Math.floor(s.rand() * Number(e.balance) * 1.1))), creationHeight: e.creationHeight } } };
    },
  },
  {
    name: "staking/create-validator", weight: 4,
    generate: (s) => {
      const o = s.pick(s.operators);
      const rate = BigInt(Math.floor(s.rand() * 30)) * E16;
      return {
        signer: o.key,
        msg: {
          typeUrl: `${U}MsgCreateValidator`,
          value: {
            description: { moniker: `sim-${o.valoper.slice(-4)}`, identity: "", website: "", securityContact: "", details: "" },
            commission: { rate: String(rate), maxRate: String(20n * E16), maxChangeRate: String(E16) }, minSelfDelegation: String(1 + Math.floor(s.rand() * 2_000_000)),
            delegatorAddress: "", validatorAddress: o.valoper, pubkey: { typeUrl: ED25519_PUBKEY_TYPE, value: PubKey.encode({ key: o.consKey }).finish() },
            value: coin(s.amount(5_000_000)),
          },
        },
      };
    },
  },
  {
    name: "staking/edit-validator", weight: 6,
    generate: (s) => {
      const o = s.pick(s.operators);
      if (s.h.queryCode(`${U}Query/Validator`, QueryValidatorRequest.encode({ validatorAddr: o.valoper }).finish()) !== 0) return undefined;
      const v = s.query(`${U}Query/Validator`, QueryValidatorRequest.encode({ validatorAddr: o.valoper }).finish(), QueryValidatorResponse.decode).validator;
      const current = BigInt(v.commission?.commissionRates.rate ?? "0");
      // A step of −2…+2 percentage points: most within max_change_rate (1 pp), some beyond it (refused, sdk 18).
      const next = current + BigInt(Math.floor(s.rand() * 5) - 2) * E16;
      const r = s.rand();
      return {
        signer: o.key,
        msg: {
          typeUrl: `${U}MsgEditValidator`,
          value: {
            description: { moniker: r < 0.5 ? `edited-${Math.floor(r * 100)}` : "[do-not-modify]", identity: "[do-not-modify]", website: "[do-not-modify]", securityContact: "[do-not-modify]", details: "[do-not-modify]" },
            validatorAddress: o.valoper, commissionRate: r < 0.7 && next >= 0n ? String(next) : "", minSelfDelegation: "",
          },
        },
      };
    },
  },
];

const D = "/cosmos.distribution.v1beta1.";
const distributionOperations: SimOperation[] = [
  {
    name: "distribution/withdraw-rewards", weight: 6,
    generate: (s) => {
      const u = s.pick(s.users);
      return { signer: u, msg: { typeUrl: `${D}MsgWithdrawDelegatorReward`, value: { delegatorAddress: u.address, validatorAddress: s.pick(s.operators).valoper } } };
    },
  },
  {
    name: "distribution/withdraw-commission", weight: 3,
    generate: (s) => {
      const o = s.pick(s.operators);
      return { signer: o.key, msg: { typeUrl: `${D}MsgWithdrawValidatorCommission`, value: { validatorAddress: o.valoper } } };
    },
  },
  {
    name: "distribution/set-withdraw-address", weight: 1,
    generate: (s) => {
      const u = s.pick(s.users);
      return { signer: u, msg: { typeUrl: `${D}MsgSetWithdrawAddress`, value: { delegatorAddress: u.address, withdrawAddress: s.pick(s.users).address } } };
    },
  },
];

/** Every module's operations. distribution, slashing and leasing append theirs here. */
export const SIM_MODULES: readonly SimModule[] = [
  { module: "bank", operations: bankOperations },
  { module: "staking", operations: stakingOperations },
  { module: "distribution", operations: distributionOperations },
];

export interface SimOptions {
  readonly seed: number;
  readonly blocks: number;
  readonly dbPath: () => string;
  /** Fraction of blocks without a tx (they still run BeginBlock/EndBlock, matured queues and invariants). */
  readonly emptyBlockRate?: number;
  readonly modules?: readonly SimModule[];
}

export interface SimBlock {
  readonly txs: Uint8Array[];
  readonly advance: bigint;
}

export interface SimResult {
  readonly blocks: SimBlock[];
  readonly hashes: string[];
  /** Per operation name: [succeeded, failed]. */
  readonly outcomes: Map<string, [number, number]>;
  readonly updates: number;
  /** Validators jailed at the end (self-delegation fell below its minimum). */
  readonly jailed: number;
}

const GENESIS_OPERATORS = [1, 2, 3, 4];
const NEW_OPERATORS = [21, 22, 23];
const USERS = [31, 32, 33, 34, 35, 36];
const PARAMS = { max_validators: 5, max_entries: 3, unbonding_time: "40s", historical_entries: 5 };

async function simHarness(dbPath: () => string, checkInvariants = true): Promise<{ h: Harness; genesis: Operator[]; newcomers: Operator[]; users: TestKey[] }> {
  const genesis = await Promise.all(GENESIS_OPERATORS.map(operator));
  const newcomers = await Promise.all(NEW_OPERATORS.map(operator));
  const users = await Promise.all(USERS.map(testKey));
  const h = await harness({ validators: genesis, funded: [...users, ...newcomers.map((n) => n.key)], params: PARAMS, dbPath, checkInvariants, signing: true });
  return { h, genesis, newcomers, users };
}

const appHash = (h: Harness): string => Buffer.from(h.app.info({ version: "", blockVersion: 0n, p2pVersion: 0n, abciVersion: "" }).lastBlockAppHash ?? []).toString("hex");

export async function simulate(o: SimOptions): Promise<SimResult> {
  const { h, genesis, newcomers, users } = await simHarness(o.dbPath);
  const rand = prng(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const ops = (o.modules ?? SIM_MODULES).flatMap((m) => m.operations);
  const totalWeight = ops.reduce((a, op) => a + op.weight, 0);
  const s: SimState = {
    h, rand, users, operators: [...genesis, ...newcomers], pick,
    amount: (max = 5_000_000) => String(1 + Math.floor(rand() * max)),
    query: (path, data, decode) => h.query(path, data, decode),
  };
  const blocks: SimBlock[] = [];
  const hashes: string[] = [];
  const outcomes = new Map<string, [number, number]>();
  let updates = 0;
  for (let b = 0; b < o.blocks; b++) {
    const advance = BigInt(1 + Math.floor(rand() * 6));
    let generated: { op: SimOperation; signer: TestKey; msg: EncodeObject } | undefined;
    if (rand() >= (o.emptyBlockRate ?? 0)) {
      let w = rand() * totalWeight;
      const op = ops.find((x) => (w -= x.weight) < 0) ?? (ops[ops.length - 1] as SimOperation);
      const g = op.generate(s);
      if (g) generated = { op, ...g };
    }
    if (generated) {
      const tx = await h.tx(generated.signer, [generated.msg]);
      const r = h.block([tx], advance);
      const res = r.txResults[0];
      const charged = res !== undefined && (res.code === 0 || res.gasUsed > 0n);
      if (!charged) h.rollbackSequence(generated.signer);
      const tally = outcomes.get(generated.op.name) ?? [0, 0];
      tally[res?.code === 0 ? 0 : 1]++;
      outcomes.set(generated.op.name, tally);
      updates += r.validatorUpdates.length;
      blocks.push({ txs: [tx], advance });
    } else {
      updates += h.block([], advance).validatorUpdates.length;
      blocks.push({ txs: [], advance });
    }
    hashes.push(appHash(h));
  }
  const { validators } = h.query(`${U}Query/Validators`, QueryValidatorsRequest.encode({ status: "", pagination: undefined }).finish(), QueryValidatorsResponse.decode);
  return { blocks, hashes, outcomes, updates, jailed: validators.filter((v) => v.jailed).length };
}

/**
 * Feeds recorded blocks into a fresh app (same genesis): the app hash after each block. The invariants were checked
 * on the recorded run; equal app hashes mean equal state, so the replay does not check them again.
 */
export async function replay(blocks: readonly SimBlock[], dbPath: () => string): Promise<string[]> {
  const { h } = await simHarness(dbPath, false);
  return blocks.map((b) => {
    h.block(b.txs, b.advance);
    return appHash(h);
  });
}
