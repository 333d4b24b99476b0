import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { commandLineOf, isOurQemu, namesOurQemu, psCommandLine, type CommandLine } from "./proc.ts";

/** A process whose arguments look like our QEMU's (names "qemu-system" and the pidfile). */
function fakeQemu(pidfile: string): { pid: number; kill: () => void } {
  // Its own process group, killed whole: the shell's sleep goes with it.
  const p = spawn("sh", ["-c", "sleep 600; true", "qemu-system-aarch64", "-name", "x", "-pidfile", pidfile], { stdio: "ignore", detached: true });
  return { pid: p.pid ?? 0, kill: () => process.kill(-(p.pid ?? 0), "SIGKILL") };
}

describe("is a pid this VM's QEMU", () => {
  const pidfile = "/h/vms/trustnet-node/qemu.pid";

  test("from /proc's argv: qemu-system and the exact pidfile argument", () => {
    assert.equal(namesOurQemu({ argv: ["qemu-system-aarch64", "-pidfile", pidfile, ""] }, pidfile), true);
    assert.equal(namesOurQemu({ argv: ["qemu-system-aarch64", "-pidfile", `/x${pidfile}`, ""] }, pidfile), false);
    assert.equal(namesOurQemu({ argv: ["sleep", "-pidfile", pidfile] }, pidfile), false);
  });

  test("from ps's one line (no /proc, macOS): the pidfile whole, after -pidfile, last or followed by more", () => {
    const line = (l: string): CommandLine => ({ line: l });
    assert.equal(namesOurQemu(line(`/opt/homebrew/bin/qemu-system-aarch64 -name trustnet-node -pidfile ${pidfile}\n`), pidfile), true);
    assert.equal(namesOurQemu(line(`qemu-system-aarch64 -pidfile ${pidfile} -daemonize`), pidfile), true);
    // Another home whose path ends in this one's, another VM's name sharing a prefix, another program.
    assert.equal(namesOurQemu(line(`qemu-system-aarch64 -pidfile /b${pidfile}`), pidfile), false);
    assert.equal(namesOurQemu(line(`qemu-system-aarch64 -pidfile ${pidfile}.old`), pidfile), false);
    assert.equal(namesOurQemu(line(`vim ${pidfile}`), pidfile), false);
  });

  test("isOurQemu reads the command line it is given: a running VM where there is no /proc is running, not stale", async () => {
    const ps = async (): Promise<CommandLine> => ({ line: `/opt/homebrew/bin/qemu-system-aarch64 -accel hvf -pidfile ${pidfile}\n` });
    assert.equal(await isOurQemu(4242, pidfile, ps), true);
    assert.equal(await isOurQemu(4242, "/h/vms/trustnet-registry/qemu.pid", ps), false);
    assert.equal(await isOurQemu(4242, pidfile, async () => undefined), false);
  });

  test("a real process, read through /proc and through ps: both name it; a gone pid is nobody", async () => {
    const q = fakeQemu(pidfile);
    try {
      await new Promise((r) => setTimeout(r, 100));
      const proc = await commandLineOf(q.pid);
      assert.ok(proc !== undefined && namesOurQemu(proc, pidfile), JSON.stringify(proc));
      const ps = await psCommandLine(q.pid);
      assert.ok(ps !== undefined && "line" in ps && namesOurQemu(ps, pidfile), JSON.stringify(ps));
      assert.equal(await isOurQemu(q.pid, pidfile), true);
    } finally {
      q.kill();
    }
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(await psCommandLine(q.pid), undefined);
    assert.equal(await isOurQemu(q.pid, pidfile), false);
  });
});
