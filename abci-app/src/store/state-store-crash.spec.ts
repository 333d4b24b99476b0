import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { toHex } from "./bytes.ts";
import { keyPath, leafHash } from "./merkle-hash.ts";
import { computeRoot } from "./merkle-tree.ts";
import { StateStore } from "./state-store.ts";
import { crashBlock } from "./testing/crash-workload.ts";
import { dec, enc, tempDir } from "./testing/helpers.ts";

const CHILD = fileURLToPath(new URL("./testing/crash-child.ts", import.meta.url));
const KILLS = 10;

/**
 * Runs the child until `ms` after a moment (`from`): after spawning it, after it has opened the store, or after it
 * reported its first commit of this run; then SIGKILLs it; returns the commits it reported.
 */
async function runAndKill(dbPath: string, ms: number, from: "spawn" | "ready" | "first-commit" = "ready"): Promise<{ height: bigint; hash: string }[]> {
  const child = spawn(process.execPath, [CHILD, dbPath], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  let onReady: () => void = () => undefined;
  let onCommit: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => { onReady = resolve; });
  const committed = new Promise<void>((resolve) => { onCommit = resolve; });
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    if (out.startsWith("ready\n")) onReady();
    if (/\n\d+ \S+\n/.test(out)) onCommit();
  });
  child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
  if (from !== "spawn") await Promise.race([from === "ready" ? ready : committed, exited]);
  await new Promise((r) => setTimeout(r, ms));
  child.kill("SIGKILL");
  const signal = await exited;
  assert.ok(signal === "SIGKILL", `the child died on its own before the kill:\n${err}`);
  return out.split("\n").filter((l) => l.includes(" ")).map((l) => {
    const [h, hash] = l.split(" ");
    return { height: BigInt(h ?? "0"), hash: hash ?? "" };
  });
}

/** The app hash of height h, replayed from the block schedule without the store. */
function replayRoot(h: bigint): string {
  const state = new Map<string, { key: Uint8Array; value: Uint8Array }>();
  for (let i = 1n; i <= h; i++) {
    for (const [hex, v] of crashBlock(i)) {
      if (v === null) state.delete(hex);
      else state.set(hex, { key: new Uint8Array(Buffer.from(hex, "hex")), value: v });
    }
  }
  return toHex(computeRoot([...state.values()].map(({ key, value }) => ({ keyHash: keyPath(key), leafHash: leafHash(key, value) }))));
}

describe("StateStore crash safety", () => {
  test(`kill -9 at random moments (${String(KILLS)} times): reopen, verify, height and hash consistent`, async (ctx) => {
    const t = tempDir();
    try {
      const dbPath = t.path("state.db");
      let lastReported = 0n;
      const reportedHashes = new Map<bigint, string>();
      for (let round = 0; round < KILLS; round++) {
        // Random kill moments (the test itself may be random; the store may not): after the store is open, and every
        // other round after the run's first commit, so the heights advance however slowly a loaded machine commits.
        const ms = 20 + Math.floor(Math.random() * 400);
        const from = round % 2 === 0 ? "ready" : "first-commit";
        const commits = await runAndKill(dbPath, ms, from);
        for (const c of commits) reportedHashes.set(c.height, c.hash);
        const reported = commits.at(-1)?.height ?? lastReported;
        const s = StateStore.open(dbPath, { keepVersions: 5 });
        try {
          s.verify();
          const h = s.lastHeight;
          assert.ok(h >= reported, `round ${String(round)}: height ${String(h)} lost a reported commit ${String(reported)}`);
          assert.ok(h <= reported + 1n, `round ${String(round)}: height ${String(h)} beyond ${String(reported)} + 1`);
          assert.equal(dec(s.get(enc("height"))), h === 0n ? undefined : String(h));
          const want = reportedHashes.get(h);
          if (want !== undefined) assert.equal(toHex(s.lastAppHash), want);
          assert.equal(toHex(s.lastAppHash), replayRoot(h), `round ${String(round)}: app hash vs replay of 1..${String(h)}`);
          if (h > 0n) assert.equal(dec(s.getAt(enc("height"), h)), String(h));
          ctx.diagnostic(`round ${String(round)}: killed ${String(ms)} ms after ${from}; reported ${String(reported)}, reopened at ${String(h)}`);
          lastReported = h;
        } finally {
          s.close();
        }
      }
      assert.ok(lastReported >= 5n, `only ${String(lastReported)} heights committed in ${String(KILLS)} rounds`);
    } finally {
      t.cleanup();
    }
  });

  test("kill -9 while the store file is being created leaves a usable store (5 fresh files)", async () => {
    const t = tempDir();
    try {
      for (let round = 0; round < 5; round++) {
        const dbPath = t.path(`fresh-${String(round)}.db`);
        await runAndKill(dbPath, Math.floor(Math.random() * 250), "spawn");
        const s = StateStore.open(dbPath, { keepVersions: 5 });
        try {
          s.verify();
          const h = s.lastHeight;
          assert.equal(toHex(s.lastAppHash), replayRoot(h));
          s.stage(h + 1n, crashBlock(h + 1n));
          s.commit();
        } finally {
          s.close();
        }
      }
    } finally {
      t.cleanup();
    }
  });
});
