// The runner's foreground children (foreground.ts): a SIGTERM or SIGINT stops the child running and exits 143 or 130
// at once, not when the phase ends (with spawnSync the signal waited for the whole phase).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";

const dir = mkdtempSync(join(tmpdir(), "tn-foreground-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// A runner of one long phase: a shell that prints its pid, then sleeps a minute.
const script = join(dir, "runner.ts");
writeFileSync(script, `
import { Foreground } from ${JSON.stringify(join(import.meta.dirname, "foreground.ts"))};
const fg = new Foreground(() => console.log("onStop"));
const status = await fg.run("sh", ["-c", "echo child $$; exec sleep 60"]);
console.log("phase ended", status);
process.exit(status);
`);

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function stopRunner(sig: "SIGTERM" | "SIGINT"): Promise<{ code: number | null; out: string; child: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    let child = 0;
    p.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      const m = /child (\d+)/.exec(out);
      if (m && child === 0) {
        child = Number(m[1]);
        p.kill(sig);
      }
    });
    p.once("error", reject);
    p.once("exit", (code) => { resolve({ code, out, child }); });
  });
}

describe("Foreground", () => {
  for (const [sig, code] of [["SIGTERM", 143], ["SIGINT", 130]] as const) {
    test(`${sig} during a phase: onStop runs, the child is stopped, the runner exits ${code} without waiting for the phase`, { timeout: 30_000 }, async () => {
      const r = await stopRunner(sig);
      assert.equal(r.code, code);
      assert.match(r.out, /onStop/);
      assert.doesNotMatch(r.out, /phase ended/, "the runner did not go on after the signal");
      assert.ok(r.child > 0 && !alive(r.child), `the phase's child ${r.child} is gone`);
    });
  }

  test("two lanes at once: SIGTERM stops both children, the runner exits 143 once both are gone", { timeout: 30_000 }, async () => {
    const two = join(dir, "two-lanes.ts");
    const out = join(dir, "lane-2.out");
    writeFileSync(two, `
import { openSync } from "node:fs";
import { Foreground } from ${JSON.stringify(join(import.meta.dirname, "foreground.ts"))};
const fg = new Foreground();
const lane2 = fg.run("sh", ["-c", "echo lane2 $$; exec sleep 60"], process.env, openSync(${JSON.stringify(out)}, "a"));
await new Promise((r) => setTimeout(r, 300));
const lane1 = fg.run("sh", ["-c", "echo child $$; exec sleep 60"]);
console.log("phase ended", await lane1, await lane2);
`);
    const r = await new Promise<{ code: number | null; out: string; child: number }>((resolve, reject) => {
      const p = spawn(process.execPath, [two], { stdio: ["ignore", "pipe", "inherit"] });
      let text = "";
      let child = 0;
      p.stdout.on("data", (b: Buffer) => {
        text += b.toString();
        const m = /child (\d+)/.exec(text);
        if (m && child === 0) { child = Number(m[1]); p.kill("SIGTERM"); }
      });
      p.once("error", reject);
      p.once("exit", (code) => { resolve({ code, out: text, child }); });
    });
    assert.equal(r.code, 143);
    assert.doesNotMatch(r.out, /phase ended/);
    const lane2 = Number(/lane2 (\d+)/.exec(readFileSync(out, "utf8"))?.[1]);
    assert.ok(lane2 > 0, "lane 2's output went to its file");
    for (const pid of [r.child, lane2]) assert.ok(!alive(pid), `child ${pid} is gone`);
  });

  test("a phase's status is its child's exit code; a command that cannot start is 127", async () => {
    // In a process of its own, as the runner: a Foreground takes over the process's SIGINT and SIGTERM.
    const statuses = join(dir, "statuses.ts");
    writeFileSync(statuses, `
import { Foreground } from ${JSON.stringify(join(import.meta.dirname, "foreground.ts"))};
const fg = new Foreground();
console.log(JSON.stringify([await fg.run("sh", ["-c", "exit 3"]), await fg.run("sh", ["-c", "true"]), await fg.run(${JSON.stringify(join(dir, "no-such-command"))}, [])]));
`);
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn(process.execPath, [statuses], { stdio: ["ignore", "pipe", "inherit"] });
      let text = "";
      p.stdout.on("data", (b: Buffer) => { text += b.toString(); });
      p.once("error", reject);
      p.once("exit", () => { resolve(text); });
    });
    assert.deepEqual(JSON.parse(out), [3, 0, 127]);
  });
});
