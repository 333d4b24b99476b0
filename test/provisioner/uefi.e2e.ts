// UEFI path on the real host: probeHost finds the firmware through /usr/share/qemu/firmware/*.json, createVm
// copies the vars template, startVm boots the pflash firmware with a qcow2 overlay and a cidata seed attached,
// the firmware prints on the serial log (QEMU under its -sandbox seccomp filter), stopVm ends QEMU and nothing is left.
// A lease VM (the provider daemon's, booting the tiny test guest) has its console read by `trustnet provider
// lease-logs`: QEMU's ring drained into the VM's private serial.log, kept across a restart and after the lease closes;
// `--follow` prints what the guest prints after it started, ends with exit 0 on Ctrl-C and when the VM powers off.
import { describe, test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeSeedIso } from "../../provisioner/src/cloud-init/iso.ts";
import { buildSeed } from "../../provisioner/src/cloud-init/seed.ts";
import { createOverlay } from "../../provisioner/src/disks.ts";
import { realShell as $ } from "../../provisioner/src/shell.ts";
import { FILES, startScriptName, stopScriptName, vmDir } from "../../provisioner/src/lifecycle/layout.ts";
import { freePort } from "../../provisioner/src/lifecycle/ports.ts";
import { qmpExecute, qmpQuery } from "../../provisioner/src/lifecycle/qmp.ts";
import { SERIAL_CHARDEV } from "../../provisioner/src/qemu/argv.ts";
import { realLifecycleDeps } from "../../provisioner/src/lifecycle/real-deps.ts";
import { drainSerial } from "../../provisioner/src/lifecycle/serial-log.ts";
import { createVm, startVm, stopVm, vmStatus } from "../../provisioner/src/lifecycle/vm.ts";
import { kernelBootSource } from "../../provisioner/src/lease/boot-source.ts";
import { claimLeaseVm, destroyLeaseVm, leaseConsoleTail, leaseDir, prepareLeaseVm, startLeaseVm } from "../../provisioner/src/lease/lease-vm.ts";
import { probeHost } from "../../provisioner/src/qemu/probe.ts";
import { realProbeDeps } from "../../provisioner/src/qemu/probe-deps.ts";
import { generateEd25519, openSshPublicLine } from "../../provisioner/src/ssh/keys.ts";
import { CLI } from "../helpers/devnet.ts";
import { qemuProcessesUnder, testGuest } from "./guest.ts";

const home = await mkdtemp(join(tmpdir(), "tn-uefi-"));
after(async () => {
  for (const pid of qemuProcessesUnder(home)) process.kill(pid, "SIGKILL");
  await rm(home, { recursive: true, force: true });
});

describe("UEFI boot path (real QEMU, real firmware)", { timeout: 120_000 }, () => {
  test("probe finds the firmware; a UEFI VM starts, prints firmware output, stops", async () => {
    const host = await probeHost(realProbeDeps(), { guestArch: "aarch64", needFirmware: true });
    assert.ok(host.firmware !== undefined, "UEFI firmware missing: sh scripts/prereqs.sh (qemu-efi-aarch64)");
    assert.equal(host.firmware.mode, "pflash");
    assert.ok(host.qemuVersion.major >= 7);
    const base = join(home, "base.qcow2");
    assert.equal((await $`qemu-img create -q -f qcow2 ${base} 1G`).exitCode, 0);
    const hostKey = generateEd25519();
    const user = openSshPublicLine(generateEd25519(), "op");
    const deps = realLifecycleDeps();
    await createVm(home, {
      version: 1, name: "uefi-test", kind: "node", arch: "aarch64", cpus: 1, memoryMiB: 512,
      boot: { kind: "uefi" }, disk: { format: "qcow2" }, cidata: true, sshPort: await freePort(), forwards: [], user: "warden", clientKey: "",
      userNicMac: "52:54:00:12:00:01",
      ula: { address: "fd5e:3a1b:9c04:1::1", mac: "52:54:00:12:00:02", transport: { kind: "unix-pair", localSocket: join(home, "vms/.net/a.sock"), remoteSocket: join(home, "vms/.net/b.sock") } },
      hostKey: openSshPublicLine(hostKey, ""), readiness: { cloudInit: true, health: undefined }, image: undefined, extraArgs: [],
    }, async (tmp) => {
      await createOverlay($, base, join(tmp, FILES.disk), 2);
      await writeSeedIso($, buildSeed({ vmName: "uefi-test", kind: "node", os: "ubuntu", user: "warden", authorizedKeys: [user], hostKey, userNicMac: "52:54:00:12:00:01", ulaMac: "52:54:00:12:00:02", ulaAddress: "fd5e:3a1b:9c04:1::1", nodeUlaAddress: "fd5e:3a1b:9c04:1::1" }), join(tmp, FILES.cidata));
    }, deps);
    const dir = vmDir(home, "uefi-test");
    assert.ok(existsSync(join(dir, FILES.efiVars)));
    const log = join(dir, FILES.serialLog);
    const firmwareSpoke = async (): Promise<void> => {
      const deadline = Date.now() + 60_000;
      // The console is QEMU's ring; draining it over QMP is what puts its output in serial.log.
      const text = (): string => (existsSync(log) ? readFileSync(log, "utf8") : "");
      while (Date.now() < deadline && !/BdsDxe|UEFI firmware/.test(text())) {
        await drainSerial(dir);
        await new Promise((r) => setTimeout(r, 250));
      }
      assert.match(text(), /BdsDxe|UEFI firmware/);
    };
    // The generated scripts work on their own (as in the seed README): start, then stop without the CLI on PATH
    // (the start script's own QEMU line, -daemonize with the smaller sandbox).
    const env = { ...process.env, PATH: "/usr/local/bin:/usr/bin:/bin" };
    assert.equal((await $({ env })`sh ${join(dir, startScriptName("uefi-test"))}`).exitCode, 0);
    assert.equal((await vmStatus(home, "uefi-test")).state, "running");
    await firmwareSpoke();
    assert.equal((await $({ env })`sh ${join(dir, stopScriptName("uefi-test"))}`).exitCode, 0);
    for (let i = 0; i < 50 && qemuProcessesUnder(home).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(qemuProcessesUnder(home), []);
    // The same through the lifecycle code (stale pidfile from the script run is cleared first).
    const { pid } = await startVm(home, "uefi-test", deps);
    assert.ok(pid > 0);
    // QEMU runs under its seccomp filter (-sandbox; mode 2 = filter) and still boots the firmware.
    assert.match(readFileSync(`/proc/${pid}/status`, "utf8"), /^Seccomp:\s+2$/m);
    // startVm launches QEMU detached without -daemonize, so it runs libvirt's full set (spawn, set*id denied too).
    assert.ok(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes("on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"));
    await firmwareSpoke();
    const method = await stopVm(home, "uefi-test", { timeoutMs: 3000 });
    assert.ok(["powerdown", "quit"].includes(method), method);
    assert.deepEqual(qemuProcessesUnder(home), []);
  });
});

describe("a lease VM's console (real QEMU, the test guest)", { timeout: 180_000 }, () => {
  test("provider lease-logs drains the ring into a private serial.log and prints it; unknown or malformed ids are refused", async () => {
    const guest = testGuest();
    const vms = join(home, "provider"); // `provider run --home H` keeps its VMs under H/provider
    const deps = realLifecycleDeps();
    const spec = { leaseId: "7", image: "alpine-3.22", resources: { millicores: 1000, memoryMiB: 256, diskGiB: 1, bandwidthMbps: 0 }, sshPubkeys: [openSshPublicLine(generateEd25519(), "t")], sshPort: await freePort() } as const;
    const record = await prepareLeaseVm(vms, await claimLeaseVm(vms, spec), kernelBootSource(guest.kernel, guest.initrd, $), deps);
    await startLeaseVm(vms, record, deps);
    const trustnet = (...args: string[]) => spawnSync(process.execPath, [CLI, "provider", "lease-logs", ...args, "--home", home], { encoding: "utf8", timeout: 60_000 });
    /** `lease-logs … --follow` running on: what it printed so far, and its exit code once it ends. */
    const follow = (...args: string[]) => {
      const child = spawn(process.execPath, [CLI, "provider", "lease-logs", ...args, "--home", home], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      let err = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      const exit = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
      const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
      void exit.then(() => clearTimeout(timer));
      const seen = async (re: RegExp): Promise<void> => {
        for (let i = 0; i < 600 && !re.test(out); i++) await new Promise((r) => setTimeout(r, 100));
        assert.match(out, re, err);
      };
      return { child, exit, seen, stdout: () => out, stderr: () => err };
    };
    try {
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && !(await leaseConsoleTail(vms, "7", 5)).text.includes("TRUSTNET-GUEST-READY")) await new Promise((r) => setTimeout(r, 500));
      const r = trustnet("7", "--lines", "200");
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /TRUSTNET-GUEST-READY lease-7/);
      const log = join(leaseDir(vms, "7"), FILES.serialLog);
      assert.match(readFileSync(log, "utf8"), /TRUSTNET-GUEST-READY lease-7/, "kept on disk");
      assert.equal((await stat(log)).mode & 0o777, 0o600);
      const json = spawnSync(process.execPath, [CLI, "provider", "lease-logs", "7", "--home", home, "--output", "json"], { encoding: "utf8", timeout: 60_000 });
      assert.ok((JSON.parse(json.stdout) as { lines: string[] }).lines.some((l) => l.includes("TRUSTNET-GUEST-READY")), json.stdout);
      const none = trustnet("8");
      assert.notEqual(none.status, 0);
      assert.match(none.stderr, /lease 8 has no VM on this machine/);
      const bad = trustnet("007");
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr, /lease id "007" is not a lease id/);
      // --follow: refused with --output json (a stream of lines is no JSON document).
      const followJson = trustnet("7", "--follow", "--output", "json");
      assert.notEqual(followJson.status, 0);
      assert.match(followJson.stderr, /--follow .* takes no --output json/);
      // --follow: the last lines, then on until Ctrl-C, which ends it with exit 0 (as docker logs -f).
      const interrupted = follow("7", "--follow", "--lines", "5");
      await interrupted.seen(/TRUSTNET-GUEST-READY lease-7/);
      interrupted.child.kill("SIGINT");
      assert.equal(await interrupted.exit, 0, interrupted.stderr());
      // -f prints what the guest prints after it started: a line typed on its console, which the guest's tty echoes.
      const followed = follow("7", "-f");
      await followed.seen(/TRUSTNET-GUEST-READY lease-7/);
      const typed = `follow-me-${process.pid}`;
      await qmpQuery(join(leaseDir(vms, "7"), FILES.qmp), { execute: "ringbuf-write", arguments: { device: SERIAL_CHARDEV, data: `${typed}\n`, format: "utf8" } });
      await followed.seen(new RegExp(`TRUSTNET-GUEST-READY lease-7\n(.*\n)*${typed}\n`));
      // It ends (exit 0) when the VM stops. A VM the daemon starts again (a crash, a host reboot) keeps what the
      // stopped one printed, below a marker.
      await qmpExecute(join(leaseDir(vms, "7"), FILES.qmp), ["system_powerdown"]);
      assert.equal(await followed.exit, 0, followed.stderr());
      assert.match(followed.stderr(), /lease 7's VM stopped/);
      for (let i = 0; i < 50 && qemuProcessesUnder(vms).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
      await startLeaseVm(vms, record, deps);
      const twice = (t: string): boolean => (t.match(/TRUSTNET-GUEST-READY lease-7/g) ?? []).length === 2;
      const until = Date.now() + 120_000;
      while (Date.now() < until && !twice((await leaseConsoleTail(vms, "7", 1000)).text)) await new Promise((r) => setTimeout(r, 500));
      const both = (await leaseConsoleTail(vms, "7", 1000)).text;
      assert.ok(twice(both), both);
      assert.equal((both.match(/--- trustnet: QEMU started \(lease 7\) ---/g) ?? []).length, 2, both);
      // The lease closes (the daemon destroys its VM): its console stays readable, and private.
      await destroyLeaseVm(vms, "7");
      const closed = trustnet("7");
      assert.equal(closed.status, 0, closed.stderr);
      assert.match(closed.stdout, /TRUSTNET-GUEST-READY lease-7/);
      assert.match(closed.stderr, /lease 7 is closed and its VM gone/);
      const closedFollow = trustnet("7", "--follow");
      assert.equal(closedFollow.status, 0, closedFollow.stderr);
      assert.match(closedFollow.stdout, /TRUSTNET-GUEST-READY lease-7/);
      assert.match(closedFollow.stderr, /lease 7 is closed .* nothing to follow/);
      assert.equal((await stat(join(vms, "closed-logs", "7.serial.log"))).mode & 0o777, 0o600);
      assert.equal((await stat(join(vms, "closed-logs"))).mode & 0o777, 0o700);
    } finally {
      await destroyLeaseVm(vms, "7");
    }
    assert.deepEqual(qemuProcessesUnder(vms), []);
  });
});
