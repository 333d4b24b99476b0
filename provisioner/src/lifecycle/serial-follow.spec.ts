// `logs --follow` against real files: the drain step is a parameter (here it appends what the "guest" printed,
// through appendCapped as drainSerial does), so appends, a rewrite past the cap, a moved log and a stop are real.
import assert from "node:assert/strict";
import { mkdtemp, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { followSerialLog, type FollowEnd } from "./serial-follow.ts";
import { appendCapped } from "./serial-log.ts";

interface Run {
  readonly out: string[];
  readonly notes: string[];
  /** What the guest prints next: appended to the log by the next drain. */
  readonly print: (text: string) => void;
  /** Resolves once `re` matches everything written so far. */
  readonly seen: (re: RegExp) => Promise<void>;
  readonly stop: () => void;
  readonly abort: () => void;
  readonly ended: Promise<FollowEnd>;
  /** Runs `f` between ticks (no drain or read in flight). */
  readonly between: (f: () => Promise<void>) => Promise<void>;
}

function follow(log: string, lines: number, max = 1024 * 1024, live = true): Run {
  const out: string[] = [];
  const notes: string[] = [];
  const queued: string[] = [];
  const ctl = new AbortController();
  let running = live;
  let hook: (() => Promise<void>) | undefined;
  const ended = followSerialLog(log, {
    lines, signal: ctl.signal, intervalMs: 20, write: (t) => void out.push(t), note: (l) => void notes.push(l),
    running: async () => running,
    drain: async () => {
      const h = hook;
      hook = undefined;
      await h?.();
      await appendCapped(log, Buffer.from(queued.splice(0).join("")), max);
    },
  });
  return {
    out, notes, ended,
    print: (t) => void queued.push(t),
    seen: async (re) => {
      for (let i = 0; i < 250 && !re.test(out.join("")); i++) await new Promise((r) => setTimeout(r, 20));
      assert.match(out.join(""), re);
    },
    stop: () => void (running = false),
    abort: () => ctl.abort(),
    between: (f) => new Promise<void>((resolve) => (hook = async () => { await f(); resolve(); })),
  };
}

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "tn-follow-"));
  try {
    await f(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("followSerialLog", () => {
  test("prints the last lines, then only what is new, whole lines only, until aborted", async () => withDir(async (dir) => {
    const log = join(dir, "serial.log");
    await writeFile(log, "one\ntwo\nthree\npart");
    const r = follow(log, 2);
    await r.seen(/^two\nthree\n$/);
    r.print("ial\n\x1b[1mfour\x1b[0m\n");
    await r.seen(/^two\nthree\npartial\nfour\n$/);
    r.print("fi");
    // Two drains: the first appends "fi", whose tick reads it (and holds it: no newline yet).
    await r.between(async () => undefined);
    await r.between(async () => undefined);
    assert.equal(r.out.join(""), "two\nthree\npartial\nfour\n");
    r.abort();
    assert.equal(await r.ended, "aborted");
    // A line cut short by Ctrl-C is printed as it is.
    assert.equal(r.out.join(""), "two\nthree\npartial\nfour\nfi\n");
  }));

  test("a log rewritten past its cap (a new file renamed over it) goes on after what was printed, nothing twice", async () => withDir(async (dir) => {
    // 8 KiB: the rewrite keeps less than the 4 KiB last read (found as the new file's start); 64 KiB: more.
    for (const max of [8192, 65536]) {
      const log = join(dir, `serial-${max}.log`);
      const line = (i: number): string => `line ${String(i).padStart(4, "0")} ${"x".repeat(40)}\n`;
      const r = follow(log, 5, max);
      r.print("start\n");
      await r.seen(/^start\n$/);
      let want = "start\n";
      for (let i = 0; i < 2000; i++) {
        r.print(line(i));
        want += line(i);
        if (i % 50 === 49) await r.seen(new RegExp(`${line(i).trim()}\n$`));
      }
      r.abort();
      assert.equal(await r.ended, "aborted");
      assert.equal(r.out.join(""), want, `every line once, in order, across the rewrites (cap ${max})`);
      assert.deepEqual(r.notes, []);
    }
  }));

  test("a rewrite that lost what was not read yet says so and prints what the new file holds", async () => withDir(async (dir) => {
    const log = join(dir, "serial.log");
    await writeFile(log, "old\n");
    const r = follow(log, 10);
    await r.seen(/^old\n$/);
    await r.between(async () => {
      await writeFile(join(dir, "new"), "entirely new\n");
      await rename(join(dir, "new"), log);
    });
    await r.seen(/^old\nentirely new\n$/);
    r.abort();
    await r.ended;
    assert.match(r.notes.join("\n"), /rewritten past its cap .* some output was dropped/);
  }));

  test("the VM stops: its last output is printed, then the follow ends (stopped)", async () => withDir(async (dir) => {
    const log = join(dir, "serial.log");
    const r = follow(log, 10);
    r.print("booting\n");
    await r.seen(/^booting\n$/);
    r.print("reboot: Power down\n");
    r.stop();
    assert.equal(await r.ended, "stopped");
    assert.equal(r.out.join(""), "booting\nreboot: Power down\n");
  }));

  test("a log moved away while followed (a closed lease's, to closed-logs) is read to its end", async () => withDir(async (dir) => {
    const log = join(dir, "serial.log");
    await writeFile(log, "up\n");
    const r = follow(log, 10);
    await r.seen(/^up\n$/);
    await r.between(async () => {
      await appendCapped(log, Buffer.from("last words\n"));
      await rename(log, join(dir, "kept.serial.log"));
    });
    await r.seen(/^up\nlast words\n$/);
    r.stop();
    assert.equal(await r.ended, "stopped");
  }));

  test("a VM not running: the last lines and no follow (not-running)", async () => withDir(async (dir) => {
    const log = join(dir, "serial.log");
    await writeFile(log, "a\nb\nc\n");
    const r = follow(log, 2, undefined, false);
    assert.equal(await r.ended, "not-running");
    assert.equal(r.out.join(""), "b\nc\n");
  }));

  test("no log yet: it is picked up once the VM prints", async () => withDir(async (dir) => {
    const log = join(dir, "serial.log");
    const r = follow(log, 10);
    r.print("first words\n");
    await r.seen(/^first words\n$/);
    r.abort();
    assert.equal(await r.ended, "aborted");
  }));

});
