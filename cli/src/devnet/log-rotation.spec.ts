import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { rotateLogs, startLogRotation } from "./log-rotation.ts";

describe("log rotation (copytruncate)", () => {
  test("a log past the limit is copied to .1 (older copies shift, the oldest is dropped) and truncated; smaller logs and copies are left", () => {
    const dir = mkdtempSync(join(tmpdir(), "tn-logrot-"));
    try {
      writeFileSync(join(dir, "cometbft-0.log"), "x".repeat(2000));
      writeFileSync(join(dir, "cometbft-0.log.1"), "previous");
      writeFileSync(join(dir, "cometbft-0.log.2"), "oldest");
      writeFileSync(join(dir, "app-0.log"), "small");
      assert.deepEqual(rotateLogs(dir, { maxBytes: 1000, keep: 2 }), ["cometbft-0.log"]);
      assert.equal(statSync(join(dir, "cometbft-0.log")).size, 0);
      assert.equal(readFileSync(join(dir, "cometbft-0.log.1"), "utf8"), "x".repeat(2000));
      assert.equal(readFileSync(join(dir, "cometbft-0.log.2"), "utf8"), "previous");
      assert.equal(existsSync(join(dir, "cometbft-0.log.3")), false, "the oldest was dropped");
      assert.equal(readFileSync(join(dir, "app-0.log"), "utf8"), "small");
      assert.deepEqual(rotateLogs(dir, { maxBytes: 1000, keep: 2 }), [], "nothing is past the limit now");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a child writing to an O_APPEND fd it keeps (as the supervisor's children do) goes on at the start of the truncated file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tn-logrot-"));
    const log = join(dir, "cometbft-0.log");
    const fd = openSync(log, "a");
    // one line every 20 ms, 60 lines, to the fd it was given
    const child = spawn("sh", ["-c", "i=0; while [ $i -lt 60 ]; do echo \"line $i $(printf '%0100d' 0)\"; i=$((i+1)); sleep 0.02; done"], { stdio: ["ignore", fd, "ignore"] });
    closeSync(fd);
    try {
      const rotated: string[] = [];
      const stop = startLogRotation(dir, { maxBytes: 1500, keep: 5, intervalMs: 50, onError: (e) => assert.fail(e), onRotate: (n) => rotated.push(...n) });
      await new Promise<void>((r) => child.once("exit", () => r()));
      stop();
      assert.ok(rotated.length >= 1, `rotated ${rotated.length} times`);
      const live = readFileSync(log, "utf8");
      assert.ok(live === "" || /^line \d+ /u.test(live), "the live file starts at a line: the writes went to its new start, no zero-byte hole");
      const copies = [5, 4, 3, 2, 1].filter((i) => existsSync(`${log}.${i}`)).map((i) => readFileSync(`${log}.${i}`, "utf8"));
      assert.ok(copies.length >= 1 && copies.every((c) => /^line \d+ /u.test(c) && !c.includes("\0")), "each copy holds whole lines");
      // oldest copy to the live file: the child's lines in order, ending with its last (at most a few lost at a cut)
      const numbers = [...copies, live].join("").trimEnd().split("\n").map((l) => Number(/^line (\d+) /u.exec(l)?.[1]));
      assert.ok(numbers.every((n, i) => Number.isInteger(n) && (i === 0 || n > numbers[i - 1]!)), `lines in order: ${numbers.join(",")}`);
      assert.equal(numbers.at(-1), 59, "the child's last line is kept");
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
