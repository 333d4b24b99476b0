import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commandLineOf, currentBootId, hostProcesses, isOurQemu, listProcesses, namesOurQemu, portHolder, psCommandLine, sameBoot, UNKNOWN_BOOT, type CommandLine, type ProcessSource, type RunResult } from "./proc.ts";

/** A source with no /proc (macOS) whose commands answer from `answers` (file to result), recording each call. */
function noProc(answers: Record<string, RunResult | undefined>): { source: ProcessSource; calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    source: { procRoot: "/nonexistent/proc", run: async (file, args) => (calls.push([file, ...args]), answers[file]) },
  };
}

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

describe("who holds a port, from /proc or, where there is none (macOS), from lsof", () => {
  test("a fake /proc: the LISTEN socket's inode on the port (tcp6 too), the process whose fd links to it, its comm", async () => {
    const proc = await mkdtemp(join(tmpdir(), "tn-fake-proc-"));
    try {
      await mkdir(join(proc, "self"));
      await mkdir(join(proc, "net"));
      const head = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
      // port 2222 = 0x08AE: LISTEN (0A) with inode 4242; an ESTABLISHED (01) one on 2223 is no listener
      await writeFile(join(proc, "net", "tcp"), `${head}   0: 0100007F:08AE 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4242 1 0\n   1: 0100007F:08AF 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 5151 1 0\n`);
      await writeFile(join(proc, "net", "tcp6"), `${head}   0: 00000000000000000000000000000000:08B0 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 6363 1 0\n`);
      for (const [pid, comm, inode] of [["123", "sshd", "4242"], ["456", "python3", "6363"], ["789", "curl", "5151"]] as const) {
        await mkdir(join(proc, pid, "fd"), { recursive: true });
        await writeFile(join(proc, pid, "comm"), `${comm}\n`);
        await symlink("/dev/null", join(proc, pid, "fd", "0"));
        await symlink(`socket:[${inode}]`, join(proc, pid, "fd", "3"));
      }
      const { source, calls } = noProc({});
      const fake: ProcessSource = { ...source, procRoot: proc };
      assert.equal(await portHolder(2222, fake), "pid 123 (sshd)");
      assert.equal(await portHolder(2224, fake), "pid 456 (python3)");
      assert.equal(await portHolder(2223, fake), undefined, "a connected socket is not a listener");
      await rm(join(proc, "123"), { recursive: true });
      assert.equal(await portHolder(2222, fake), "another process (not visible to this user)");
      assert.deepEqual(calls, [], "no command runs where there is /proc");
    } finally {
      await rm(proc, { recursive: true, force: true });
    }
  });

  test("no /proc: lsof -nP -iTCP:<port> -sTCP:LISTEN -Fpc names the process; nothing listed is not visible; no lsof names nobody", async () => {
    const qemu = noProc({ lsof: { code: 0, stdout: "p777\ncqemu-system-aarch64\nf12\n" } });
    assert.equal(await portHolder(2222, qemu.source), "pid 777 (qemu-system-aarch64)");
    assert.deepEqual(qemu.calls, [["lsof", "-nP", "-iTCP:2222", "-sTCP:LISTEN", "-Fpc"]]);
    // lsof lists nothing (exit 1) for another user's process it cannot see
    assert.equal(await portHolder(2222, noProc({ lsof: { code: 1, stdout: "" } }).source), "another process (not visible to this user)");
    assert.equal(await portHolder(2222, noProc({ lsof: undefined }).source), undefined);
  });
});

describe("every process and its command line, from /proc or, where there is none (macOS), from ps", () => {
  test("no /proc: one ps -ax -ww -o pid=,command= run, each line's pid and command; a failed ps lists nothing", async () => {
    const { source, calls } = noProc({ ps: { code: 0, stdout: "    1 /sbin/launchd\n  812 /opt/homebrew/bin/qemu-system-aarch64 -name a b -pidfile /h/x.pid\n\n" } });
    assert.deepEqual(await listProcesses(source), [
      { pid: 1, cmd: { line: "/sbin/launchd" } },
      { pid: 812, cmd: { line: "/opt/homebrew/bin/qemu-system-aarch64 -name a b -pidfile /h/x.pid" } },
    ]);
    assert.deepEqual(calls, [["ps", "-ax", "-ww", "-o", "pid=,command="]]);
    assert.deepEqual(await listProcesses(noProc({ ps: { code: 1, stdout: "" } }).source), []);
    assert.deepEqual(await listProcesses(noProc({ ps: undefined }).source), []);
  });

  test("a real process through this host's ps (as on macOS) and its /proc: both list it with its command line", async () => {
    const pidfile = "/h/leases/7/qemu.pid";
    const q = fakeQemu(pidfile);
    try {
      await new Promise((r) => setTimeout(r, 100));
      const viaPs = (await listProcesses({ procRoot: "/nonexistent/proc", run: hostProcesses.run })).find((p) => p.pid === q.pid);
      assert.ok(viaPs !== undefined && "line" in viaPs.cmd && namesOurQemu(viaPs.cmd, pidfile), JSON.stringify(viaPs));
      const viaProc = (await listProcesses()).find((p) => p.pid === q.pid);
      assert.ok(viaProc !== undefined && "argv" in viaProc.cmd && namesOurQemu(viaProc.cmd, pidfile), JSON.stringify(viaProc));
    } finally {
      q.kill();
    }
  });
});

describe("this boot's id, from /proc or, where there is none (macOS), from sysctl", () => {
  test("a fake /proc: sys/kernel/random/boot_id, and no command runs; one without the file: unknown", async () => {
    const proc = await mkdtemp(join(tmpdir(), "tn-fake-proc-"));
    try {
      await mkdir(join(proc, "self"));
      const { source, calls } = noProc({});
      const fake: ProcessSource = { ...source, procRoot: proc };
      assert.equal(await currentBootId(fake), UNKNOWN_BOOT);
      await mkdir(join(proc, "sys", "kernel", "random"), { recursive: true });
      await writeFile(join(proc, "sys", "kernel", "random", "boot_id"), "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\n");
      assert.equal(await currentBootId(fake), "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
      assert.deepEqual(calls, []);
    } finally {
      await rm(proc, { recursive: true, force: true });
    }
  });

  test("no /proc: sysctl -n kern.bootsessionuuid; no sysctl, a failed one or an answer that is no UUID: unknown", async () => {
    const mac = noProc({ sysctl: { code: 0, stdout: "7A3C1E52-9B4D-4F0A-8C6E-2D1B0A9F8E7D\n" } });
    assert.equal(await currentBootId(mac.source), "7A3C1E52-9B4D-4F0A-8C6E-2D1B0A9F8E7D");
    assert.deepEqual(mac.calls, [["sysctl", "-n", "kern.bootsessionuuid"]]);
    for (const r of [undefined, { code: 1, stdout: "" }, { code: 0, stdout: "\n" }, { code: 0, stdout: "{ sec = 1733600000, usec = 0 }\n" }]) {
      assert.equal(await currentBootId(noProc({ sysctl: r }).source), UNKNOWN_BOOT, JSON.stringify(r));
    }
  });

  test("an id that could not be read tells no reboot; two known ids tell it when they differ", () => {
    assert.equal(sameBoot("a-boot", "a-boot"), true);
    assert.equal(sameBoot("a-boot", "another-boot"), false);
    // what an older trustnet recorded on macOS, against the id read now, and the other way round
    assert.equal(sameBoot(UNKNOWN_BOOT, "7A3C1E52-9B4D-4F0A-8C6E-2D1B0A9F8E7D"), true);
    assert.equal(sameBoot("7A3C1E52-9B4D-4F0A-8C6E-2D1B0A9F8E7D", UNKNOWN_BOOT), true);
    assert.equal(sameBoot("", "a-boot"), true);
  });
});
