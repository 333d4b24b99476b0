// The generated start script's path without the CLI, run by a real /bin/sh: its owner rule and its quoting.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chown, mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startScript } from "./scripts.ts";

/** Runs `script` with a PATH that holds no `trustnet`, so the script takes its QEMU path (here: /bin/echo). */
function run(script: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync("/bin/sh", [script], { encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });
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
