// A randomized staking simulation in-process (the SDK's simulation idea): random delegate, undelegate, redelegate,
// cancel-unbonding and create-validator messages, and distribution's withdraw-rewards, withdraw-commission and
// set-withdraw-address, from random accounts, every block signed by the validator set (so rewards accrue), random block-time gaps so unbondings
// mature, every module invariant checked after every block (the app halts on a broken one), and the whole run
// replayed to prove the app hashes are deterministic. Failing messages are expected and must change nothing.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { QueryDelegatorUnbondingDelegationsRequest, QueryDelegatorUnbondingDelegationsResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { testKey } from "../../app/testing/tx-builder.ts";
import { prng } from "../../store/testing/helpers.ts";
import { ED25519_PUBKEY_TYPE } from "./keeper.ts";
import { harness, operator } from "../../app/testing/staking.ts";

const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-staking-sim-")), "state.db");
const U = "/cosmos.staking.v1beta1.";
const BLOCKS = 150;

async function simulate(seed: number): Promise<{ hashes: string[]; ok: number; failed: number; updates: number; withdrawals: number }> {
  const ops = await Promise.all([1, 2, 3, 4].map(operator));
  const newcomers = await Promise.all([21, 22].map(operator));
  const users = await Promise.all([31, 32, 33, 34].map(testKey));
  const h = await harness({ validators: ops, funded: [...users, ...newcomers.map((n) => n.key)], params: { max_validators: 4, max_entries: 3, unbonding_time: "30s" }, dbPath, signing: true });
  const rand = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const vals = () => [...ops, ...newcomers].map((o) => o.valoper);
  const amount = () => String(1 + Math.floor(rand() * 5_000_000));
  const hashes: string[] = [];
  let ok = 0;
  let failed = 0;
  let updates = 0;
  let withdrawals = 0;
  for (let b = 0; b < BLOCKS; b++) {
    const user = pick(users);
    const r = rand();
    let msg: EncodeObject;
    let signer = user;
    const D = "/cosmos.distribution.v1beta1.";
    if (r < 0.12) {
      const w = rand();
      if (w < 0.6) msg = { typeUrl: `${D}MsgWithdrawDelegatorReward`, value: { delegatorAddress: user.address, validatorAddress: pick(vals()) } };
      else if (w < 0.85) {
        const o = pick([...ops, ...newcomers]);
        signer = o.key;
        msg = { typeUrl: `${D}MsgWithdrawValidatorCommission`, value: { validatorAddress: o.valoper } };
      } else msg = { typeUrl: `${D}MsgSetWithdrawAddress`, value: { delegatorAddress: user.address, withdrawAddress: pick(users).address } };
    } else if (r < 0.4) msg = { typeUrl: `${U}MsgDelegate`, value: { delegatorAddress: user.address, validatorAddress: pick(vals()), amount: { denom: "utrust", amount: amount() } } };
    else if (r < 0.6) msg = { typeUrl: `${U}MsgUndelegate`, value: { delegatorAddress: user.address, validatorAddress: pick(vals()), amount: { denom: "utrust", amount: amount() } } };
    else if (r < 0.8) msg = { typeUrl: `${U}MsgBeginRedelegate`, value: { delegatorAddress: user.address, validatorSrcAddress: pick(vals()), validatorDstAddress: pick(vals()), amount: { denom: "utrust", amount: amount() } } };
    else if (r < 0.9) {
      const ubds = h.query(`${U}Query/DelegatorUnbondingDelegations`, QueryDelegatorUnbondingDelegationsRequest.encode({ delegatorAddr: user.address }).finish(), QueryDelegatorUnbondingDelegationsResponse.decode).unbondingResponses;
      const u = ubds.length > 0 ? pick(ubds) : undefined;
      const e = u && u.entries.length > 0 ? pick(u.entries) : undefined;
      msg = { typeUrl: `${U}MsgCancelUnbondingDelegation`, value: { delegatorAddress: user.address, validatorAddress: u?.validatorAddress ?? pick(vals()), amount: { denom: "utrust", amount: e ? String(1 + Math.floor(rand() * Number(e.balance))) : "1" }, creationHeight: e?.creationHeight ?? 1n } };
    } else {
      const n = pick(newcomers);
      signer = n.key;
      msg = {
        typeUrl: `${U}MsgCreateValidator`,
        value: {
          description: { moniker: "sim", identity: "", website: "", securityContact: "", details: "" },
          commission: { rate: "100000000000000000", maxRate: "200000000000000000", maxChangeRate: "10000000000000000" }, minSelfDelegation: "1",
          delegatorAddress: "", validatorAddress: n.valoper, pubkey: { typeUrl: ED25519_PUBKEY_TYPE, value: PubKey.encode({ key: n.consKey }).finish() },
          value: { denom: "utrust", amount: amount() },
        },
      };
    }
    const res = await h.run(signer, [msg], BigInt(1 + Math.floor(rand() * 6)));
    if (res.code === 0) ok++;
    if (res.code === 0 && msg.typeUrl.startsWith("/cosmos.distribution.")) withdrawals++;
    else failed++;
    updates += res.updates.length;
    hashes.push(Buffer.from(h.app.info({ version: "", blockVersion: 0n, p2pVersion: 0n, abciVersion: "" }).lastBlockAppHash ?? []).toString("hex"));
  }
  return { hashes, ok, failed, updates, withdrawals };
}

describe("staking simulation", () => {
  test(`${BLOCKS} random blocks keep every invariant, and replay to the same app hashes`, async () => {
    const a = await simulate(7);
    assert.ok(a.ok > BLOCKS / 4, `enough messages succeed (${a.ok} ok, ${a.failed} failed)`);
    assert.ok(a.failed > 0, "bad random inputs are refused");
    assert.ok(a.updates > 0, "the validator set changed");
    assert.ok(a.withdrawals > 0, "rewards and commission were withdrawn");
    const b = await simulate(7);
    assert.deepEqual(b.hashes, a.hashes);
  });
});
