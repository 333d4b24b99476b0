// The lock's takeover of a dead holder's lock, by several waiters at once: one holder at a time.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LockedError } from "../errors.ts";
import { withLock } from "./lock.ts";
import { currentBootId } from "./proc.ts";

async function deadPid(): Promise<number> {
  const p = spawn("true");
  await new Promise((r) => p.on("exit", r));
  return p.pid ?? 0;
}

describe("withLock: a dead holder's lock", () => {
  test("taken over by one of several waiters at a time, never by two at once (a breaker removed the new holder's lock)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tn-lock-"));
    try {
      const file = join(dir, ".lock");
      for (let round = 0; round < 20; round++) {
        await writeFile(file, `${await deadPid()} ${await currentBootId()}\n`);
        let inside = 0;
        let most = 0;
        const holder = async (): Promise<string> => {
          inside++;
          most = Math.max(most, inside);
          await new Promise((r) => setTimeout(r, 20));
          inside--;
          return "held";
        };
        // Waiters (waitMs): each either holds in turn or, refused, has seen a live holder.
        const results = await Promise.all(Array.from({ length: 4 }, () => withLock(file, holder, { waitMs: 5000, pollMs: 5 }).catch((e: unknown) => e)));
        assert.ok(results.every((r) => r === "held" || r instanceof LockedError), String(results.find((r) => r !== "held")));
        assert.equal(most, 1, `round ${round}: ${most} holders at once`);
        assert.equal(existsSync(file), false, "released");
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
