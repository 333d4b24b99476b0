// x/slashing through the real app (real SQLite, cosmjs-signed txs, every invariant checked after every block):
// downtime, double-sign evidence, slashing of unbonding delegations and redelegations, MsgUnjail's refusals.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sha256 } from "@cosmjs/crypto";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { QueryParamsResponse, QuerySigningInfoRequest, QuerySigningInfoResponse, QuerySigningInfosRequest, QuerySigningInfosResponse } from "cosmjs-types/cosmos/slashing/v1beta1/query";
import { QueryUnbondingDelegationRequest, QueryUnbondingDelegationResponse, QueryValidatorRequest, QueryValidatorResponse } from "cosmjs-types/cosmos/staking/v1beta1/query";
import { QuerySupplyOfRequest, QuerySupplyOfResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import { QueryValidatorSlashesRequest, QueryValidatorSlashesResponse } from "cosmjs-types/cosmos/distribution/v1beta1/query";
import { MisbehaviorType, type Misbehavior, type VoteInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { testKey } from "../../app/testing/tx-builder.ts";
import { harness as makeHarness, type Harness, type HarnessOptions, operator, type Operator, T0 } from "../../app/testing/staking.ts";
import { fromUtf8 } from "../../sdk/keys.ts";
import { addressBytes } from "../../sdk/address.ts";
import { valoperAddress } from "../staking/addresses.ts";
import { valconsAddress } from "./keeper.ts";

const S = "/cosmos.slashing.v1beta1.";
const ST = "/cosmos.staking.v1beta1.";
const D = "/cosmos.distribution.v1beta1.";
const E18 = 10n ** 18n;
const cons = (o: Operator): Uint8Array => sha256(o.consKey).slice(0, 20);
const unjailMsg = (o: Operator): EncodeObject => ({ typeUrl: `${S}MsgUnjail`, value: { validatorAddr: o.valoper } });
const coin = (amount: bigint) => ({ denom: "utrust", amount: String(amount) });
const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-slashing-")), "state.db");
const harness = (o: Omit<HarnessOptions, "dbPath">) => makeHarness({ ...o, dbPath });
const SLASHING = { params: { signed_blocks_window: "10", min_signed_per_window: "0.5", downtime_jail_duration: "60s" } };
/** A fixed zero inflation: x/mint adds nothing, so the supply moves only by what slashing burns. */
const NO_MINT = { mint: { params: { inflation_min: "0", inflation_max: "0" }, minter: { inflation: "0" } } };

const validatorOf = (h: Harness, o: Operator) => h.query(`${ST}Query/Validator`, QueryValidatorRequest.encode({ validatorAddr: o.valoper }).finish(), QueryValidatorResponse.decode).validator;
const signingInfo = (h: Harness, o: Operator) => h.query(`${S}Query/SigningInfo`, QuerySigningInfoRequest.encode({ consAddress: valconsAddress(cons(o)) }).finish(), QuerySigningInfoResponse.decode).valSigningInfo;
const supply = (h: Harness): bigint => BigInt(h.query("/cosmos.bank.v1beta1.Query/SupplyOf", QuerySupplyOfRequest.encode({ denom: "utrust" }).finish(), QuerySupplyOfResponse.decode).amount.amount);
const votes = (ops: readonly Operator[], absent: readonly Operator[] = []): VoteInfo[] =>
  ops.map((o, i) => ({ validator: { address: cons(o), power: 10n * BigInt(i + 1) }, blockIdFlag: absent.includes(o) ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT }));
const hex8 = (k: Uint8Array) => Buffer.from(k).toString("hex").slice(0, 8);
const powers = (updates: readonly { pubKey: { ed25519?: Uint8Array }; power: bigint }[]) => updates.map((u) => [hex8(u.pubKey.ed25519 ?? new Uint8Array()), u.power]);
const duplicateVote = (o: Operator, power: bigint, height: bigint, atSecond: bigint): Misbehavior =>
  ({ type: MisbehaviorType.DUPLICATE_VOTE, validator: { address: cons(o), power }, height, time: { seconds: T0 + atSecond, nanos: 0 }, totalVotingPower: 60n });

describe("x/slashing", async () => {
  const ops = await Promise.all([1, 2, 3].map(operator));
  const [v0, v1] = ops as [Operator, Operator, Operator];
  const alice = await testKey(10);

  test("genesis params answer on the SDK query path; every genesis validator has signing info from the initial height", async () => {
    const h = await harness({ validators: ops, funded: [alice], slashing: SLASHING, appState: NO_MINT });
    h.block();
    const p = h.query(`${S}Query/Params`, new Uint8Array(), QueryParamsResponse.decode).params;
    assert.equal(p.signedBlocksWindow, 10n);
    assert.equal(fromUtf8(p.minSignedPerWindow), String(E18 / 2n));
    assert.equal(fromUtf8(p.slashFractionDowntime), String(E18 / 100n));
    assert.equal(fromUtf8(p.slashFractionDoubleSign), String(E18 / 20n));
    assert.equal(p.downtimeJailDuration.seconds, 60n);
    const infos = h.query(`${S}Query/SigningInfos`, QuerySigningInfosRequest.encode({}).finish(), QuerySigningInfosResponse.decode).info;
    assert.equal(infos.length, 3);
    assert.ok(infos.every((i) => i.startHeight === 1n && !i.tombstoned && i.address.startsWith("trustvalcons1")));
    assert.equal(h.queryCode(`${S}Query/SigningInfo`, QuerySigningInfoRequest.encode({ consAddress: valconsAddress(new Uint8Array(20)) }).finish()), 8);
    assert.equal(h.queryCode(`${S}Query/SigningInfo`, QuerySigningInfoRequest.encode({ consAddress: "trust1nope" }).finish()), 7);
  });

  test("downtime: missing more than the window allows slashes exactly 1% at height - 2, jails (power 0), resets the window; unjail after the jail time", async () => {
    const h = await harness({ validators: ops, funded: [alice], slashing: SLASHING, appState: NO_MINT });
    h.block(); // height 1: no last commit yet
    const supply0 = supply(h);
    let jailedAt = 0n;
    for (let i = 0; i < 12 && jailedAt === 0n; i++) {
      const r = h.block([], 1n, { votes: votes(ops, [v0]) });
      if (powers(r.validatorUpdates).some(([k, p]) => k === hex8(v0.consKey) && p === 0n)) jailedAt = h.height;
      else assert.equal(validatorOf(h, v0).jailed, false, `not jailed before the window is over (height ${h.height})`);
    }
    // signing started at height 1, window 10: first possible jail at height 12, with 11 blocks missed > 10 - 5.
    assert.equal(jailedAt, 12n);
    const v = validatorOf(h, v0);
    assert.equal(v.jailed, true);
    assert.equal(v.tokens, "9900000", "1% of 10 TRUST burned");
    assert.equal(supply(h), supply0 - 100_000n, "the slashed tokens are burned, not moved");
    const info = signingInfo(h, v0);
    assert.equal(info.missedBlocksCounter, 0n);
    assert.equal(info.indexOffset, 0n);
    assert.equal(info.jailedUntil.seconds, T0 + h.clock + 60n);
    // a jailed validator's absences are not counted
    h.block([], 1n, { votes: votes(ops, [v0]) });
    assert.equal(signingInfo(h, v0).missedBlocksCounter, 0n);

    const early = await h.run(v0.key, [unjailMsg(v0)]);
    assert.deepEqual([early.codespace, early.code], ["slashing", 4], early.log);
    assert.equal(validatorOf(h, v0).jailed, true, "a refused unjail changes nothing");
    const late = await h.run(v0.key, [unjailMsg(v0)], 60n);
    assert.equal(late.code, 0, late.log);
    assert.deepEqual(powers(late.updates), [[hex8(v0.consKey), 9n]], "back in the set with its slashed power");
    assert.equal(signingInfo(h, v0).startHeight, h.height, "re-bonding restarts the signing window");
    const again = await h.run(v0.key, [unjailMsg(v0)]);
    assert.deepEqual([again.codespace, again.code], ["slashing", 5], again.log);
  });

  test("stake redelegated away from an unbonding validator is still cut by a double-sign slash for an earlier height", async () => {
    const h = await harness({ validators: ops, funded: [alice], slashing: SLASHING, appState: NO_MINT });
    h.block(); // 1
    const delegate = { typeUrl: `${ST}MsgDelegate`, value: { delegatorAddress: alice.address, validatorAddress: v0.valoper, amount: coin(10_000_000n) } };
    assert.equal((await h.run(alice, [delegate])).code, 0); // 2
    h.block(); // 3: the infraction height
    // the operator takes its whole self-bond out: below min_self_delegation, jailed, and unbonding from EndBlock on
    const out = await h.run(v0.key, [{ typeUrl: `${ST}MsgUndelegate`, value: { delegatorAddress: v0.key.address, validatorAddress: v0.valoper, amount: coin(10_000_000n) } }]); // 4
    assert.equal(out.code, 0, out.log);
    const v0After = validatorOf(h, v0);
    assert.deepEqual([v0After.jailed, v0After.status, v0After.unbondingHeight], [true, 2, 4n], "jailed and unbonding since height 4");
    const red = await h.run(alice, [{ typeUrl: `${ST}MsgBeginRedelegate`, value: { delegatorAddress: alice.address, validatorSrcAddress: v0.valoper, validatorDstAddress: v1.valoper, amount: coin(10_000_000n) } }]); // 5
    assert.equal(red.code, 0, red.log);
    const v1Before = BigInt(validatorOf(h, v1).tokens);
    const supply0 = supply(h);
    h.block([], 1n, { misbehavior: [duplicateVote(v0, 20n, 3n, 3n)] }); // 6: the evidence
    // 20 TRUST x 5% = 1 TRUST: 500000 from the operator's unbonding, 500000 from alice's redelegation (at v1)
    assert.equal(supply0 - supply(h), 1_000_000n, "the redelegated half of the stake was slashed too");
    assert.equal(v1Before - BigInt(validatorOf(h, v1).tokens), 500_000n);
    // and, recorded, the moved stake may not hop again until the source's unbonding completes (no transitive redelegation)
    const hop = await h.run(alice, [{ typeUrl: `${ST}MsgBeginRedelegate`, value: { delegatorAddress: alice.address, validatorSrcAddress: v1.valoper, validatorDstAddress: v0.valoper, amount: coin(1_000_000n) } }]);
    assert.notEqual(hop.code, 0);
  });

  test("stake redelegated after the infraction and then undelegated from the destination is still cut (no escape)", async () => {
    const h = await harness({ validators: ops, funded: [alice], slashing: SLASHING, appState: NO_MINT });
    h.block(); // 1
    assert.equal((await h.run(alice, [{ typeUrl: `${ST}MsgDelegate`, value: { delegatorAddress: alice.address, validatorAddress: v0.valoper, amount: coin(10_000_000n) } }])).code, 0); // 2
    h.block(); // 3
    h.block(); // 4
    h.block(); // 5: the infraction height (evidence height 6 - 1)
    const red = await h.run(alice, [{ typeUrl: `${ST}MsgBeginRedelegate`, value: { delegatorAddress: alice.address, validatorSrcAddress: v0.valoper, validatorDstAddress: v1.valoper, amount: coin(10_000_000n) } }]); // 6
    assert.equal(red.code, 0, red.log);
    const out = await h.run(alice, [{ typeUrl: `${ST}MsgUndelegate`, value: { delegatorAddress: alice.address, validatorAddress: v1.valoper, amount: coin(10_000_000n) } }]); // 7
    assert.equal(out.code, 0, out.log);
    const v1Before = validatorOf(h, v1).tokens;
    const supply0 = supply(h);
    h.block([], 1n, { misbehavior: [duplicateVote(v0, 20n, 6n, 6n)] }); // 8
    // 20 TRUST x 5% = 1 TRUST: 500000 from alice's moved-then-unbonding stake, 500000 from the validator
    assert.equal(supply0 - supply(h), 1_000_000n, "the redelegated stake did not escape by being undelegated");
    const ubd = h.query(`${ST}Query/UnbondingDelegation`, QueryUnbondingDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: v1.valoper }).finish(), QueryUnbondingDelegationResponse.decode).unbond;
    assert.deepEqual(ubd.entries.map((e) => [e.creationHeight, e.initialBalance, e.balance]), [[7n, "10000000", "9500000"]]);
    assert.equal(validatorOf(h, v1).tokens, v1Before, "the destination's own stake is untouched");
    assert.equal(validatorOf(h, v0).tokens, "9500000");
  });

  test("a redelegation partly undelegated from the destination: the unbonding entry gives first, the delegation only the rest", async () => {
    const h = await harness({ validators: ops, funded: [alice], slashing: SLASHING, appState: NO_MINT });
    h.block(); // 1
    assert.equal((await h.run(alice, [{ typeUrl: `${ST}MsgDelegate`, value: { delegatorAddress: alice.address, validatorAddress: v0.valoper, amount: coin(10_000_000n) } }])).code, 0); // 2
    h.block(); // 3
    h.block(); // 4
    h.block(); // 5: the infraction height
    assert.equal((await h.run(alice, [{ typeUrl: `${ST}MsgBeginRedelegate`, value: { delegatorAddress: alice.address, validatorSrcAddress: v0.valoper, validatorDstAddress: v1.valoper, amount: coin(10_000_000n) } }])).code, 0); // 6
    assert.equal((await h.run(alice, [{ typeUrl: `${ST}MsgUndelegate`, value: { delegatorAddress: alice.address, validatorAddress: v1.valoper, amount: coin(200_000n) } }])).code, 0); // 7
    const v1Before = BigInt(validatorOf(h, v1).tokens);
    const supply0 = supply(h);
    h.block([], 1n, { misbehavior: [duplicateVote(v0, 20n, 6n, 6n)] }); // 8
    // alice owes 500000: 200000 (all) from the unbonding entry, 300000 from her delegation at v1; v0 itself 500000
    assert.equal(supply0 - supply(h), 1_000_000n, "exactly the slash: nothing taken twice");
    const ubd = h.query(`${ST}Query/UnbondingDelegation`, QueryUnbondingDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: v1.valoper }).finish(), QueryUnbondingDelegationResponse.decode).unbond;
    assert.deepEqual(ubd.entries.map((e) => e.balance), ["0"]);
    assert.equal(v1Before - BigInt(validatorOf(h, v1).tokens), 300_000n);
  });

  test("a validator slashed to zero tokens takes no new stake: it would be split with its wiped-out delegators", async () => {
    const full = { params: { ...SLASHING.params, slash_fraction_double_sign: "1" } };
    const bob = await testKey(11);
    const h = await harness({ validators: ops, funded: [alice, bob], slashing: full, appState: NO_MINT });
    h.block(); // 1
    assert.equal((await h.run(alice, [{ typeUrl: `${ST}MsgDelegate`, value: { delegatorAddress: alice.address, validatorAddress: v0.valoper, amount: coin(10_000_000n) } }])).code, 0); // 2
    h.block([], 1n, { misbehavior: [duplicateVote(v0, 20n, 2n, 2n)] }); // 3: 100 % of it burned
    assert.equal(validatorOf(h, v0).tokens, "0");
    assert.notEqual(validatorOf(h, v0).delegatorShares, "0", "alice's (now worthless) shares remain");
    const before = supply(h);
    const r = await h.run(bob, [{ typeUrl: `${ST}MsgDelegate`, value: { delegatorAddress: bob.address, validatorAddress: v0.valoper, amount: coin(10_000_000n) } }]);
    assert.deepEqual([r.codespace, r.code], ["sdk", 18], r.log);
    assert.match(r.log, /no tokens left and shares outstanding/);
    assert.equal(validatorOf(h, v0).tokens, "0", "nothing moved");
    assert.equal(supply(h), before, "no coins minted or burned by the refusal");
  });

  test("distribution's ValidatorSlashes pages by next_key: a client that follows it gets every slash event once", async () => {
    const h = await harness({ validators: ops, funded: [alice], slashing: SLASHING, appState: NO_MINT });
    h.block(); // 1
    for (let i = 0; i < 11; i++) h.block([], 1n, { votes: votes(ops, [v0]) }); // 12: jailed for downtime, slash event 1
    h.block([], 1n, { misbehavior: [duplicateVote(v0, 10n, 5n, 5n)] }); // 13: evidence from before the jail, slash event 2
    const page = (key?: Uint8Array) => h.query(`${D}Query/ValidatorSlashes`, QueryValidatorSlashesRequest.encode({
      validatorAddress: v0.valoper, startingHeight: 0n, endingHeight: 100n, pagination: { key: key ?? new Uint8Array(), offset: 0n, limit: 1n, countTotal: false, reverse: false },
    }).finish(), QueryValidatorSlashesResponse.decode);
    const first = page();
    assert.equal(first.slashes.length, 1);
    assert.ok((first.pagination?.nextKey.length ?? 0) > 0, "a second event remains");
    const second = page(first.pagination?.nextKey);
    assert.equal(second.slashes.length, 1);
    assert.notEqual(second.slashes[0]?.validatorPeriod, first.slashes[0]?.validatorPeriod, "the next page, not the first again");
    assert.equal(first.slashes[0]?.fraction, String(E18 / 100n), "the downtime slash first (1% of its tokens)");
    assert.deepEqual([second.slashes[0]?.fraction, second.pagination?.nextKey.length], [String((500_000n * E18 + 9_900_000n - 1n) / 9_900_000n), 0], "then the double sign (5% of power 10 out of 9.9 TRUST, rounded up), and the end");
    assert.equal(h.queryCode(`${D}Query/ValidatorSlashes`, QueryValidatorSlashesRequest.encode({ validatorAddress: v0.valoper, startingHeight: 0n, endingHeight: 100n, pagination: { key: new Uint8Array(), offset: 0n, limit: 1001n, countTotal: false, reverse: false } }).finish()), 18);
  });

  test("signed blocks flip missed bits back: a validator that misses fewer than allowed is never jailed", async () => {
    const h = await harness({ validators: ops, funded: [alice], slashing: SLASHING, appState: NO_MINT });
    h.block();
    for (let i = 0; i < 30; i++) h.block([], 1n, { votes: votes(ops, i % 2 === 0 ? [v0] : []) }); // 50% missed: exactly the allowed maximum
    assert.equal(validatorOf(h, v0).jailed, false);
    assert.equal(signingInfo(h, v0).missedBlocksCounter, 5n);
    assert.equal(signingInfo(h, v0).indexOffset, 30n);
  });

  test("double sign: 5% of the power at the infraction, cutting unbonding delegations and redelegations begun after it (not before); tombstoned for good", async () => {
    const h = await harness({ validators: ops, funded: [alice], slashing: SLASHING, appState: NO_MINT });
    h.block();
    assert.equal((await h.run(alice, [{ typeUrl: `${ST}MsgDelegate`, value: { delegatorAddress: alice.address, validatorAddress: v0.valoper, amount: coin(10_000_000n) } }])).code, 0); // height 2
    const undelegate = (amount: bigint): EncodeObject => ({ typeUrl: `${ST}MsgUndelegate`, value: { delegatorAddress: alice.address, validatorAddress: v0.valoper, amount: coin(amount) } });
    assert.equal((await h.run(alice, [undelegate(1_000_000n)])).code, 0); // height 3: before the infraction
    h.block(); // 4
    h.block(); // 5: the infraction height (evidence height 6 - 1)
    assert.equal((await h.run(alice, [undelegate(2_000_000n)])).code, 0); // height 6: after
    const red = await h.run(alice, [{ typeUrl: `${ST}MsgBeginRedelegate`, value: { delegatorAddress: alice.address, validatorSrcAddress: v0.valoper, validatorDstAddress: v1.valoper, amount: coin(3_000_000n) } }]);
    assert.equal(red.code, 0, red.log); // height 7: after
    assert.equal(validatorOf(h, v1).tokens, "23000000");
    const supply0 = supply(h);
    const r = h.block([], 1n, { misbehavior: [duplicateVote(v0, 19n, 6n, 6n)] }); // height 8
    assert.deepEqual(powers(r.validatorUpdates), [[hex8(v1.consKey), 22n], [hex8(v0.consKey), 0n]], "jailed: power 0; the redelegation's destination lost its slashed share");
    // 19 TRUST x 5% = 950000: 100000 from the later unbonding, 150000 from the redelegation, 700000 from the validator
    const ubd = h.query(`${ST}Query/UnbondingDelegation`, QueryUnbondingDelegationRequest.encode({ delegatorAddr: alice.address, validatorAddr: v0.valoper }).finish(), QueryUnbondingDelegationResponse.decode).unbond;
    assert.deepEqual(ubd.entries.map((e) => [e.creationHeight, e.balance]), [[3n, "1000000"], [6n, "1900000"]]);
    assert.equal(validatorOf(h, v1).tokens, "22850000", "5% of the redelegated shares unbonded at the destination and burned");
    assert.equal(validatorOf(h, v0).tokens, "13300000");
    assert.equal(supply(h), supply0 - 950_000n);
    const info = signingInfo(h, v0);
    assert.equal(info.tombstoned, true);
    assert.equal(validatorOf(h, v0).jailed, true);
    // the same evidence again (CometBFT never repeats it, a byzantine proposer might): ignored, nothing burned
    h.block([], 1n, { misbehavior: [duplicateVote(v0, 19n, 7n, 7n)] });
    assert.equal(supply(h), supply0 - 950_000n);
    const refused = await h.run(v0.key, [unjailMsg(v0)], 1_000_000n);
    assert.deepEqual([refused.codespace, refused.code], ["slashing", 4], refused.log);
    assert.match(refused.log, /tombstoned/);
    assert.equal(validatorOf(h, v0).jailed, true);
  });

  test("evidence older than the max age in blocks AND in time is ignored; older in blocks only still slashes", async () => {
    const h = await harness({ validators: ops, funded: [alice], slashing: SLASHING, appState: NO_MINT });
    for (let i = 0; i < 8; i++) h.block(); // height 8, 8 s after genesis
    const supply0 = supply(h);
    h.block([], 1n, { misbehavior: [duplicateVote(v0, 10n, 1n, -100n)] }); // height 9: 8 blocks and 109 s old: expired (max 5 blocks, 10 s)
    assert.equal(supply(h), supply0);
    assert.equal(signingInfo(h, v0).tombstoned, false);
    h.block([], 1n, { misbehavior: [duplicateVote(v0, 10n, 11n, 10n)] }); // height 10, evidence "from" 11 (CometBFT never sends it; it must not halt): ignored
    assert.equal(supply(h), supply0);
    h.block([], 1n, { misbehavior: [duplicateVote(v0, 10n, 2n, 6n)] }); // height 11: 9 blocks but 5 s old: not expired
    assert.equal(supply(h), supply0 - 500_000n);
    assert.equal(signingInfo(h, v0).tombstoned, true);
  });

  test("unjail refusals: unknown validator (2), self-delegation below the minimum (7), not jailed (5), malformed address; none changes state", async () => {
    const h = await harness({ validators: ops, funded: [alice], slashing: SLASHING, appState: NO_MINT });
    h.block();
    const none = await h.run(alice, [{ typeUrl: `${S}MsgUnjail`, value: { validatorAddr: valoperAddress(addressBytes(alice.address)) } }]);
    assert.deepEqual([none.codespace, none.code], ["slashing", 2], none.log);
    const notJailed = await h.run(v1.key, [unjailMsg(v1)]);
    assert.deepEqual([notJailed.codespace, notJailed.code], ["slashing", 5], notJailed.log);
    // the operator undelegates below its min self-delegation: staking jails it; unjail needs the minimum back
    assert.equal((await h.run(v1.key, [{ typeUrl: `${ST}MsgEditValidator`, value: { validatorAddress: v1.valoper, description: { moniker: "[do-not-modify]", identity: "[do-not-modify]", website: "[do-not-modify]", securityContact: "[do-not-modify]", details: "[do-not-modify]" }, commissionRate: "", minSelfDelegation: "15000000" } }])).code, 0);
    assert.equal((await h.run(v1.key, [{ typeUrl: `${ST}MsgUndelegate`, value: { delegatorAddress: v1.key.address, validatorAddress: v1.valoper, amount: coin(6_000_000n) } }])).code, 0);
    assert.equal(validatorOf(h, v1).jailed, true);
    const low = await h.run(v1.key, [unjailMsg(v1)]);
    assert.deepEqual([low.codespace, low.code], ["slashing", 7], low.log);
    assert.equal(validatorOf(h, v1).jailed, true);
    const bad = await h.run(v1.key, [{ typeUrl: `${S}MsgUnjail`, value: { validatorAddr: "trustvaloper1xyz" } }]);
    assert.deepEqual([bad.codespace, bad.code], ["sdk", 7], bad.log);
    assert.equal((await h.run(v1.key, [{ typeUrl: `${ST}MsgDelegate`, value: { delegatorAddress: v1.key.address, validatorAddress: v1.valoper, amount: coin(2_000_000n) } }])).code, 0);
    const forOther = await h.run(alice, [unjailMsg(v1)]);
    assert.deepEqual([forOther.codespace, forOther.code], ["sdk", 8], `only the operator may sign its unjail: ${forOther.log}`);
    assert.equal(validatorOf(h, v1).jailed, true);
    const ok = await h.run(v1.key, [unjailMsg(v1)]);
    assert.equal(ok.code, 0, ok.log);
    assert.equal(validatorOf(h, v1).jailed, false);
  });
});
