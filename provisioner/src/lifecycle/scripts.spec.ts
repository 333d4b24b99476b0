// The generated start script's path without the CLI, run by a real /bin/sh: its owner rule and its quoting.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pidAlive } from "./proc.ts";
import { startScript, stopScript } from "./scripts.ts";

/** Runs `script` with a PATH that holds no `trustnet`, so the script takes its QEMU path (here: /bin/echo). */
function run(script: string, pathPrefix = ""): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("/bin/sh", [script], { encoding: "utf8", env: { PATH: `${pathPrefix}/usr/bin:/bin` } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("start-<name>.sh without the CLI", () => {
  test("run by its owner: starts QEMU (here echo) in the VM's directory, even with shell characters in the path", async () => {
    const root = await mkdtemp(join(tmpdir(), "tn-start-"));
    try {
      const dir = join(root, `it's $(touch pwned) "vm"`);
      await mkdir(dir);
      const script = join(root, "start-tvm.sh");
      await writeFile(script, startScript("tvm", root, "/bin/echo", ["-name", "tvm"], dir, undefined));
      const r = run(script);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, "-name tvm\n");
      await assert.rejects(stat(join(dir, "pwned")), "nothing in the path was run");
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test("run by another user: refused before QEMU starts, naming the owner's uid and how to run it", async () => {
    const root = await mkdtemp(join(tmpdir(), "tn-start-"));
    try {
      // A directory this user does not own: as root, one handed to nobody (65534); otherwise / (root's).
      const isRoot = process.geteuid?.() === 0;
      const dir = isRoot ? join(root, "vm") : "/";
      if (isRoot) {
        await mkdir(dir);
        await chown(dir, 65534, 65534);
      }
      const owner = (await stat(dir)).uid;
      const script = join(root, "start-tvm.sh");
      await writeFile(script, startScript("tvm", root, "/bin/echo", ["QEMU-RAN"], dir, undefined));
      const r = run(script);
      assert.equal(r.status, 1);
      assert.equal(r.stdout, "", "QEMU was not started");
      assert.equal(r.stderr, `tvm: ${dir} belongs to uid ${owner}, not to this user (uid ${process.geteuid?.()}): run this script as its owner: sudo -u '#${owner}' sh ${script}\n`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("the scripts without the CLI use no GNU-only tool", () => {
  test("start: the owner is read with ls -n, so a stat without GNU's -c (macOS's) does not end the script", async () => {
    const root = await mkdtemp(join(tmpdir(), "tn-start-"));
    try {
      const bin = join(root, "bin");
      await mkdir(bin);
      // macOS's stat: -f FORMAT; GNU's -c is an illegal option there.
      await writeFile(join(bin, "stat"), '#!/bin/sh\necho "stat: illegal option -- c" >&2\necho "usage: stat [-FLnq] [-f format | -l | -r | -s | -x] [-t timefmt] [file ...]" >&2\nexit 1\n');
      await chmod(join(bin, "stat"), 0o755);
      const dir = join(root, "vm");
      await mkdir(dir);
      const script = join(root, "start-tvm.sh");
      await writeFile(script, startScript("tvm", root, "/bin/echo", ["-name", "tvm"], dir, undefined));
      const r = run(script, `${bin}:`);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, "-name tvm\n");
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  test("stop: SIGTERM to the process whose command line is this VM's QEMU (read with ps); any other pid is a stale pidfile", async () => {
    const root = await mkdtemp(join(tmpdir(), "tn-stop-"));
    const procs: number[] = [];
    // Its own process group (killed whole in the end): sh, its sleep, and arguments that look like QEMU's.
    const proc = (args: readonly string[]): number => {
      const p = spawn("sh", ["-c", "sleep 600; true", ...args], { stdio: "ignore", detached: true });
      procs.push(p.pid ?? 0);
      return p.pid ?? 0;
    };
    try {
      const dir = join(root, "my vm");
      await mkdir(dir);
      const pidfile = join(dir, "qemu.pid");
      const script = join(root, "stop-tvm.sh");
      await writeFile(script, stopScript("tvm", root, dir));
      const other = proc(["qemu-system-aarch64", "-pidfile", `${pidfile}.old`]);
      await writeFile(pidfile, `${other}\n`);
      await new Promise((r) => setTimeout(r, 100));
      let r = run(script);
      assert.equal(r.stdout, "tvm is not running (stale pidfile)\n", r.stderr);
      assert.ok(pidAlive(other), "another process is not killed");
      const ours = proc(["qemu-system-aarch64", "-name", "tvm", "-pidfile", pidfile]);
      await writeFile(pidfile, `${ours}\n`);
      await new Promise((r) => setTimeout(r, 100));
      r = run(script);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, "");
      const end = Date.now() + 3000;
      while (spawnSync("ps", ["-o", "stat=", "-p", String(ours)], { encoding: "utf8" }).stdout.trim().replace(/^Z.*/u, "") !== "" && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
      assert.equal(spawnSync("ps", ["-o", "stat=", "-p", String(ours)], { encoding: "utf8" }).stdout.trim().replace(/^Z.*/u, ""), "", "our QEMU got SIGTERM");
    } finally {
      for (const pid of procs) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // gone
        }
      }
      await rm(root, { recursive: true, force: true });
    }
  });
});
