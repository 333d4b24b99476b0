// The WAL checkpoint runs in a worker after each commit, not inside COMMIT: every checkpoint completes, so each
// commit writes the WAL from its start again (the frames a checkpoint finds are one block's, not a growing sum), and
// the state is whole after a reopen.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { test } from "node:test";
import { toHex } from "./bytes.ts";
import { StateStore } from "./state-store.ts";
import type { Value } from "./types.ts";
import { enc, tempDir } from "./testing/helpers.ts";

function block(height: number, keys: number): Map<string, Value | null> {
  const m = new Map<string, Value | null>();
  for (let i = 0; i < keys; i++) m.set(toHex(enc(`k${height}-${i}`)), new Uint8Array(512).fill(height));
  return m;
}

test("each commit's WAL is checkpointed by the worker, so the WAL restarts every block instead of growing", async () => {
  const t = tempDir();
  try {
    const path = t.path("state.db");
    const s = StateStore.open(path);
    const frames: number[] = [];
    for (let h = 1; h <= 4; h++) {
      s.stage(BigInt(h), block(h, 2_000)); // ~1 MB of values a block: past the 1,000-page auto-checkpoint mark
      s.commit();
      const { walFrames } = await s.checkpointed();
      assert.ok(walFrames !== undefined && walFrames > 0, "the worker checkpointed the commit");
      frames.push(walFrames);
    }
    const first = frames[0] ?? 0;
    for (const f of frames) assert.ok(f < 1.5 * first, `the WAL restarted each block: frames ${frames.join(", ")}`);
    assert.ok(statSync(`${path}-wal`).size <= 2 * first * 4200, "the WAL file is about one block long");
    const hash = s.lastAppHash;
    s.close();
    assert.equal(existsSync(`${path}-wal`), false, "closing removes the WAL: the worker's connection closed first");
    const r = StateStore.open(path);
    assert.deepEqual(r.lastAppHash, hash);
    assert.equal(r.countKeys(), 8_000);
    r.verify();
    r.close();
  } finally {
    t.cleanup();
  }
});

test("backgroundCheckpoint: false leaves the checkpoint to SQLite in COMMIT, with no worker", async () => {
  const t = tempDir();
  try {
    const s = StateStore.open(t.path("state.db"), { backgroundCheckpoint: false });
    s.stage(1n, block(1, 100));
    s.commit();
    assert.deepEqual(await s.checkpointed(), { walFrames: undefined });
    s.close();
  } finally {
    t.cleanup();
  }
});

test("a store's checkpoint worker never keeps the process alive: open-only, committed, and awaited stores all exit", () => {
  const t = tempDir();
  try {
    const store = new URL("./state-store.ts", import.meta.url).href;
    for (const [i, body] of ["", "s.stage(1n, new Map([['aa', new Uint8Array([1])]])); s.commit();",
      "s.stage(1n, new Map([['aa', new Uint8Array([1])]])); s.commit(); await s.checkpointed();"].entries()) {
      const script = t.path(`case${i}.mjs`); // a script file: under -e the process exits whatever is left running
      writeFileSync(script, `import { StateStore } from ${JSON.stringify(store)}; const s = StateStore.open(${JSON.stringify(t.path(`s${i}.db`))}); ${body}`);
      // The timeout only turns a hang into a failure; the assertion is the exit status.
      const r = spawnSync(process.execPath, [script], { timeout: 20_000, encoding: "utf8" });
      assert.equal(r.signal, null, `case ${i} did not exit by itself: ${r.stderr}`);
      assert.equal(r.status, 0, r.stderr);
    }
  } finally {
    t.cleanup();
  }
});
