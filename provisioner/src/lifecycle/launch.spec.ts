// launchQemu against the real qemu-system-aarch64 (-M none: no guest, a few ms): QEMU under libvirt's full seccomp
// set, detached in its own session, returned once it greets on QMP; a QEMU that fails at start gives its stderr.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { QEMU_SANDBOX } from "../qemu/argv.ts";
import { launchQemu } from "./launch.ts";
import { pidAlive } from "./proc.ts";

const QEMU = "qemu-system-aarch64";

function machineNone(dir: string, extra: readonly string[] = []): string[] {
  return ["-M", "none", "-display", "none", "-nodefaults", "-sandbox", QEMU_SANDBOX,
    "-chardev", `socket,id=qmp0,path=${join(dir, "qmp.sock")},server=on,wait=off`, "-qmp", "chardev:qmp0",
    "-pidfile", join(dir, "qemu.pid"), ...extra];
}

describe("launchQemu (real QEMU)", { timeout: 60_000 }, () => {
  test("full sandbox, no -daemonize: the pid of a detached QEMU under seccomp, once QMP answers", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tn-launch-"));
    let pid: number | undefined;
    try {
      const res = await launchQemu(QEMU, machineNone(dir), join(dir, "qmp.sock"));
      assert.ok("pid" in res, JSON.stringify(res));
      pid = res.pid;
      assert.ok(pidAlive(pid));
      assert.equal(Number(readFileSync(join(dir, "qemu.pid"), "utf8").trim()), pid);
      assert.match(readFileSync(`/proc/${pid}/status`, "utf8"), /^Seccomp:\s+2$/m);
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      assert.equal(Number(stat[3]), pid, "QEMU leads its own session (as -daemonize's setsid)");
    } finally {
      if (pid !== undefined) process.kill(pid, "SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a QEMU that fails at start: its exit code and stderr (a taken forward port)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tn-launch-"));
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    try {
      const port = (srv.address() as { port: number }).port;
      const res = await launchQemu(QEMU, machineNone(dir, ["-netdev", `user,id=n0,hostfwd=tcp:127.0.0.1:${port}-:22`]), join(dir, "qmp.sock"));
      assert.ok("exitCode" in res, JSON.stringify(res));
      assert.notEqual(res.exitCode, 0);
      assert.match(res.stderr, /host forwarding/i);
      assert.equal(existsSync(join(dir, "qemu.pid")), false, "QEMU removed its pidfile");
    } finally {
      srv.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a missing binary: exit 127", async () => {
    const res = await launchQemu("/nonexistent/qemu-system-aarch64", [], "/nonexistent/qmp.sock");
    assert.ok("exitCode" in res);
    assert.equal(res.exitCode, 127);
    assert.match(res.stderr, /ENOENT/);
  });
});
