// Genesis round trip (issue 17 item 3): export a chain at height H, start a new chain from that genesis, and the
// new chain holds the exported state at its first block: its block H+1 leaves exactly the state the old chain's
// block H+1 leaves (every block mints and distributes, so the state after a block is never the exported one), and
// both chains run on identically (the undelegation pending at export completes on the new chain too; the F1
// records, withdraw addresses and community pool carry over, so rewards go on accruing the same; the signing infos and
// missed-blocks bitmaps carry over, so a validator jailed for downtime stays jailed and the liveness windows go on).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { sha256 } from "@cosmjs/crypto";
import type { EncodeObject } from "@cosmjs/proto-signing";
import type { ValidatorUpdate, VoteInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { fromBech32 } from "@cosmjs/encoding";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { valconsAddress } from "../modules/slashing/index.ts";
import { QueryRightsAtRequest, QueryRightsAtResponse } from "../modules/registry/types.ts";
import { StateStore } from "../store/index.ts";
import { CHAIN, genesisJson, harness, operator } from "./testing/staking.ts";
import { sendMsg, testKey } from "./testing/tx-builder.ts";
import { TrustNetApp } from "./trustnet-app.ts";

const dbPath = (): string => join(mkdtempSync(join(tmpdir(), "tn-export-")), "state.db");
const R = "/trustnet.registry.v1.";
const U = "/cosmos.staking.v1beta1.";
const D = "/cosmos.distribution.v1beta1.";
const coin = (amount: bigint) => ({ denom: "utrust", amount: String(amount) });
const T0 = 1_700_000_000n;

function block(app: TrustNetApp, height: bigint, seconds: bigint, votes: VoteInfo[]) {
  const r = app.finalizeBlock({ txs: [], height, time: { seconds, nanos: 0 }, hash: new Uint8Array(32), misbehavior: [], nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes } });
  app.commit();
  return r;
}

const powers = (l: readonly ValidatorUpdate[]) => l.map((u) => `${Buffer.from(u.pubKey.ed25519 ?? []).toString("hex")}=${u.power}`).sort();

describe("genesis export and import", async () => {
  const ops = await Promise.all([1, 2, 3].map(operator));
  const [v0, v1, v2] = ops as [(typeof ops)[0], (typeof ops)[0], (typeof ops)[0]];
  const consOf = (o: (typeof ops)[0]): string => Buffer.from(sha256(o.consKey).slice(0, 20)).toString("hex");
  const alice = await testKey(31);
  const bob = await testKey(32);

  test("a chain started from an export at height H holds the exported state at its first block, and runs on the same", async () => {
    const h = await harness({ dbPath, validators: ops, funded: [alice, bob], signing: true, slashing: { params: { signed_blocks_window: "10", downtime_jail_duration: "600s" } } });
    // The validator set CometBFT has: the genesis set, then every block's updates.
    const set = new Map(h.initValidators.map((u) => [Buffer.from(u.pubKey.ed25519 ?? []).toString("hex"), u]));
    const track = (updates: readonly ValidatorUpdate[]) => {
      for (const u of updates) {
        const k = Buffer.from(u.pubKey.ed25519 ?? []).toString("hex");
        if (u.power === 0n) set.delete(k);
        else set.set(k, u);
      }
    };
    const ok = async (key: typeof alice, msgs: EncodeObject[]) => {
      const r = await h.run(key, msgs);
      assert.equal(r.code, 0, r.log);
      track(r.updates);
    };
    /** A block whose last commit the set signs but `absent`. */
    const blockWithout = (absent: (typeof ops)[0]) =>
      track(h.block([], 1n, { votes: [...set.values()].map((u) => {
        const address = sha256(u.pubKey.ed25519 ?? new Uint8Array()).slice(0, 20);
        return { validator: { address, power: u.power }, blockIdFlag: Buffer.from(address).toString("hex") === consOf(absent) ? BlockIDFlag.BLOCK_ID_FLAG_ABSENT : BlockIDFlag.BLOCK_ID_FLAG_COMMIT };
      }) }).validatorUpdates);
    await ok(alice, [sendMsg(alice.address, bob.address, "777")]);
    await ok(alice, [{ typeUrl: `${R}MsgClaimNamespace`, value: { owner: alice.address, namespace: "acme" } }]);
    await ok(bob, [{ typeUrl: `${R}MsgRegisterRegistry`, value: { operator: bob.address, endpoint: "http://127.0.0.1:8000" } }]);
    await ok(alice, [{ typeUrl: `${R}MsgAuthorizeRegistry`, value: { owner: alice.address, namespace: "acme", operator: bob.address } }]);
    await ok(bob, [{ typeUrl: `${R}MsgRecordTag`, value: { operator: bob.address, pusher: alice.address, namespace: "acme", repo: "app", tag: "v1", digest: "sha256:" + "c".repeat(64), mediaType: "application/vnd.oci.image.manifest.v1+json", size: 10n } }]);
    // The registry's history: versions of a tag, a deletion, a member added then removed, a namespace claimed,
    // transferred and released (its tag stays). RightsAt answers from the logs these write.
    const tagMsg = (tag: string, c: string, pusher: string) =>
      ({ typeUrl: `${R}MsgRecordTag`, value: { operator: bob.address, pusher, namespace: "acme", repo: "app", tag, digest: "sha256:" + c.repeat(64), mediaType: "application/vnd.oci.image.manifest.v1+json", size: 11n } });
    await ok(alice, [{ typeUrl: `${R}MsgAddMember`, value: { owner: alice.address, namespace: "acme", member: bob.address } }]);
    await ok(bob, [tagMsg("v1", "d", bob.address), tagMsg("v2", "e", alice.address)]);
    await ok(bob, [{ typeUrl: `${R}MsgDeleteTag`, value: { operator: bob.address, namespace: "acme", repo: "app", tag: "v2" } }]);
    await ok(alice, [{ typeUrl: `${R}MsgRemoveMember`, value: { owner: alice.address, namespace: "acme", member: bob.address } }]);
    await ok(bob, [{ typeUrl: `${R}MsgClaimNamespace`, value: { owner: bob.address, namespace: "beta" } }]);
    await ok(bob, [{ typeUrl: `${R}MsgAuthorizeRegistry`, value: { owner: bob.address, namespace: "beta", operator: bob.address } }]);
    await ok(bob, [{ ...tagMsg("v1", "f", bob.address), value: { ...tagMsg("v1", "f", bob.address).value, namespace: "beta" } }]);
    await ok(bob, [{ typeUrl: `${R}MsgTransferNamespace`, value: { owner: bob.address, namespace: "beta", newOwner: alice.address } }]);
    await ok(alice, [{ typeUrl: `${R}MsgReleaseNamespace`, value: { owner: alice.address, namespace: "beta" } }]);
    const registryHeight = h.height;
    await ok(bob, [{ typeUrl: `${U}MsgDelegate`, value: { delegatorAddress: bob.address, validatorAddress: v0.valoper, amount: coin(5_000_000n) } }]);
    await ok(bob, [{ typeUrl: `${U}MsgBeginRedelegate`, value: { delegatorAddress: bob.address, validatorSrcAddress: v0.valoper, validatorDstAddress: v1.valoper, amount: coin(1_000_000n) } }]);
    await ok(bob, [{ typeUrl: `${U}MsgUndelegate`, value: { delegatorAddress: bob.address, validatorAddress: v0.valoper, amount: coin(2_000_000n) } }]);
    // Real F1 state: bob's rewards go to alice; withdrawals end periods; v0's commission is paid out.
    await ok(bob, [{ typeUrl: `${D}MsgSetWithdrawAddress`, value: { delegatorAddress: bob.address, withdrawAddress: alice.address } }]);
    h.block([], 5n);
    const aliceBefore = h.balance(alice.address);
    await ok(bob, [{ typeUrl: `${D}MsgWithdrawDelegatorReward`, value: { delegatorAddress: bob.address, validatorAddress: v0.valoper } }]);
    assert.ok(h.balance(alice.address) > aliceBefore, "bob's rewards reach his withdraw address");
    await ok(v0.key, [{ typeUrl: `${D}MsgWithdrawValidatorCommission`, value: { validatorAddress: v0.valoper } }]);
    await ok(v1.key, [{ typeUrl: `${D}MsgWithdrawDelegatorReward`, value: { delegatorAddress: v1.key.address, validatorAddress: v1.valoper } }]);
    // Slashing state: v2 misses blocks until it is jailed for downtime; then v1 misses two.
    for (let i = 0; i < 12 && set.size === 3; i++) blockWithout(v2);
    assert.equal(set.size, 2, "v2 is jailed for downtime");
    blockWithout(v1);
    blockWithout(v1);
    h.block([], 5n);
    const exported = h.app.exportGenesis();
    assert.equal(exported.height, h.height);
    const staking = exported.appState.staking as { exported_state: { unbonding_delegations: unknown[]; redelegations: unknown[]; delegations: unknown[] } };
    assert.equal(staking.exported_state.unbonding_delegations.length, 1, "the pending undelegation is exported");
    assert.equal(staking.exported_state.redelegations.length, 1, "the pending redelegation is exported");
    assert.ok(staking.exported_state.delegations.length >= 3);
    const distribution = exported.appState.distribution as {
      delegator_withdraw_infos: unknown[]; validator_current_rewards: unknown[]; delegator_starting_infos: unknown[]; validator_historical_rewards: unknown[];
      outstanding_rewards: { outstanding_rewards: unknown[] }[]; fee_pool: { community_pool: unknown[] };
    };
    assert.deepEqual(distribution.delegator_withdraw_infos, [{ delegator_address: bob.address, withdraw_address: alice.address }]);
    assert.equal(distribution.validator_current_rewards.length, 3, "every validator's current rewards");
    assert.equal(distribution.delegator_starting_infos.length, staking.exported_state.delegations.length, "one starting info per delegation");
    assert.ok(distribution.validator_historical_rewards.length >= 2);
    assert.ok(distribution.outstanding_rewards.every((o) => o.outstanding_rewards.length > 0), "rewards are outstanding");
    assert.ok(distribution.fee_pool.community_pool.length > 0, "the community pool is exported");
    type SigningInfo = { address: string; validator_signing_info: { jailed_until: string; missed_blocks_counter: string; start_height: string } };
    const slashing = exported.appState.slashing as { signing_infos: SigningInfo[]; missed_blocks: { address: string; missed_blocks: unknown[] }[] };
    assert.equal(slashing.signing_infos.length, 3, "every validator's signing info");
    const signing = (o: (typeof ops)[0]) => slashing.signing_infos.find((s) => Buffer.from(fromBech32(s.address, 90).data).toString("hex") === consOf(o))?.validator_signing_info;
    assert.ok(Date.parse(signing(v2)?.jailed_until ?? "") > exported.time.getTime(), "v2 is jailed until after the export");
    assert.equal(signing(v1)?.missed_blocks_counter, "2");
    assert.equal(slashing.missed_blocks.find((m) => m.address === slashing.signing_infos.find((s) => s.validator_signing_info === signing(v1))?.address)?.missed_blocks.length, 2);

    const fresh = new TrustNetApp({ store: StateStore.open(dbPath()), checkInvariants: true });
    const init = fresh.initChain({
      time: { seconds: BigInt(exported.time.getTime() / 1000), nanos: 0 }, chainId: exported.chainId, validators: [], initialHeight: exported.height + 1n,
      consensusParams: { block: { maxBytes: 22020096n, maxGas: 100_000_000n } } as never, appStateBytes: new TextEncoder().encode(JSON.stringify(exported.appState)),
    });
    assert.deepEqual(powers(init.validators ?? []), powers([...set.values()]), "InitChain answers the exported chain's validator set");
    const before = h.balance(bob.address);
    h.block([], 1n); // the old chain's block H+1; the new chain's first block is the same request
    block(fresh, exported.height + 1n, T0 + h.clock, h.lastVotes);
    assert.deepEqual(fresh.exportGenesis().appState, h.app.exportGenesis().appState, "the new chain's first block leaves the old chain's state at H+1");
    // RightsAt answers on the new chain as on the old one, for every earlier height (what `registry verify` asks).
    const rightsAt = (app: TrustNetApp, namespace: string, pusher: string, height: bigint) =>
      Buffer.from(app.query({ path: `${R}Query/RightsAt`, data: QueryRightsAtRequest.encode({ namespace, operator: bob.address, pusher, height }).finish(), height: 0n, prove: false }).value ?? []).toString("hex");
    for (let height = 1n; height <= exported.height; height++) {
      for (const namespace of ["acme", "beta"]) for (const pusher of [alice.address, bob.address]) {
        assert.equal(rightsAt(fresh, namespace, pusher, height), rightsAt(h.app, namespace, pusher, height), `RightsAt ${namespace} ${pusher} at ${height}`);
      }
    }
    assert.equal(QueryRightsAtResponse.decode(Buffer.from(rightsAt(fresh, "beta", bob.address, registryHeight - 2n), "hex")).operatorAuthorized, 1n, "bob's registry was authorised for beta before the transfer");
    const registry = exported.appState.registry as { owner_log: unknown[]; rights_log: unknown[]; tag_history: unknown[] };
    assert.deepEqual([registry.owner_log.length, registry.tag_history.length], [4, 3], "the registry's owner log (acme; beta claimed, transferred, released) and tag histories are exported");
    assert.ok(registry.rights_log.length >= 5);
    // Both chains run on through the unbonding time (60s): the same updates, the same state, the undelegation paid out.
    for (let i = 0; i < 3; i++) {
      const old = h.block([], 40n);
      const next = block(fresh, h.height, T0 + h.clock, h.lastVotes).validatorUpdates ?? [];
      assert.deepEqual(powers(next), powers(old.validatorUpdates));
      assert.deepEqual(fresh.exportGenesis().appState, h.app.exportGenesis().appState, `same state at height ${h.height}`);
    }
    assert.equal(h.balance(bob.address), before + 2_000_000n, "the undelegation matured");
    assert.deepEqual((fresh.exportGenesis().appState.staking as { exported_state: { unbonding_delegations: unknown[] } }).exported_state.unbonding_delegations, []);
    fresh.checkInvariants();
  });

  test("a genesis whose sections disagree (staking's delegations, distribution's default section) is refused at InitChain", async () => {
    // No inflation, and the export is taken before the delegation's fee is allocated: the distribution account is
    // empty, so the default distribution section agrees with bank; only the missing F1 records of the validators
    // and delegations give it away (without the check, InitChain passes and block 1 halts in distribution's begin blocker).
    const mint = { params: { inflation_min: "0", inflation_max: "0", inflation_rate_change: "0" }, minter: { inflation: "0" } };
    const h = await harness({ dbPath, validators: ops, funded: [alice, bob], appState: { mint } });
    const r = await h.run(bob, [{ typeUrl: `${U}MsgDelegate`, value: { delegatorAddress: bob.address, validatorAddress: v0.valoper, amount: coin(5_000_000n) } }]);
    assert.equal(r.code, 0, r.log);
    const { appState } = h.app.exportGenesis();
    assert.equal((appState.staking as { exported_state: { delegations: unknown[] } }).exported_state.delegations.length, 4, "three self-delegations and bob's");
    const init = (state: Record<string, unknown>, path: string) => new TrustNetApp({ store: StateStore.open(path) }).initChain({
      time: { seconds: T0, nanos: 0 }, chainId: CHAIN, validators: [], initialHeight: 5n, consensusParams: undefined, appStateBytes: new TextEncoder().encode(JSON.stringify(state)),
    });
    // Each section alone is valid: the default distribution section has params and no records.
    for (const distribution of [{ params: (appState.distribution as { params: unknown }).params }, undefined]) {
      const path = dbPath();
      assert.throws(() => init({ ...appState, distribution }, path), (err: Error) => {
        assert.match(err.message, /^genesis app_state\.distribution disagrees with the rest of the genesis: invariant distribution\/[a-z-]+ is broken: /);
        return true;
      });
      assert.equal(StateStore.open(path).lastHeight, 0n, "nothing is written");
    }
    // The consistent export passes InitChain.
    assert.ok(init(appState, dbPath()).appHash);
  });

  test("an exported genesis that contradicts itself is refused and changes nothing", async () => {
    const h = await harness({ dbPath, validators: ops, funded: [alice, bob] });
    await h.run(alice, [sendMsg(alice.address, bob.address, "1")]);
    h.block(); // the fee reaches the community pool
    const { appState } = h.app.exportGenesis();
    const auth = appState.auth as { accounts: { address: string; pub_key?: string; account_number: string }[] };
    const staking = appState.staking as { params: unknown; exported_state: { last_validator_powers: { address: string; power: string }[]; validators: Record<string, unknown>[]; delegations: Record<string, unknown>[] } };
    const withState = (patch: Record<string, unknown>) => ({ ...appState, staking: { ...staking, exported_state: { ...staking.exported_state, ...patch } } });
    const vals = staking.exported_state.validators;
    const [val0, val1] = vals as [Record<string, unknown>, Record<string, unknown>];
    // An Unbonded validator with no stake, on v0's consensus key: InitChain took it (only two bonded ones clash in CometBFT's set).
    const v4 = await operator(4);
    const idle = { ...val1, operatorAddress: v4.valoper, consensusPubkey: val0.consensusPubkey, status: "BOND_STATUS_UNBONDED", tokens: "0", delegatorShares: "0" };
    // … with its F1 records (no stake, so nothing outstanding), so that only the shared key is wrong.
    const list = (field: string): unknown[] => (appState.distribution as Record<string, unknown[]>)[field] ?? [];
    const idleState = {
      ...appState,
      staking: { ...staking, exported_state: { ...staking.exported_state, validators: [...vals, idle] } },
      distribution: {
        ...(appState.distribution as object),
        outstanding_rewards: [...list("outstanding_rewards"), { validator_address: v4.valoper, outstanding_rewards: [] }],
        validator_accumulated_commissions: [...list("validator_accumulated_commissions"), { validator_address: v4.valoper, accumulated: { commission: [] } }],
        validator_historical_rewards: [...list("validator_historical_rewards"), { validator_address: v4.valoper, period: "0", rewards: { cumulative_reward_ratio: [], reference_count: 1 } }],
        validator_current_rewards: [...list("validator_current_rewards"), { validator_address: v4.valoper, rewards: { rewards: [], period: "1" } }],
      },
    };
    const entry = { creationHeight: "3", completionTime: "2030-01-01T00:00:00Z", initialBalance: "1", balance: "1", unbondingId: "0", unbondingOnHoldRefCount: "0" };
    const ubd = { delegatorAddress: bob.address, validatorAddress: v0.valoper, entries: [entry] };
    const red = { delegatorAddress: bob.address, validatorSrcAddress: v0.valoper, validatorDstAddress: v1.valoper, entries: [] };
    const signed = auth.accounts.find((a) => a.pub_key !== undefined);
    assert.ok(signed, "alice's key is exported");
    type Coins = { denom: string; amount: string }[];
    const distr = appState.distribution as { fee_pool: { community_pool: Coins }; validator_historical_rewards: { rewards: { reference_count: number } }[]; validator_current_rewards: unknown[] };
    const [pooled] = distr.fee_pool.community_pool;
    assert.ok(pooled, "the fee is in the community pool");
    const withDistr = (d: Record<string, unknown>) => ({ ...appState, distribution: { ...distr, ...d } });
    type Info = { address: string; validator_signing_info: Record<string, unknown> };
    const slashing = appState.slashing as { signing_infos: Info[] };
    assert.equal(slashing.signing_infos.length, 3, "the genesis validators' signing infos are exported");
    const withInfo = (patch: Record<string, unknown>) =>
      ({ ...appState, slashing: { ...slashing, signing_infos: slashing.signing_infos.map((s, i) => (i === 0 ? { ...s, validator_signing_info: { ...s.validator_signing_info, ...patch } } : s)) } });
    const bad: [string, Record<string, unknown>, RegExp][] = [
      ["a key of another account", { ...appState, auth: { ...auth, accounts: auth.accounts.map((a) => (a === signed ? { ...a, address: bob.address } : a)).filter((a, i, l) => l.findIndex((x) => x.address === a.address) === i) } }, /pub_key is not the key of/],
      ["an account number used twice", { ...appState, auth: { ...auth, accounts: auth.accounts.map((a) => ({ ...a, account_number: "0" })) } }, /account number 0 is used twice/],
      ["gentx validators and an exported state", { ...appState, staking: { ...staking, validators: [{ operator_address: v0.valoper, consensus_pubkey: Buffer.from(v0.consKey).toString("base64"), self_delegation: "1", description: { moniker: "x" } }] } }, /either validators .* or exported_state/],
      ["a power of no validator", { ...appState, staking: { ...staking, exported_state: { ...staking.exported_state, last_validator_powers: [{ address: v0.valoper.replace(/.{6}$/, "qqqqqq"), power: "1" }] } } }, /invalid|checksum|last_validator_powers/],
      ["an unknown field in an exported validator (a misspelt unbondingTime would be the epoch)", { ...appState, staking: { ...staking, exported_state: { ...staking.exported_state, validators: staking.exported_state.validators.map((v, i) => (i === 0 ? { ...v, unbonding_time: "2030-01-01T00:00:00Z" } : v)) } } }, /exported_state\.validators\[0\]: unknown field "unbonding_time"/],
      ["an unknown field in an exported validator's commission", { ...appState, staking: { ...staking, exported_state: { ...staking.exported_state, validators: staking.exported_state.validators.map((v, i) => (i === 0 ? { ...v, commission: { ...(v.commission as object), max_rate: "1" } } : v)) } } }, /exported_state\.validators\[0\]\.commission: unknown field "max_rate"/],
      ["two validators on one consensus key", withState({ validators: [val0, { ...val1, consensusPubkey: val0.consensusPubkey }, ...vals.slice(2)] }), /exported_state\.validators\[1\]: consensus key \S+ is also validators\[0\]'s/],
      ["an unbonded validator on a bonded one's consensus key", idleState, /exported_state\.validators\[3\]: consensus key \S+ is also validators\[0\]'s/],
      ["a validator listed twice", withState({ validators: [...vals, val0] }), /exported_state\.validators\[3\]: operator_address \S+ is also validators\[0\]'s/],
      ["a consensus key that is no ed25519 key", withState({ validators: [{ ...val0, consensusPubkey: { typeUrl: "/cosmos.crypto.secp256k1.PubKey", value: "CiEC" } }, ...vals.slice(1)] }), /exported_state\.validators\[0\]\.consensus_pubkey must be a \/cosmos\.crypto\.ed25519\.PubKey/],
      ["a delegation listed twice", withState({ delegations: [...staking.exported_state.delegations, staking.exported_state.delegations[0]] }), /exported_state\.delegations\[3\]: \(delegator, validator\) \(\S+, \S+\) is also delegations\[0\]'s/],
      ["an unbonding delegation listed twice", withState({ unbonding_delegations: [ubd, ubd] }), /exported_state\.unbonding_delegations\[1\]: \(delegator, validator\) .* is also unbonding_delegations\[0\]'s/],
      ["two unbonding entries of one height", withState({ unbonding_delegations: [{ ...ubd, entries: [entry, { ...entry, completionTime: "2030-01-02T00:00:00Z" }] }] }), /exported_state\.unbonding_delegations\[0\]\.entries\[1\]: creation_height 3 is also unbonding_delegations\[0\]\.entries\[0\]'s/],
      ["a redelegation listed twice", withState({ redelegations: [red, red] }), /exported_state\.redelegations\[1\]: \(delegator, source, destination\) .* is also redelegations\[0\]'s/],
      ["a bonded validator missing from last_validator_powers (CometBFT would never hear of it)", withState({ last_validator_powers: staking.exported_state.last_validator_powers.filter((p) => p.address !== val0.operatorAddress) }), /exported_state\.validators\[0\]: \S+ is bonded but not in last_validator_powers/],
      ["power for an unbonded validator with no stake", { ...idleState, staking: { ...idleState.staking, exported_state: { ...idleState.staking.exported_state, validators: [...vals, { ...idle, consensusPubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: Buffer.concat([Buffer.from([10, 32]), Buffer.alloc(32, 7)]).toString("base64") } }], last_validator_powers: [...staking.exported_state.last_validator_powers, { address: v4.valoper, power: "5" }] } } }, /exported_state\.last_validator_powers\[3\]: \S+ is BOND_STATUS_UNBONDED, and only a bonded validator has power/],
      ["a power its tokens do not back", withState({ last_validator_powers: staking.exported_state.last_validator_powers.map((p, i) => (i === 0 ? { ...p, power: "999" } : p)) }), /exported_state\.last_validator_powers\[0\]: power 999 is not the \d+ its tokens give/],
      ["tokens that are no integer", withState({ validators: [{ ...val0, tokens: "1e6" }, ...vals.slice(1)] }), /exported_state\.validators\[0\]\.tokens must be a non-negative integer, not "1e6"/],
      ["a last power listed twice", withState({ last_validator_powers: [...staking.exported_state.last_validator_powers, staking.exported_state.last_validator_powers[0]] }), /exported_state\.last_validator_powers\[3\]: address \S+ is also last_validator_powers\[0\]'s/],
      ["a community pool the distribution account does not hold", withDistr({ fee_pool: { community_pool: [{ ...pooled, amount: `1${pooled.amount}` }] } }), /distribution account holds .* but outstanding rewards \+ community pool is/],
      ["a negative community pool", withDistr({ fee_pool: { community_pool: [{ ...pooled, amount: `-${pooled.amount}` }] } }), /community_pool\[0\]\.amount.*not a non-negative decimal/],
      ["a reference count off by one", withDistr({ validator_historical_rewards: distr.validator_historical_rewards.map((r, i) => (i === 0 ? { ...r, rewards: { ...r.rewards, reference_count: r.rewards.reference_count + 1 } } : r)) }), /at period \d+ have reference_count \d+ but \d+ references/],
      ["records of a validator without current rewards", withDistr({ validator_current_rewards: distr.validator_current_rewards.slice(1) }), /which has no validator_current_rewards/],
      ["an unknown distribution field", withDistr({ previous_proposer: "" }), /distribution genesis: unknown field "previous_proposer"/],
      ["a tombstoned validator jailed only for a while", withInfo({ tombstoned: true }), /is tombstoned, so it must be jailed until 9999-12-31T23:59:59Z/],
      ["a missed-blocks counter with no missed blocks", withInfo({ missed_blocks_counter: "1" }), /has missed_blocks_counter 1 but 0 missed blocks/],
      ["an unknown slashing field", { ...appState, slashing: { ...slashing, missed_blocks_bitmap: [] } }, /slashing genesis: unknown field "missed_blocks_bitmap"/],
    ];
    for (const [what, state, re] of bad) {
      const path = dbPath();
      const app = new TrustNetApp({ store: StateStore.open(path) });
      assert.throws(() => app.initChain({ time: { seconds: T0, nanos: 0 }, chainId: CHAIN, validators: [], initialHeight: 5n, consensusParams: undefined, appStateBytes: new TextEncoder().encode(JSON.stringify(state)) }), re, what);
      assert.equal(StateStore.open(path).lastHeight, 0n, what);
    }
  });

  test("a new chain's signing info must name a genesis validator; an exported chain keeps a removed validator's", async () => {
    // An exported chain: v4 bonds (so it gets a signing info), then unbonds all its stake and is removed when the
    // unbonding completes. Its signing info stays, as the SDK keeps it, and the export imports.
    const v4 = await operator(4);
    const h = await harness({ dbPath, validators: ops, funded: [alice, v4.key], signing: true });
    const created = await h.run(v4.key, [{ typeUrl: `${U}MsgCreateValidator`, value: {
      description: { moniker: "v4", identity: "", website: "", securityContact: "", details: "" },
      commission: { rate: String(10n ** 17n), maxRate: String(2n * 10n ** 17n), maxChangeRate: String(10n ** 16n) },
      minSelfDelegation: "1", delegatorAddress: "", validatorAddress: v4.valoper,
      pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: PubKey.encode({ key: v4.consKey }).finish() }, value: coin(5_000_000n),
    } }]);
    assert.equal(created.code, 0, created.log);
    assert.ok(created.updates.some((u) => u.power === 5n), "v4 is bonded");
    h.block();
    const left = await h.run(v4.key, [{ typeUrl: `${U}MsgUndelegate`, value: { delegatorAddress: v4.key.address, validatorAddress: v4.valoper, amount: coin(5_000_000n) } }]);
    assert.equal(left.code, 0, left.log);
    for (let i = 0; i < 3; i++) h.block([], 40n); // past the 60 s unbonding time: v4 is unbonded with no shares, so removed
    const exported = h.app.exportGenesis();
    const operators = (exported.appState.staking as { exported_state: { validators: { operatorAddress: string }[] } }).exported_state.validators.map((v) => v.operatorAddress);
    assert.ok(!operators.includes(v4.valoper), "v4 is removed from staking");
    const v4cons = valconsAddress(sha256(v4.consKey).slice(0, 20));
    const slashing = exported.appState.slashing as { signing_infos: { address: string }[] };
    assert.ok(slashing.signing_infos.some((s) => s.address === v4cons), "its signing info is kept and exported");
    const fresh = new TrustNetApp({ store: StateStore.open(dbPath()), checkInvariants: true });
    assert.ok(fresh.initChain({
      time: { seconds: BigInt(exported.time.getTime() / 1000), nanos: 0 }, chainId: exported.chainId, validators: [], initialHeight: exported.height + 1n,
      consensusParams: { block: { maxBytes: 22020096n, maxGas: 100_000_000n } } as never, appStateBytes: new TextEncoder().encode(JSON.stringify(exported.appState)),
    }).appHash, "the export, with the removed validator's signing info, imports");

    // A new chain (staking's genesis validators): a signing info must belong to one of them.
    const info = (address: string) => ({ address, validator_signing_info: { address, start_height: "0", index_offset: "0", jailed_until: "1970-01-01T00:00:00Z", tombstoned: false, missed_blocks_counter: "0" } });
    const newChain = (signingInfos: unknown[]) => {
      const path = dbPath();
      const state = genesisJson({ dbPath, validators: ops, funded: [alice], slashing: { signing_infos: signingInfos } });
      const init = () => new TrustNetApp({ store: StateStore.open(path) }).initChain({
        time: { seconds: T0, nanos: 0 }, chainId: CHAIN, validators: [], initialHeight: 1n, consensusParams: undefined, appStateBytes: new TextEncoder().encode(JSON.stringify(state)),
      });
      return { path, init };
    };
    const v0cons = valconsAddress(sha256(v0.consKey).slice(0, 20));
    assert.ok(newChain([info(v0cons)]).init().appHash, "a genesis validator's signing info is taken");
    const stranger = newChain([info(v0cons), info(v4cons)]);
    assert.throws(stranger.init, (err: Error) => {
      assert.match(err.message, new RegExp(`^genesis app_state\\.slashing: the signing info of ${v4cons} names no validator of app_state\\.staking's validators`));
      return true;
    });
    assert.equal(StateStore.open(stranger.path).lastHeight, 0n, "nothing is written");
  });
});
