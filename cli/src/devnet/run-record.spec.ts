// The run record outside the home and `devnet down` acting on it, with real processes (sleep) standing in for the
// supervisor and its children: what is recorded and still runs its recorded command line is stopped, even after the
// home is deleted; a PID whose command line differs (a reused PID) is left alone.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { CliError } from "../errors.ts";
import { devnetDown, runningSupervisor } from "./control.ts";
import { waitFor } from "./process-util.ts";
import { cmdlineOf, liveCmdline, readRunRecord, removeRunRecord, runRecordDir, runRecordPath, stillRunning, writeRunRecord } from "./run-record.ts";

const root = mkdtempSync(join(tmpdir(), "trustnet-runrec-spec-"));
const runtime = join(root, "xdg");
mkdirSync(runtime, { mode: 0o700 });
process.env.XDG_RUNTIME_DIR = runtime;
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(root, { recursive: true, force: true });
});

function start(seconds: string): { child: ChildProcess; rec: { role: string; pid: number; cmdline: string } } {
  const child = spawn("sleep", [seconds], { stdio: "ignore" });
  children.push(child);
  const rec = { role: `sleep-${seconds}`, pid: child.pid ?? 0, cmdline: cmdlineOf(child.spawnargs) };
  // spawn returns after fork, possibly before exec: until then /proc shows the parent's command line.
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 200 && liveCmdline(rec.pid) !== rec.cmdline; i++) Atomics.wait(pause, 0, 0, 10);
  return { child, rec };
}
const exited = (c: ChildProcess): boolean => c.exitCode !== null || c.signalCode !== null;

describe("devnet run record", () => {
  test("lives outside the home, in a private per-user directory, keyed by the home path", () => {
    const home = join(root, "home-a");
    writeRunRecord({ home, supervisor: { role: "supervisor", pid: 4242, cmdline: "x" }, processes: [] });
    const path = runRecordPath(home);
    assert.ok(path.startsWith(join(runtime, "trustnet") + "/"), path);
    assert.equal(statSync(join(runtime, "trustnet")).mode & 0o777, 0o700);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(readRunRecord(home)?.supervisor.pid, 4242);
    assert.equal(readRunRecord(join(root, "home-b")), undefined, "another home has its own record");
    removeRunRecord(home);
    assert.equal(readRunRecord(home), undefined);
  });

  test("is written through an exclusive temp file of a random name: a symlink planted at the old predictable temp path is not followed", () => {
    const home = join(root, "home-planted");
    const path = runRecordPath(home);
    const victim = join(root, "victim.txt");
    writeFileSync(victim, "precious\n");
    const planted = `${path}.${process.pid}.tmp`; // the temp name the record used to be written through
    symlinkSync(victim, planted);
    try {
      writeRunRecord({ home, supervisor: { role: "supervisor", pid: 4243, cmdline: "x" }, processes: [] });
      assert.equal(readFileSync(victim, "utf8"), "precious\n", "the symlink's target is untouched");
      assert.ok(lstatSync(path).isFile(), "the record is a regular file of its own");
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.equal(readRunRecord(home)?.supervisor.pid, 4243);
      assert.deepEqual(readdirSync(join(runtime, "trustnet")).filter((n) => n.includes(".tmp")), [planted.slice(planted.lastIndexOf("/") + 1)], "no temp file of the write left behind");
    } finally {
      rmSync(planted, { force: true });
      removeRunRecord(home);
    }
  });

  test("a run directory open to others is refused", () => {
    chmodSync(join(runtime, "trustnet"), 0o777);
    try {
      assert.throws(() => runRecordDir(), (e: unknown) => e instanceof CliError && /not a private directory/u.test(e.message));
    } finally {
      chmodSync(join(runtime, "trustnet"), 0o700);
    }
  });

  test("a recorded PID counts only while it runs the recorded command line", () => {
    const { rec } = start("31");
    assert.equal(stillRunning(rec), true);
    assert.equal(stillRunning({ ...rec, cmdline: "node /somewhere/else.js" }), false, "same PID, another program");
  });

  test("devnet down stops the recorded supervisor and children after the home is deleted, and never a reused PID", async () => {
    const home = join(root, "home-deleted");
    mkdirSync(home);
    const sup = start("41");
    const app = start("42");
    const comet = start("43");
    const stranger = start("44"); // recorded with another command line: a PID since reused by an unrelated program
    writeRunRecord({ home, supervisor: { ...sup.rec, role: "supervisor" }, processes: [app.rec, comet.rec, { ...stranger.rec, cmdline: "cometbft start --home /gone" }] });
    rmSync(home, { recursive: true, force: true });
    assert.equal(runningSupervisor(home), sup.rec.pid, "found without the home");
    const r = await devnetDown(home, 5_000);
    assert.equal(r.wasRunning, true);
    assert.ok(await waitFor(() => exited(sup.child) && exited(app.child) && exited(comet.child), 5_000, 50), "supervisor and children stopped");
    assert.equal(exited(stranger.child), false, "the reused PID was not signalled");
    assert.equal(readRunRecord(home), undefined, "record removed");
    assert.equal((await devnetDown(home, 1_000)).wasRunning, false);
  });

  test("children left behind by a dead supervisor are stopped", async () => {
    const home = join(root, "home-orphans");
    const app = start("51");
    writeRunRecord({ home, supervisor: { role: "supervisor", pid: 2 ** 22 + 7, cmdline: "node supervisor.ts --home gone" }, processes: [app.rec] });
    assert.equal(runningSupervisor(home), undefined);
    assert.equal((await devnetDown(home, 5_000)).wasRunning, true);
    assert.ok(await waitFor(() => exited(app.child), 5_000, 50));
  });
});
