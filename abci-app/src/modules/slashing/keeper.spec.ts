// The missed-blocks bitmap: chunked bits over a real SQLite-backed branch.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Branch, StateStore } from "../../store/index.ts";
import { consBytes, SlashingKeeper, valconsAddress } from "./keeper.ts";
import { MISSED_CHUNK_BITS, missedPrefix } from "./keys.ts";
import { DEC_ONE } from "../../sdk/dec.ts";
import { minSignedPerWindow } from "./params.ts";
import { DefaultParams } from "./types.ts";

const store = (): Branch => new Branch(StateStore.open(join(mkdtempSync(join(tmpdir(), "tn-bitmap-")), "state.db")));
const keeper = (): SlashingKeeper => new SlashingKeeper({} as never, {} as never);

describe("missed-blocks bitmap", () => {
  const a = new Uint8Array(20).fill(1);
  const b = new Uint8Array(20).fill(2);

  test("bits set and clear independently per validator, across chunk boundaries", () => {
    const s = store();
    const k = keeper();
    const idx = [0n, 7n, 8n, BigInt(MISSED_CHUNK_BITS) - 1n, BigInt(MISSED_CHUNK_BITS), 5000n];
    for (const i of idx) k.setMissed(s, a, i, true);
    assert.deepEqual(k.missedIndexes(s, a), idx);
    assert.deepEqual(k.missedIndexes(s, b), []);
    assert.equal(k.getMissed(s, a, 7n), true);
    assert.equal(k.getMissed(s, a, 6n), false);
    assert.equal(k.getMissed(s, b, 7n), false);
    k.setMissed(s, a, 7n, false);
    assert.equal(k.getMissed(s, a, 7n), false);
    assert.equal(k.getMissed(s, a, 8n), true, "the neighbour bit in the same byte is kept");
  });

  test("a chunk with no bit left is deleted; clearMissed forgets the whole window", () => {
    const s = store();
    const k = keeper();
    k.setMissed(s, a, 3n, true);
    k.setMissed(s, a, 3n, false);
    assert.equal([...s.iterate(missedPrefix(a))].length, 0);
    for (const i of [1n, 2000n, 4000n]) k.setMissed(s, a, i, true);
    k.setMissed(s, b, 1n, true);
    k.clearMissed(s, a);
    assert.deepEqual(k.missedIndexes(s, a), []);
    assert.deepEqual(k.missedIndexes(s, b), [1n]);
  });

  test("min signed per window rounds half to even, as LegacyDec.RoundInt64", () => {
    const p = (window: bigint, frac: bigint) => minSignedPerWindow({ ...DefaultParams, signedBlocksWindow: window, minSignedPerWindow: frac });
    assert.equal(p(100n, DEC_ONE / 2n), 50n);
    assert.equal(p(5n, DEC_ONE / 2n), 2n); // 2.5 -> 2
    assert.equal(p(7n, DEC_ONE / 2n), 4n); // 3.5 -> 4
    assert.equal(p(10n, (DEC_ONE * 55n) / 100n), 6n); // 5.5 -> 6
    assert.equal(p(3n, DEC_ONE / 3n), 1n);
  });
});

test("consBytes takes the canonical lower-case valcons form only", () => {
  const raw = Uint8Array.from({ length: 20 }, (_, i) => 255 - i);
  const address = valconsAddress(raw);
  assert.deepEqual(consBytes(address), raw);
  assert.throws(() => consBytes(address.toUpperCase()), /not in the canonical lower-case form/);
  assert.throws(() => consBytes(""), /empty consensus address/);
});
