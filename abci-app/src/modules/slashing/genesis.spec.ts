// Slashing genesis: the export of a real chain's slashing state (a downtime slash and jail, a double-sign tombstone,
// missed blocks in a window) imported into an empty store writes exactly the same records, byte for byte; every
// malformed or inconsistent section is refused with a clear message and writes nothing.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { sha256 } from "@cosmjs/crypto";
import { MisbehaviorType, type VoteInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import { harness, operator, type Operator, T0 } from "../../app/testing/staking.ts";
import { utf8 } from "../../sdk/keys.ts";
import { Branch, StateStore, type KVReader } from "../../store/index.ts";
import type { ConsensusParamsKeeper, StakingKeeper } from "./expected-keepers.ts";
import { slashingGenesis } from "./genesis.ts";
import { slashingInvariants } from "./invariants.ts";
import { SlashingKeeper, valconsAddress } from "./keeper.ts";

type Json = Record<string, unknown>;
type Info = { address: string; validator_signing_info: { address: string; start_height: string; index_offset: string; jailed_until: string; tombstoned: boolean; missed_blocks_counter: string } };
type Missed = { address: string; missed_blocks: { index: string; missed: boolean }[] };

const cons = (o: Operator): Uint8Array => sha256(o.consKey).slice(0, 20);
const EMPTY = { get: () => undefined, *iterate() {} };
/** Genesis import and export touch no other module: the keepers slashing expects are never called. */
const keeper = (): SlashingKeeper => new SlashingKeeper({} as StakingKeeper, {} as ConsensusParamsKeeper);
const records = (s: KVReader): string[][] => [...s.iterate(utf8("slashing/"))].map(([k, v]) => [Buffer.from(k).toString("hex"), Buffer.from(v).toString("hex")]);
const exportOf = (s: KVReader): Json => {
  const g = slashingGenesis(keeper());
  return JSON.parse(JSON.stringify(g.toJson(g.exportGenesis({ store: new Branch(s), height: 1n, chainId: "t" })))) as Json;
};

function imported(json: unknown): Branch {
  const store = new Branch(EMPTY);
  const g = slashingGenesis(keeper());
  g.initGenesis({ store } as never, g.validateGenesis(json));
  return store;
}

/** A real app: v0 is jailed for downtime, v1 misses 3 blocks of its window, v2 double-signs and is tombstoned. */
async function busyChain() {
  const ops = await Promise.all([41, 42, 43].map(operator));
  const [v0, v1, v2] = ops as [Operator, Operator, Operator];
  const paths: string[] = [];
  const h = await harness({
    validators: ops, funded: [], signing: true,
    slashing: { params: { signed_blocks_window: "10", min_signed_per_window: "0.5", downtime_jail_duration: "60s" } },
    dbPath: () => {
      paths.push(join(mkdtempSync(join(tmpdir(), "tn-slashing-genesis-")), "state.db"));
      return paths.at(-1) ?? "";
    },
  });
  const absent = (votes: VoteInfo[], who: readonly Operator[]): VoteInfo[] =>
    votes.map((v) => (who.some((o) => Buffer.from(cons(o)).equals(v.validator.address)) ? { ...v, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT } : v));
  h.block();
  h.block();
  for (let i = 0; i < 12; i++) h.block([], 1n, { votes: absent(h.lastVotes, i >= 9 ? [v0, v1] : [v0]) });
  h.block([], 1n, { misbehavior: [{ type: MisbehaviorType.DUPLICATE_VOTE, validator: { address: cons(v2), power: 10n }, height: h.height - 1n, time: { seconds: T0 + h.clock, nanos: 0 }, totalVotingPower: 30n }] });
  h.block();
  return { h, store: StateStore.open(paths[0] ?? ""), v0, v1, v2 };
}

describe("slashing genesis", async () => {
  const { store, v0, v1, v2 } = await busyChain();
  const json = exportOf(store);
  const infos = json.signing_infos as Info[];
  const missed = json.missed_blocks as Missed[];
  const info = (o: Operator) => infos.find((i) => i.address === valconsAddress(cons(o)))?.validator_signing_info;

  test("an export with a downtime jail, a tombstone and missed blocks imports to the same records, byte for byte", () => {
    assert.equal(infos.length, 3);
    assert.notEqual(info(v0)?.jailed_until, "1970-01-01T00:00:00Z", "v0 is jailed for downtime");
    assert.equal(info(v0)?.index_offset, "0", "v0's window restarted at its jailing");
    assert.equal(info(v2)?.tombstoned, true);
    assert.equal(info(v2)?.jailed_until, "9999-12-31T23:59:59Z");
    assert.equal(info(v1)?.missed_blocks_counter, "3");
    assert.deepEqual(missed.find((m) => m.address === valconsAddress(cons(v1)))?.missed_blocks.map((b) => b.missed), [true, true, true]);
    assert.ok(records(store).length > 4);
    const again = imported(json);
    assert.deepEqual(records(again), records(store), "the same store records, byte for byte");
    assert.deepEqual(exportOf(again), json);
    for (const inv of slashingInvariants(keeper())) assert.equal(inv.check({ store: again, height: 1n, chainId: "t" }).broken, false, inv.name);
  });

  test("a new chain's section (params only, or none) imports to params and nothing else", () => {
    const fresh = exportOf(imported({ params: { signed_blocks_window: "20" } }));
    assert.deepEqual(fresh.signing_infos, []);
    assert.deepEqual(fresh.missed_blocks, []);
    assert.equal((fresh.params as Json).signed_blocks_window, "20");
    assert.deepEqual(exportOf(imported(undefined)), { ...fresh, params: (exportOf(imported({})).params as Json) });
  });

  test("a section that is malformed or no slashing state is refused with a clear message", () => {
    const g = slashingGenesis(keeper());
    const i1 = infos.find((i) => i.address === valconsAddress(cons(v1)));
    const m1 = missed.find((m) => m.address === valconsAddress(cons(v1)));
    assert.ok(i1 && m1);
    const withInfo = (patch: Partial<Info["validator_signing_info"]>, extra: Json = {}): Json =>
      ({ ...json, signing_infos: infos.map((i) => (i === i1 ? { ...i, ...extra, validator_signing_info: { ...i.validator_signing_info, ...patch } } : i)) });
    const withMissed = (bits: unknown[], extra: Json = {}): Json => ({ ...json, missed_blocks: missed.map((m) => (m === m1 ? { ...m, ...extra, missed_blocks: bits } : m)) });
    const bad: [string, unknown, RegExp][] = [
      ["not an object", [], /slashing genesis must be an object/],
      ["an unknown field", { ...json, extra: 1 }, /slashing genesis: unknown field "extra"/],
      ["an unknown signing info field", withInfo({}, { jailed: true }), /signing_infos\[\d\]: unknown field "jailed"/],
      ["an unknown field inside the info", { ...json, signing_infos: infos.map((i) => (i === i1 ? { ...i, validator_signing_info: { ...i.validator_signing_info, power: "1" } } : i)) }, /validator_signing_info: unknown field "power"/],
      ["a bad consensus address", withInfo({}, { address: "trustvalcons1nope" }), /signing_infos\[\d\]\.address/],
      ["an account address", withInfo({}, { address: v1.key.address }), /want a 20-byte trustvalcons address/],
      ["an inner address that differs", withInfo({ address: valconsAddress(cons(v0)) }), /validator_signing_info\.address .* is not trustvalcons1/],
      ["a numeric start height", withInfo({ start_height: 1 as never }), /start_height must be a non-negative int64/],
      ["a negative index offset", withInfo({ index_offset: "-1" }), /index_offset must be a non-negative int64/],
      ["a counter beyond int64", withInfo({ missed_blocks_counter: "9223372036854775808" }), /missed_blocks_counter must be a non-negative int64/],
      ["a bad time", withInfo({ jailed_until: "2024-02-30T00:00:00Z" }), /jailed_until must be an RFC 3339 UTC time/],
      ["a time with an offset", withInfo({ jailed_until: "2024-01-01T00:00:00+01:00" }), /jailed_until must be an RFC 3339 UTC time/],
      ["a string tombstone", withInfo({ tombstoned: "true" as never }), /tombstoned must be true or false/],
      ["a tombstone jailed only for a while", withInfo({ tombstoned: true }), /is tombstoned, so it must be jailed until 9999-12-31T23:59:59Z/],
      ["a counter that is not the bits set", withInfo({ missed_blocks_counter: "4" }), /has missed_blocks_counter 4 but 3 missed blocks/],
      ["a signing info twice", { ...json, signing_infos: [...infos, i1] }, /signing info of trustvalcons1\w+ appears twice/],
      ["a missed index twice", withMissed([...m1.missed_blocks, m1.missed_blocks[0]]), /index \d+ appears twice/],
      ["a missed index outside the window", withMissed([...m1.missed_blocks.slice(1), { index: "10", missed: true }]), /missed block index 10 of trustvalcons1\w+ is outside the window of 10 blocks/],
      ["a missed flag that is no boolean", withMissed([...m1.missed_blocks.slice(1), { index: "9", missed: 1 }]), /missed_blocks\[2\]\.missed must be true or false/],
      ["an unknown bit field", withMissed([{ ...m1.missed_blocks[0], at: 1 }]), /missed_blocks\[0\]: unknown field "at"/],
      ["missed blocks of a validator without signing info", { ...json, missed_blocks: [...missed, { address: valconsAddress(new Uint8Array(20)), missed_blocks: [] }] }, /names a validator without signing info/],
      ["missed blocks twice", { ...json, missed_blocks: [...missed, m1] }, /missed_blocks of trustvalcons1\w+ appears twice/],
      ["missed blocks that are no list", withMissed({} as never), /missed_blocks must be a list/],
      ["bad params", { ...json, params: { signed_blocks_window: "0" } }, /signed_blocks_window must be a positive integer/],
    ];
    for (const [what, raw, re] of bad) {
      assert.throws(() => g.validateGenesis(raw), re, what);
      assert.throws(() => imported(raw), re, what);
    }
    // The counter check applies the whole bitmap: missed: false entries are unset bits, so they change no count.
    const store2 = imported(withMissed([...m1.missed_blocks, { index: "9", missed: false }]));
    assert.deepEqual(records(store2), records(store));
  });
});
