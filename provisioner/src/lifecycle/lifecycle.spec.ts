import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommandFailedError, InvalidConfigError, LockedError, MissingDependencyError, PortInUseError, VmStateError, VmTimeoutError } from "../errors.ts";
import { FILES, lockFile, startScriptName, stopScriptName, vmDir, vmsRoot } from "./layout.ts";
import { withLock } from "./lock.ts";
import { ensurePortsFree, freePort } from "./ports.ts";
import { listenInodes } from "./proc.ts";
import { waitReady } from "./ready.ts";
import { shQuote } from "./scripts.ts";
import { silentSpinner } from "./spinner.ts";
import { runState } from "./state.ts";
import { FAKE_HOST, fakeDeps, testRecord } from "./testing.ts";
import type { Firmware } from "../qemu/types.ts";
import { generateEd25519, openSshPrivateKey } from "../ssh/keys.ts";
import { createVm, destroyVm, startVm, stopVm, vmStatus, type LifecycleDeps } from "./vm.ts";

const tmpHome = (): Promise<string> => mkdtemp(join(tmpdir(), "tn-life-"));

/** A process that looks like our QEMU in /proc/<pid>/cmdline (names "qemu-system" and the pidfile). */
function fakeQemu(pidfile: string): { pid: number; kill: () => void } {
  const p = spawn("sh", ["-c", "sleep 600; true", "qemu-system-aarch64", "-pidfile", pidfile], { stdio: "ignore" });
  return { pid: p.pid ?? 0, kill: () => p.kill("SIGKILL") };
}

async function listen(port = 0): Promise<Server> {
  const s = createServer((c) => c.on("error", () => undefined));
  await new Promise<void>((r) => s.listen(port, "127.0.0.1", r));
  return s;
}

describe("VM lifecycle", () => {
  test("create writes the VM dir atomically: vm.json, known_hosts, start/stop scripts", async () => {
    const home = await tmpHome();
    try {
      const rec = testRecord("tvm", 2299);
      const dir = await createVm(home, rec, async (tmp) => writeFile(join(tmp, FILES.initrd), "x"), fakeDeps());
      assert.equal(dir, vmDir(home, "tvm"));
      assert.deepEqual(readdirSync(dir).sort(), [FILES.initrd, FILES.knownHosts, startScriptName("tvm"), stopScriptName("tvm"), FILES.record].sort());
      assert.match(readFileSync(join(dir, FILES.knownHosts), "utf8"), /^\[127\.0\.0\.1\]:2299 ssh-ed25519 AAAA/);
      const start = readFileSync(join(dir, startScriptName("tvm")), "utf8");
      assert.match(start, /^#!\/bin\/sh\n/);
      assert.match(start, /exec qemu-system-aarch64 \\\n {2}-name \\\n {2}tvm/);
      assert.match(start, new RegExp(`then exec trustnet vm start tvm --home ${home} --no-wait; fi\n`), "the CLI (full sandbox) when on PATH");
      assert.match(start, /-daemonize\n$/, "otherwise QEMU daemonizes itself");
      assert.match(start, new RegExp(`-pidfile \\\\\\n {2}${dir}/qemu.pid`));
      assert.match(readFileSync(join(dir, stopScriptName("tvm")), "utf8"), /trustnet vm stop tvm --home/);
      await assert.rejects(createVm(home, rec, async () => undefined, fakeDeps()), (e: unknown) => e instanceof VmStateError && /already exists/.test(e.message));
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
  test("failures leave no half-created VM directory (populate fails, QEMU missing)", async () => {
    const home = await tmpHome();
    try {
      await assert.rejects(createVm(home, testRecord("tvm", 2299), async (tmp) => {
        await writeFile(join(tmp, "disk.qcow2"), "partial");
        throw new Error("disk size 1 GiB is smaller than the image");
      }, fakeDeps()), /smaller than the image/);
      const missing = fakeDeps({ probe: async () => { throw new MissingDependencyError("qemu-system-aarch64", "qemu-system-aarch64 is not installed", "sudo apt-get install -y qemu-system-arm"); } });
      await assert.rejects(createVm(home, testRecord("tvm", 2299), async () => undefined, missing), MissingDependencyError);
      assert.deepEqual(readdirSync(vmsRoot(home)).filter((n) => n !== ".net"), []);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
  test("port 2222-style collision: a clear error naming the process; nothing started", async () => {
    const home = await tmpHome();
    const srv = await listen();
    try {
      const port = (srv.address() as { port: number }).port;
      await createVm(home, testRecord("tvm", port), async () => undefined, fakeDeps());
      let ran = false;
      await assert.rejects(startVm(home, "tvm", fakeDeps({ launch: async () => ((ran = true), { pid: 1 }) })), (e: unknown) => {
        assert.ok(e instanceof PortInUseError);
        assert.equal(e.port, port);
        assert.match(e.message, new RegExp(`port 127\\.0\\.0\\.1:${port} is already in use by pid ${process.pid} \\(`));
        assert.match(e.hint ?? "", /--ssh-port/);
        return true;
      });
      assert.equal(ran, false);
      assert.equal(existsSync(join(vmDir(home, "tvm"), FILES.pid)), false);
      await assert.rejects(ensurePortsFree([{ port, flag: "--ssh-port" }]), PortInUseError);
    } finally {
      srv.close();
      await rm(home, { recursive: true, force: true });
    }
  });
  test("start --ssh-port: a port taken (by a process, or by another VM's record) is refused and the record stays as it was", async () => {
    const home = await tmpHome();
    const srv = await listen();
    try {
      const taken = (srv.address() as { port: number }).port;
      const own = await freePort();
      const other = await freePort();
      await createVm(home, testRecord("tvm", own), async () => undefined, fakeDeps());
      await createVm(home, testRecord("other", other, { forwards: [{ hostPort: 26657, guestPort: 26657 }] }), async () => undefined, fakeDeps());
      const files = (): string[] => [FILES.record, FILES.knownHosts, startScriptName("tvm")].map((f) => readFileSync(join(vmDir(home, "tvm"), f), "utf8"));
      const before = files();
      let ran = false;
      const deps = fakeDeps({ launch: async () => ((ran = true), { pid: 1 }) });
      await assert.rejects(startVm(home, "tvm", deps, { sshPort: taken }), PortInUseError);
      for (const port of [other, 26657]) {
        await assert.rejects(startVm(home, "tvm", deps, { sshPort: port }), (e: unknown) => e instanceof InvalidConfigError && new RegExp(`^host port ${port} is planned twice: other's`).test(e.message), String(port));
      }
      assert.equal(ran, false);
      assert.deepEqual(files(), before);
    } finally {
      srv.close();
      await rm(home, { recursive: true, force: true });
    }
  });
  test("start --ssh-port rewrites vm.json, known_hosts and the scripts whole: a symbolic link planted at one is replaced, not written through", async () => {
    const home = await tmpHome();
    try {
      await createVm(home, testRecord("tvm", await freePort()), async () => undefined, fakeDeps());
      const dir = vmDir(home, "tvm");
      const victim = join(home, "victim.txt");
      await writeFile(victim, "not yours\n");
      for (const f of [FILES.knownHosts, startScriptName("tvm"), stopScriptName("tvm")]) {
        await rm(join(dir, f));
        await symlink(victim, join(dir, f));
      }
      const port = await freePort();
      await startVm(home, "tvm", fakeDeps({ launch: async () => ({ pid: 1 }) }), { sshPort: port });
      assert.equal(readFileSync(victim, "utf8"), "not yours\n");
      const mode = (f: string): [boolean, number] => [lstatSync(join(dir, f)).isSymbolicLink(), statSync(join(dir, f)).mode & 0o777];
      assert.deepEqual([FILES.record, FILES.knownHosts, startScriptName("tvm"), stopScriptName("tvm")].map(mode), [[false, 0o600], [false, 0o644], [false, 0o755], [false, 0o755]]);
      assert.equal((JSON.parse(readFileSync(join(dir, FILES.record), "utf8")) as { sshPort: number }).sshPort, port);
      assert.match(readFileSync(join(dir, FILES.knownHosts), "utf8"), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${port} ssh-ed25519 `));
      assert.match(readFileSync(join(dir, startScriptName("tvm")), "utf8"), /^#!\/bin\/sh\n/);
      assert.deepEqual(readdirSync(dir).filter((f) => f.includes(".tmp-")), []);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
  test("the UEFI firmware replaced between create and start: a variable store that no longer fits is refused with what to do (QEMU never runs, vm.json unchanged); a missing store is made again from the firmware found now", async () => {
    const home = await tmpHome();
    try {
      // Two firmware installs: the one the VM is created with (64 KiB variable template), and the one found later.
      const fwDir = join(home, "fw");
      await mkdir(fwDir);
      const firmware = async (name: string, varsBytes: number, format: "raw" | "qcow2" = "raw"): Promise<Firmware> => {
        await writeFile(join(fwDir, `${name}-code.fd`), Buffer.alloc(1024));
        await writeFile(join(fwDir, `${name}-vars.fd`), Buffer.alloc(varsBytes, name === "old" ? 1 : 2));
        return { arch: "aarch64", mode: "pflash", code: join(fwDir, `${name}-code.fd`), vars: join(fwDir, `${name}-vars.fd`), format, source: "test" };
      };
      const withFirmware = (fw: Firmware | undefined, launched: (readonly string[])[] = []): LifecycleDeps =>
        fakeDeps({ probe: async () => ({ ...FAKE_HOST, firmware: fw }), launch: async (_bin, argv) => (launched.push(argv), { pid: 1 }) });
      const old = await firmware("old", 64 << 10);
      const rec = testRecord("tvm", await freePort(), { boot: { kind: "uefi" } });
      const dir = await createVm(home, rec, async () => undefined, withFirmware(old));
      const store = join(dir, FILES.efiVars);
      assert.equal(statSync(store).size, 64 << 10);
      const recordBefore = readFileSync(join(dir, FILES.record), "utf8");

      // The new firmware's template is 2 MiB: the store made from the old one would not fit it.
      const replaced = await firmware("new", 2 << 20);
      const launched: (readonly string[])[] = [];
      await assert.rejects(startVm(home, "tvm", withFirmware(replaced, launched), { sshPort: await freePort() }), (e: unknown) =>
        e instanceof VmStateError
        && e.message === `VM tvm's UEFI variable store ${store} (65536 bytes) does not fit the UEFI firmware found now, ${replaced.code} whose variable template ${replaced.vars} is 2097152 bytes: the firmware the VM was created with was replaced or removed since`
        && e.hint === `reinstall the firmware the VM was created with; or give the VM a new store from the one found now: rm ${store} (its UEFI boot entries start afresh), then trustnet vm start tvm`);
      assert.equal(launched.length, 0, "QEMU never ran");
      assert.equal(readFileSync(join(dir, FILES.record), "utf8"), recordBefore, "vm.json (its --ssh-port too) is as it was");
      assert.equal(statSync(store).size, 64 << 10, "the store is left as it was");

      // A qcow2 store grows as the guest writes it: its size is no sign of another firmware.
      await startVm(home, "tvm", withFirmware({ ...replaced, format: "qcow2" }, launched));
      assert.equal(launched.length, 1);
      await rm(join(dir, FILES.pid), { force: true });

      // As the hint says: without a store, start makes it again from the firmware found now, and QEMU gets it.
      await rm(store);
      await startVm(home, "tvm", withFirmware(replaced, launched));
      assert.equal(launched.length, 2);
      assert.deepEqual(readFileSync(store), readFileSync(replaced.vars ?? ""));
      assert.equal(statSync(store).mode & 0o777, 0o600);
      assert.ok(launched[1]?.some((a) => a.includes(`unit=1,file=${store}`)), JSON.stringify(launched[1]));
      assert.ok(launched[1]?.some((a) => a.includes(`file=${replaced.code}`)), "QEMU runs the firmware found now");

      // No firmware at all any more: probe's own MissingDependencyError, before anything changes (not QEMU's).
      const none = fakeDeps({ probe: async () => { throw new MissingDependencyError("uefi-firmware", "no UEFI firmware for aarch64 found", "install it"); } });
      await assert.rejects(startVm(home, "tvm", none), MissingDependencyError);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
  test("QEMU failing to start: its stderr in the error, no pidfile left", async () => {
    const home = await tmpHome();
    try {
      await createVm(home, testRecord("tvm", await freePort()), async () => undefined, fakeDeps());
      const failing = fakeDeps({ launch: async () => ({ exitCode: 1, stderr: "qemu-system-aarch64: -netdev dgram: bind: Address already in use" }) });
      await assert.rejects(startVm(home, "tvm", failing), (e: unknown) => e instanceof CommandFailedError && /Address already in use/.test(e.message));
      assert.equal((await vmStatus(home, "tvm")).state, "stopped");
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
  test("stale PIDs: a reused pid (not our QEMU) and a host reboot are detected", async () => {
    const home = await tmpHome();
    try {
      await createVm(home, testRecord("tvm", 2299), async () => undefined, fakeDeps());
      const dir = vmDir(home, "tvm");
      await writeFile(join(dir, FILES.pid), `${process.pid}\n`);
      const st = await runState(dir);
      assert.equal(st.state, "stale");
      assert.match(st.state === "stale" ? st.reason : "", /is not this VM's QEMU/);
      const q = fakeQemu(join(dir, FILES.pid));
      try {
        await writeFile(join(dir, FILES.pid), `${q.pid}\n`);
        await new Promise((r) => setTimeout(r, 100));
        assert.deepEqual(await runState(dir), { state: "running", pid: q.pid });
        await writeFile(join(dir, FILES.bootId), "another-boot\n");
        const rebooted = await runState(dir);
        assert.equal(rebooted.state, "stale");
        assert.match(rebooted.state === "stale" ? rebooted.reason : "", /rebooted/);
        // What an older trustnet recorded where it could not read a boot id (macOS): no reboot told, the VM runs.
        await writeFile(join(dir, FILES.bootId), "unknown\n");
        assert.deepEqual(await runState(dir), { state: "running", pid: q.pid });
      } finally {
        q.kill();
      }
      assert.equal(await stopVm(home, "tvm"), "not-running");
      assert.equal(existsSync(join(dir, FILES.pid)), false);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
  test("destroy: a running VM needs --force; then it is killed and removed", async () => {
    const home = await tmpHome();
    try {
      await createVm(home, testRecord("tvm", 2299), async () => undefined, fakeDeps());
      const dir = vmDir(home, "tvm");
      const q = fakeQemu(join(dir, FILES.pid));
      try {
        await writeFile(join(dir, FILES.pid), `${q.pid}\n`);
        await new Promise((r) => setTimeout(r, 100));
        await assert.rejects(destroyVm(home, "tvm", { force: false }), (e: unknown) => e instanceof VmStateError && /is running/.test(e.message) && /--force/.test(e.hint ?? ""));
        assert.ok(existsSync(dir));
        await destroyVm(home, "tvm", { force: true });
        assert.equal(existsSync(dir), false);
      } finally {
        q.kill();
      }
      await assert.rejects(destroyVm(home, "tvm", { force: true }), /no VM named tvm/);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
  test("a create or destroy killed part-way: its temp directory is removed by the next create or destroy, a live one's is not", async () => {
    const home = await tmpHome();
    try {
      // A pid that is gone: a child that has exited.
      const child = spawn("true");
      const dead = child.pid ?? 0;
      await new Promise((r) => child.on("exit", r));
      const leftover = async (n: string): Promise<string> => {
        await mkdir(join(vmsRoot(home), n, "sub"), { recursive: true });
        await writeFile(join(vmsRoot(home), n, "disk.qcow2"), "a whole disk image");
        return n;
      };
      await mkdir(vmsRoot(home), { recursive: true });
      const gone = [await leftover(`.tvm.creating-${dead}`), await leftover(`.other.destroying-${dead}`)];
      const kept = [await leftover(`.busy.creating-${process.pid}`), await leftover(`.tvm.creating-x${dead}`), await leftover("notes")];
      await createVm(home, testRecord("tvm", 2299), async () => undefined, fakeDeps());
      assert.deepEqual(readdirSync(vmsRoot(home)).filter((n) => n !== "tvm" && n !== ".net").sort(), [...kept].sort(), "only the dead processes' leftovers were removed");
      for (const n of gone) assert.equal(existsSync(join(vmsRoot(home), n)), false, n);
      // A destroy renames the VM's directory out of its place first, so one killed mid-rm leaves only such a leftover.
      await leftover(`.tvm.destroying-${dead}`);
      await destroyVm(home, "tvm", { force: false });
      assert.deepEqual(readdirSync(vmsRoot(home)).filter((n) => n !== ".net").sort(), [...kept].sort());
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
  test("the lock: a second holder is refused; a dead holder's lock is taken over", async () => {
    const home = await tmpHome();
    try {
      const file = lockFile(home);
      let release: () => void = () => undefined;
      let taken = (): void => undefined;
      const locked = new Promise<void>((r) => (taken = r));
      const first = withLock(file, () => new Promise<void>((r) => ((release = r), taken())));
      await locked; // held from here on (taking it is several file operations: no fixed delay is sure to cover them)
      await assert.rejects(withLock(file, async () => "second"), (e: unknown) => e instanceof LockedError && e.holderPid === process.pid);
      release();
      await first;
      assert.equal(existsSync(file), false);
      const dead = spawn("true");
      await new Promise((r) => dead.on("exit", r));
      const { currentBootId } = await import("./proc.ts");
      await mkdir(vmsRoot(home), { recursive: true });
      await writeFile(file, `${dead.pid} ${await currentBootId()}\n`);
      assert.equal(await withLock(file, async () => "took over"), "took over");
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
  test("a VM that never answers: timeout with the serial log tail", async () => {
    const home = await tmpHome();
    const srv = await listen(); // accepts TCP like slirp does, never speaks SSH
    try {
      const log = join(home, "serial.log");
      await writeFile(log, "UEFI firmware\n\x1b[2JBdsDxe: failed to load Boot0001\nKernel panic - not syncing: VFS\n");
      const port = (srv.address() as { port: number }).port;
      const t0 = Date.now();
      await assert.rejects(waitReady("tvm", { port, user: "root", privateKey: openSshPrivateKey(generateEd25519(), "t"), hostKey: testRecord("x", 1).hostKey }, { cloudInit: true, health: undefined }, log, 2500, silentSpinner), (e: unknown) => {
        assert.ok(e instanceof VmTimeoutError);
        assert.match(e.message, /VM tvm did not become ready within 3s \(stuck at: waiting for SSH/);
        assert.match(e.serialTail, /Kernel panic - not syncing: VFS$/);
        assert.ok(!e.serialTail.includes("\u001b"), "escape sequences are stripped");
        return true;
      });
      assert.ok(Date.now() - t0 < 15_000);
    } finally {
      srv.close();
      await rm(home, { recursive: true, force: true });
    }
  });
  test("/proc/net/tcp parsing and shell quoting", () => {
    const table = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:08AE 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 43210 1 0000000000000000 100 0 0 10 0",
      "   1: 0100007F:08AE 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 43299 1 0000000000000000 100 0 0 10 0",
    ].join("\n");
    assert.deepEqual(listenInodes(table, 2222), ["43210"]);
    assert.deepEqual(listenInodes(table, 2223), []);
    assert.equal(shQuote("-m"), "-m");
    assert.equal(shQuote("console=ttyAMA0 quiet"), "'console=ttyAMA0 quiet'");
    assert.equal(shQuote("it's"), "'it'\\''s'");
  });
});
