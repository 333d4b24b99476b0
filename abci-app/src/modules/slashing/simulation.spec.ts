// A randomized slashing simulation in-process: random delegations, undelegations and redelegations from random
// accounts, last-commit votes with random absences (one flaky validator), occasional double-sign evidence at a
// recent infraction height, and operators' unjail attempts. Every invariant (bank supply, staking pools and shares,
// slashing bitmap and tombstones) is checked after every block by the app; the run replays to the same app hashes.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { sha256 } from "@cosmjs/crypto";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { QuerySupplyOfRequest, QuerySupplyOfResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { QueryValidatorRequest, QueryValidatorResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { MisbehaviorType } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { testKey } from "../../app/testing/tx-builder.ts";
import { prng } from "../../store/testing/helpers.ts";
import { harness, operator, T0 } from "../../app/testing/staking.ts";

const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-slashing-sim-")), "state.db");
const ST = "/cosmos.staking.v1beta1.";
const BLOCKS = 150;

async function simulate(seed: number): Promise<{ hashes: string[]; jails: number; burned: bigint; unjails: number }> {
  const ops = await Promise.all([1, 2, 3, 4].map(operator));
  const users = await Promise.all([31, 32, 33].map(testKey));
  const h = await harness({ validators: ops, funded: users, params: { unbonding_time: "40s" }, slashing: { params: { signed_blocks_window: "8", min_signed_per_window: "0.5", downtime_jail_duration: "15s" } }, dbPath });
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const amount = () => ({ denom: "utrust", amount: String(1 + Math.floor(rand() * 4_000_000)) });
  const validator = (valoper: string) => h.query(`${ST}Query/Validator`, QueryValidatorRequest.encode({ validatorAddr: valoper }).finish(), QueryValidatorResponse.decode).validator;
  const supply = () => BigInt(h.query("/cosmos.bank.v1beta1.Query/SupplyOf", QuerySupplyOfRequest.encode({ denom: "utrust" }).finish(), QuerySupplyOfResponse.decode).amount.amount);
  h.block();
  const supply0 = supply();
  const hashes: string[] = [];
  let jails = 0;
  let unjails = 0;
  for (let b = 0; b < BLOCKS; b++) {
    const vs = ops.map((o) => ({ o, v: validator(o.valoper) }));
    const votes = vs.filter(({ v }) => v.status === BondStatus.BOND_STATUS_BONDED).map(({ o, v }) => ({
      validator: { address: sha256(o.consKey).slice(0, 20), power: BigInt(v.tokens) / 1_000_000n },
      blockIdFlag: rand() < (o === ops[0] ? 0.7 : 0.05) ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
    }));
    const misbehavior = rand() < 0.03 ? [(() => {
      const { o, v } = pick(vs);
      const height = h.height - BigInt(Math.floor(rand() * 4));
      return { type: MisbehaviorType.DUPLICATE_VOTE, validator: { address: sha256(o.consKey).slice(0, 20), power: BigInt(v.tokens) / 1_000_000n }, height, time: { seconds: T0 + h.clock, nanos: 0 }, totalVotingPower: 100n };
    })()] : [];
    const r = rand();
    const user = pick(users);
    let tx: Uint8Array[] = [];
    if (r < 0.3) tx = [await h.tx(user, [{ typeUrl: `${ST}MsgDelegate`, value: { delegatorAddress: user.address, validatorAddress: pick(ops).valoper, amount: amount() } }])];
    else if (r < 0.5) tx = [await h.tx(user, [{ typeUrl: `${ST}MsgUndelegate`, value: { delegatorAddress: user.address, validatorAddress: pick(ops).valoper, amount: amount() } }])];
    else if (r < 0.7) tx = [await h.tx(user, [{ typeUrl: `${ST}MsgBeginRedelegate`, value: { delegatorAddress: user.address, validatorSrcAddress: pick(ops).valoper, validatorDstAddress: pick(ops).valoper, amount: amount() } }])];
    else if (r < 0.8) {
      const o = pick(ops);
      const unjail: EncodeObject = { typeUrl: "/cosmos.slashing.v1beta1.MsgUnjail", value: { validatorAddr: o.valoper } };
      tx = [await h.tx(o.key, [unjail])];
    }
    const res = h.block(tx, BigInt(1 + Math.floor(rand() * 3)), { votes, misbehavior });
    for (const e of res.events) if (e.type === "jail") jails++;
    for (const t of res.txResults) for (const e of t.events) if (e.type === "unjail") unjails++;
    hashes.push(Buffer.from(res.appHash).toString("hex"));
  }
  return { hashes, jails, burned: supply0 - supply(), unjails };
}

describe("slashing simulation", () => {
  test(`${BLOCKS} random blocks with absences and evidence keep every invariant, and replay to the same app hashes`, async () => {
    const a = await simulate(11);
    assert.ok(a.jails > 0, "validators were jailed");
    assert.ok(a.unjails > 0, "some were unjailed");
    assert.ok(a.burned > 0n, "stake was burned");
    const b = await simulate(11);
    assert.deepEqual(b.hashes, a.hashes);
    assert.equal(b.burned, a.burned);
  });
});
