// Lease VM pieces: the QEMU argv (golden), the cloud-init seed (golden: the tenant's keys only, the injected host
// key), the resource mapping, spec validation and the host key fingerprint (checked against ssh-keygen).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidConfigError, MissingDependencyError, VmStateError } from "../errors.ts";
import { buildQemuArgv } from "../qemu/argv.ts";
import type { Firmware, HostFeatures } from "../qemu/types.ts";
import { ed25519FromSeed, openSshPublicLine } from "../ssh/keys.ts";
import { fakeDeps } from "../lifecycle/testing.ts";
import { leaseQemuArgv, leaseQemuSpec } from "./argv.ts";
import { claimLeaseVm, closedLogsRoot, destroyLeaseVm, KEPT_CLOSED_LOGS, LEASE_RECORD, leaseConsoleTail, leaseDir, leaseQemuProcesses, leasesRoot, prepareLeaseVm, readLeaseRecord, startLeaseVm } from "./lease-vm.ts";
import { pidAlive, type ProcessSource } from "../lifecycle/proc.ts";
import { FILES } from "../lifecycle/layout.ts";
import { buildLeaseSeed } from "./seed.ts";
import { BANDWIDTH_NOT_ENFORCED, hostKeyFingerprint, leaseMac, leaseVmName, validateLeaseVmSpec, vcpusFor, type LeaseVmSpec } from "./spec.ts";

const fixtures = join(import.meta.dirname, "fixtures");
const update = process.env.UPDATE_GOLDEN === "1";
const tenant = ed25519FromSeed(Buffer.alloc(32, 7));
const hostKey = ed25519FromSeed(Buffer.alloc(32, 9));
const spec: LeaseVmSpec = {
  leaseId: "42", image: "alpine-3.22", sshPort: 40007,
  resources: { millicores: 2000, memoryMiB: 512, diskGiB: 20, bandwidthMbps: 100 },
  sshPubkeys: [openSshPublicLine(tenant, "tenant@laptop")],
};
const host: HostFeatures = {
  os: "linux", arch: "x86_64", kvm: false, hvf: false, accelerators: ["tcg"], qemuVersion: { major: 7, minor: 2, patch: 22 }, seccomp: true,
  firmware: { arch: "aarch64", mode: "pflash", code: "/usr/share/AAVMF/AAVMF_CODE.fd", vars: "/usr/share/AAVMF/AAVMF_VARS.fd", format: "raw", source: "test" },
};

function golden(name: string, got: string): void {
  const file = join(fixtures, name);
  if (update) writeFileSync(file, got);
  assert.ok(existsSync(file), `missing ${file}: run with UPDATE_GOLDEN=1 once and review it`);
  assert.equal(got, readFileSync(file, "utf8"));
}

describe("lease VM argv", () => {
  test("catalog image (UEFI + seed): golden", () => {
    golden("lease-uefi.argv.txt", leaseQemuArgv(spec, "/p/leases/42", { boot: { kind: "uefi" }, user: "tenant", cidata: true }, host).join("\n") + "\n");
  });
  test("direct-kernel test guest: golden", () => {
    const boot = { kind: "kernel", kernel: "/g/vmlinuz", initrd: "/p/leases/42/initrd.img", append: "console=ttyAMA0 quiet" } as const;
    golden("lease-kernel.argv.txt", leaseQemuArgv(spec, "/p/leases/42", { boot, user: "root", cidata: false }, host).join("\n") + "\n");
  });
  test("millicores / 1000 vCPUs (whole only); memory and ssh port are the lease's; no second NIC", () => {
    const argv = buildQemuArgv(leaseQemuSpec(spec, "/d", { boot: { kind: "uefi" }, user: "tenant", cidata: true }), host);
    assert.equal(argv[argv.indexOf("-smp") + 1], "2,sockets=1,cores=2,threads=1");
    assert.equal(argv[argv.indexOf("-m") + 1], "512M");
    assert.equal(argv.filter((a) => a === "-netdev").length, 1);
    assert.match(argv.join(" "), /hostfwd=tcp:127\.0\.0\.1:40007-:22/);
    assert.deepEqual([1000, 2000, 4000].map(vcpusFor), [1, 2, 4]);
    for (const m of [0, 1, 999, 1001, 1500, -1000, Number.NaN, 1e30]) {
      assert.throws(() => vcpusFor(m), (e: unknown) => e instanceof InvalidConfigError && /is not a whole number of vCPUs/.test(e.message), String(m));
    }
  });
  test("the SSH forward binds loopback unless the provider binds another address", () => {
    const prepared = { boot: { kind: "uefi" }, user: "tenant", cidata: true } as const;
    assert.match(leaseQemuArgv(spec, "/d", prepared, host).join(" "), /hostfwd=tcp:127\.0\.0\.1:40007-:22/);
    assert.match(leaseQemuArgv({ ...spec, sshBind: "0.0.0.0" }, "/d", prepared, host).join(" "), /hostfwd=tcp:0\.0\.0\.0:40007-:22/);
    assert.throws(() => validateLeaseVmSpec({ ...spec, sshBind: "example.org" }), /bind address/);
    assert.throws(() => validateLeaseVmSpec({ ...spec, sshBind: "::" }), /an IPv4 address/, "QEMU's hostfwd is IPv4-only");
  });
  test("a tenant's guest reaches nothing on the host but its forwards, and cannot grow a log on the host's disk", () => {
    const prepared = { boot: { kind: "uefi" }, user: "tenant", cidata: true } as const;
    for (const s of [spec, { ...spec, sshBind: "0.0.0.0" }]) {
      const argv = leaseQemuArgv(s, "/d", prepared, host);
      const netdev = argv[argv.indexOf("-netdev") + 1] ?? "";
      assert.match(netdev, /^user,.*,restrict=on$/, "QEMU's user network would map the host's loopback to 10.0.2.2");
      assert.ok(!argv.join(" ").includes("logfile="), "no serial log file");
      assert.ok(argv.includes("ringbuf,id=serial0,size=1048576"), "the console is a bounded in-memory ring");
    }
    const node = buildQemuArgv(leaseQemuSpec(spec, "/d", prepared), host);
    assert.ok(!node.join(" ").includes("restrict=on"), "the provisioner's own VMs are unchanged");
  });
  test("a tenant's VM runs under QEMU's seccomp sandbox", () => {
    const argv = leaseQemuArgv(spec, "/d", { boot: { kind: "uefi" }, user: "tenant", cidata: true }, host);
    assert.equal(argv[argv.indexOf("-sandbox") + 1], "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
    assert.ok(!argv.includes("-daemonize"), "launched detached by the daemon, not by QEMU's fork");
  });
  test("the MAC is locally administered and stable per lease", () => {
    assert.equal(leaseMac("42"), leaseMac("42"));
    assert.notEqual(leaseMac("42"), leaseMac("43"));
    assert.match(leaseMac("42"), /^52:54:4c(:[0-9a-f]{2}){3}$/);
  });
});

describe("lease seed", () => {
  test("golden: one user with the tenant's keys only, root disabled, the injected host key", () => {
    const seed = buildLeaseSeed(spec, hostKey, leaseMac(spec.leaseId));
    golden("lease-seed.user-data", seed.userData);
    const ud = JSON.parse(seed.userData.replace(/^#cloud-config\n/, "")) as { users: { name: string; ssh_authorized_keys: string[] }[]; disable_root: boolean; ssh_pwauth: boolean; ssh_keys: { ed25519_public: string } };
    assert.deepEqual(ud.users.map((u) => [u.name, u.ssh_authorized_keys]), [["tenant", [spec.sshPubkeys[0]]]]);
    assert.equal(ud.disable_root, true);
    assert.equal(ud.ssh_pwauth, false);
    // Alpine's sshd (no PAM) refuses key logins to a locked ("!") account: the tenant's field becomes "*".
    assert.deepEqual((ud as { runcmd?: string[] }).runcmd, ["echo 'tenant:*' | chpasswd -e"]);
    const ubuntu = JSON.parse(buildLeaseSeed({ ...spec, image: "ubuntu-24.04" }, hostKey, leaseMac(spec.leaseId)).userData.replace(/^#cloud-config\n/, "")) as { runcmd?: string[] };
    assert.equal(ubuntu.runcmd, undefined);
    assert.equal(ud.ssh_keys.ed25519_public.split(" ")[1], openSshPublicLine(hostKey, "").split(" ")[1]);
  });
  test("a tenant's key comment cannot break the YAML: DEL, C1 controls, NEL/LS/PS and U+FFFF become \\u escapes", () => {
    // The chain refuses only CR, LF and NUL in a key line. PyYAML (cloud-init) refuses DEL and C1 controls anywhere in
    // the stream and drops the whole user-data: no tenant user, a VM that never becomes ready.
    const key = openSshPublicLine(tenant, "me\u007f\u0080\u0085\u009f\u2028\u2029\uffff@laptop ünïcode 😀");
    const seed = buildLeaseSeed({ ...spec, sshPubkeys: [key] }, hostKey, leaseMac(spec.leaseId));
    const yamlUnprintable = /[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]|[\u2028\u2029]/u;
    for (const [name, text] of Object.entries(seed)) assert.doesNotMatch(text, yamlUnprintable, `${name}: a character YAML cannot hold raw`);
    const ud = JSON.parse(seed.userData.replace(/^#cloud-config\n/, "")) as { users: { ssh_authorized_keys: string[] }[] };
    assert.deepEqual(ud.users[0]?.ssh_authorized_keys, [key], "the key reads back exactly");
  });
});

describe("lease spec validation", () => {
  const bad: [string, Partial<LeaseVmSpec> | { resources: Partial<LeaseVmSpec["resources"]> }, RegExp][] = [
    ["unknown image", { image: "windows-11" as LeaseVmSpec["image"] }, /unsupported lease image/],
    ["zero cpu", { resources: { ...spec.resources, millicores: 0 } }, /millicores/],
    ["fractional cpu", { resources: { ...spec.resources, millicores: 1500 } }, /millicores 1500 is not a whole number of vCPUs/],
    ["negative memory", { resources: { ...spec.resources, memoryMiB: -5 } }, /memory/],
    ["tiny memory", { resources: { ...spec.resources, memoryMiB: 64 } }, /128 MiB/],
    ["zero disk", { resources: { ...spec.resources, diskGiB: 0 } }, /disk/],
    ["no keys", { sshPubkeys: [] }, /at least one/],
    ["garbage key", { sshPubkeys: ["hello"] }, /not an OpenSSH public key/],
    ["a key of two lines (a second authorized_keys line)", { sshPubkeys: [`${spec.sshPubkeys[0]}\ncommand="id" ${spec.sshPubkeys[0]}`] }, /must be one line/],
    ["a key with a CR", { sshPubkeys: [`${spec.sshPubkeys[0]}\r`] }, /must be one line/],
    ["a key with a NUL", { sshPubkeys: [`${spec.sshPubkeys[0]}\0x`] }, /must be one line/],
    ["bad lease id", { leaseId: "../x" }, /invalid lease id/],
  ];
  for (const [name, patch, re] of bad) {
    test(name, () => assert.throws(() => validateLeaseVmSpec({ ...spec, ...patch } as LeaseVmSpec), (e: unknown) => e instanceof InvalidConfigError && re.test(e.message)));
  }
  test("a good spec passes; the VM name follows the id", () => {
    validateLeaseVmSpec(spec);
    assert.equal(leaseVmName("42"), "lease-42");
  });
  test("bandwidth is declared unenforced", () => assert.match(BANDWIDTH_NOT_ENFORCED, /not enforced/));
});

describe("host key fingerprint", () => {
  test("matches ssh-keygen -lf", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tn-fp-"));
    try {
      const line = openSshPublicLine(hostKey, "x");
      await writeFile(join(dir, "k.pub"), line + "\n");
      const out = execFileSync("ssh-keygen", ["-lf", join(dir, "k.pub")], { encoding: "utf8" });
      assert.equal(hostKeyFingerprint(line), out.split(" ")[1]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("lease records", () => {
  test("a stale temp file of a looser mode does not loosen the lease record; the host key seed is 0600", async () => {
    const home = await mkdtemp(join(tmpdir(), "tn-lease-rec-"));
    try {
      const r = await claimLeaseVm(home, spec);
      const dir = leaseDir(home, spec.leaseId);
      const mode = async (f: string): Promise<string> => ((await stat(join(dir, f))).mode & 0o777).toString(8);
      assert.equal(await mode(LEASE_RECORD), "600");
      assert.equal(await mode("hostkey.seed"), "600");
      // what a crash (or a careless hand) left at the temp name the record was once written through
      await writeFile(join(dir, `.${LEASE_RECORD}.tmp`), "stale");
      await chmod(join(dir, `.${LEASE_RECORD}.tmp`), 0o644);
      const vars = join(home, "vars.fd");
      await writeFile(vars, "");
      const withVars: HostFeatures = { ...host, firmware: host.firmware === undefined ? undefined : { ...host.firmware, vars } };
      const source = { description: "test", prepare: () => Promise.resolve({ boot: { kind: "uefi" as const }, user: "tenant", cidata: true }) };
      assert.equal((await prepareLeaseVm(home, r, source, fakeDeps({ probe: () => Promise.resolve(withVars) }))).phase, "prepared");
      assert.equal(await mode(LEASE_RECORD), "600");
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

describe("closed leases' console logs", () => {
  test("destroying a lease VM keeps its serial.log (0600) for lease-logs; only the KEPT_CLOSED_LOGS highest ids stay", async () => {
    const home = await mkdtemp(join(tmpdir(), "tn-closed-logs-"));
    try {
      const n = KEPT_CLOSED_LOGS + 2;
      for (let id = 1; id <= n; id++) {
        await mkdir(leaseDir(home, String(id)), { recursive: true, mode: 0o700 });
        await writeFile(join(leaseDir(home, String(id)), FILES.serialLog), `boot of lease ${id}\n`, { mode: 0o600 });
        await destroyLeaseVm(home, String(id));
        assert.equal(existsSync(leaseDir(home, String(id))), false);
      }
      const kept = (await readdir(closedLogsRoot(home))).map((f) => Number(f.split(".")[0])).sort((a, b) => a - b);
      assert.deepEqual(kept, Array.from({ length: KEPT_CLOSED_LOGS }, (_, i) => i + 3));
      assert.equal((await stat(join(closedLogsRoot(home), `${n}.serial.log`))).mode & 0o777, 0o600);
      assert.deepEqual(await leaseConsoleTail(home, String(n), 10), { text: `boot of lease ${n}`, closed: true });
      await destroyLeaseVm(home, String(n)); // a second destroy keeps the kept log
      assert.equal((await leaseConsoleTail(home, String(n), 10)).text, `boot of lease ${n}`);
      await assert.rejects(leaseConsoleTail(home, "1", 10), (e: unknown) => e instanceof VmStateError && /lease 1 has no VM on this machine .* no kept console log/.test(e.message));
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});

/** A source with no /proc (macOS) whose ps prints `table`. */
const psOnly = (table: string): ProcessSource => ({
  procRoot: "/nonexistent/proc",
  run: async (file) => (file === "ps" ? { code: 0, stdout: table } : undefined),
});

describe("lease VMs' QEMU processes, from /proc or, where there is none (macOS), from ps", () => {
  const home = "/Users/me/tn home";
  const pidfile = (id: string): string => join(leasesRoot(home), id, FILES.pid);

  test("no /proc: ps's lines with qemu-system and -pidfile <leases>/<id>/qemu.pid (last or followed by more) are lease VMs", async () => {
    const table = [
      `  501 /opt/homebrew/bin/qemu-system-aarch64 -name lease-7 -pidfile ${pidfile("7")} -daemonize`,
      `  502 /opt/homebrew/bin/qemu-system-aarch64 -name lease-12 -pidfile ${pidfile("12")}`,
      `  503 qemu-system-aarch64 -pidfile /other${pidfile("8")}`, // another home whose path ends in this one's
      `  504 qemu-system-aarch64 -pidfile ${pidfile("9")}.old`,
      `  505 vim ${pidfile("10")}`,
      `  506 qemu-system-aarch64 -pidfile ${join(leasesRoot(home), "x1", FILES.pid)}`,
      "",
    ].join("\n");
    assert.deepEqual(await leaseQemuProcesses(home, psOnly(table)), [{ pid: 501, leaseId: "7" }, { pid: 502, leaseId: "12" }]);
  });

  test("a fake /proc: each <pid>/cmdline's argv, qemu-system with -pidfile <leases>/<id>/qemu.pid", async () => {
    const proc = await mkdtemp(join(tmpdir(), "tn-fake-proc-"));
    try {
      await mkdir(join(proc, "self"));
      const cmdlines: Record<string, string[]> = {
        "601": ["/usr/bin/qemu-system-aarch64", "-name", "lease-3", "-pidfile", pidfile("3"), "-daemonize"],
        "602": ["/usr/bin/qemu-system-aarch64", "-pidfile", `${pidfile("4")}.old`],
        "603": ["sleep", "-pidfile", pidfile("5")],
      };
      for (const [pid, argv] of Object.entries(cmdlines)) {
        await mkdir(join(proc, pid));
        await writeFile(join(proc, pid, "cmdline"), `${argv.join("\0")}\0`);
      }
      const source: ProcessSource = { procRoot: proc, run: async () => assert.fail("no command runs where there is /proc") };
      assert.deepEqual(await leaseQemuProcesses(home, source), [{ pid: 601, leaseId: "3" }]);
    } finally {
      await rm(proc, { recursive: true, force: true });
    }
  });

  test("destroy without /proc: the lease's QEMU that ps lists, which no power-off stops, is SIGKILLed; another lease's is left", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tn-lease-kill-"));
    // Stand-ins for two QEMUs that ignore the power-off (no QMP socket answers): ps says what they run.
    const spawnIdle = (): number => spawn("sleep", ["600"], { stdio: "ignore", detached: true }).pid ?? 0;
    const ours = spawnIdle();
    const theirs = spawnIdle();
    try {
      await mkdir(leaseDir(dir, "7"), { recursive: true, mode: 0o700 });
      const table = `${ours} qemu-system-aarch64 -pidfile ${join(leaseDir(dir, "7"), FILES.pid)}\n${theirs} qemu-system-aarch64 -pidfile ${join(leaseDir(dir, "8"), FILES.pid)}\n`;
      await destroyLeaseVm(dir, "7", psOnly(table));
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(pidAlive(ours), false, "the lease's QEMU is killed");
      assert.equal(pidAlive(theirs), true, "another lease's QEMU is left running");
      assert.equal(existsSync(leaseDir(dir, "7")), false);
    } finally {
      for (const pid of [ours, theirs]) try { process.kill(pid, "SIGKILL"); } catch { /* gone */ }
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("a lease VM's start finds its UEFI firmware again", () => {
  // Firmware files of their own sizes under a temp home: the one the VM was prepared with, then what is found at start.
  async function firmwareAt(home: string, name: string, varsBytes: number, over: Partial<Firmware> = {}): Promise<Firmware> {
    await mkdir(join(home, name), { recursive: true });
    const code = join(home, name, "CODE.fd");
    const vars = join(home, name, "VARS.fd");
    await writeFile(code, Buffer.alloc(1024));
    await writeFile(vars, Buffer.alloc(varsBytes));
    return { arch: "aarch64", mode: "pflash", code, vars, format: "raw", source: name, ...over };
  }
  const uefi = { description: "test", prepare: () => Promise.resolve({ boot: { kind: "uefi" as const }, user: "tenant", cidata: true }) };
  async function prepared(home: string, fw: Firmware): Promise<Awaited<ReturnType<typeof prepareLeaseVm>>> {
    return prepareLeaseVm(home, await claimLeaseVm(home, spec), uefi, fakeDeps({ probe: () => Promise.resolve({ ...host, firmware: fw }) }));
  }
  function launcher(): { readonly argvs: (readonly string[])[]; readonly launch: (b: string, argv: readonly string[]) => Promise<{ readonly pid: number }> } {
    const argvs: (readonly string[])[] = [];
    return { argvs, launch: (_b, argv) => (argvs.push(argv), Promise.resolve({ pid: 2 ** 22 + 1 })) };
  }

  test("a firmware moved or replaced since prepare: QEMU gets the paths found now, and the record says so", async () => {
    const home = await mkdtemp(join(tmpdir(), "tn-lease-fw-"));
    try {
      const before = await firmwareAt(home, "AAVMF", 65536);
      const r = await prepared(home, before);
      assert.ok(r.argv?.some((a) => a.includes(before.code)), "prepared with the first firmware");
      await rm(join(home, "AAVMF"), { recursive: true }); // the package removed; another installed
      const now = await firmwareAt(home, "qemu-efi-aarch64", 65536);
      const l = launcher();
      const probes: boolean[] = [];
      await startLeaseVm(home, r, fakeDeps({ probe: (o) => (probes.push(o.needFirmware), Promise.resolve({ ...host, firmware: now })), launch: l.launch }));
      assert.deepEqual(probes, [true]);
      const argv = l.argvs[0] ?? [];
      const dir = leaseDir(home, spec.leaseId);
      assert.ok(!argv.join(" ").includes(before.code), "the removed firmware is not named");
      assert.deepEqual(argv.filter((a) => a.startsWith("if=pflash,")), [`if=pflash,format=raw,unit=0,readonly=on,file=${now.code}`, `if=pflash,format=raw,unit=1,file=${join(dir, FILES.efiVars)}`]);
      assert.deepEqual(argv.filter((a) => !a.startsWith("if=pflash,")), (r.argv ?? []).filter((a) => !a.startsWith("if=pflash,")), "nothing else changes");
      assert.deepEqual((await readLeaseRecord(home, spec.leaseId))?.argv, argv, "lease.json holds what was started");
      // A firmware found now as an unpadded -bios image: no pflash drives left.
      const bios = { ...now, mode: "bios" as const, vars: undefined };
      const l2 = launcher();
      await startLeaseVm(home, r, fakeDeps({ probe: () => Promise.resolve({ ...host, firmware: bios }), launch: l2.launch }));
      const argv2 = l2.argvs[0] ?? [];
      assert.equal(argv2[argv2.indexOf("-bios") + 1], now.code);
      assert.ok(!argv2.some((a) => a.startsWith("if=pflash,")));
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test("a variable store that no longer fits the firmware found now is refused with what to do, before anything runs", async () => {
    const home = await mkdtemp(join(tmpdir(), "tn-lease-fw-"));
    try {
      const r = await prepared(home, await firmwareAt(home, "AAVMF", 65536));
      const now = await firmwareAt(home, "edk2", 2 ** 21);
      const dir = leaseDir(home, spec.leaseId);
      const store = join(dir, FILES.efiVars);
      const recordBefore = readFileSync(join(dir, LEASE_RECORD), "utf8");
      const l = launcher();
      await assert.rejects(startLeaseVm(home, r, fakeDeps({ probe: () => Promise.resolve({ ...host, firmware: now }), launch: l.launch })), (e: unknown) =>
        e instanceof VmStateError
        && e.message === `lease 42's VM's UEFI variable store ${store} (65536 bytes) does not fit the UEFI firmware found now, ${now.code} whose variable template ${now.vars} is 2097152 bytes: the firmware the VM was created with was replaced or removed since the lease VM was prepared`
        && (e.hint ?? "").includes(`rm ${store}`));
      assert.deepEqual(l.argvs, [], "QEMU never started");
      assert.equal((await stat(store)).size, 65536, "the store is kept");
      assert.equal(readFileSync(join(dir, LEASE_RECORD), "utf8"), recordBefore);
      assert.equal(existsSync(join(dir, FILES.serialLog)), false, "nothing written");
      // Removed as the hint says: made again from the template found now, and the VM starts.
      await rm(store);
      await startLeaseVm(home, r, fakeDeps({ probe: () => Promise.resolve({ ...host, firmware: now }), launch: l.launch }));
      assert.equal(l.argvs.length, 1);
      assert.equal((await stat(store)).size, 2 ** 21);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  test("no firmware found at start: the probe's missing-firmware error, not QEMU's; a direct-kernel lease VM probes nothing", async () => {
    const home = await mkdtemp(join(tmpdir(), "tn-lease-fw-"));
    try {
      const r = await prepared(home, await firmwareAt(home, "AAVMF", 65536));
      const l = launcher();
      const missing = new MissingDependencyError("uefi-firmware", "no UEFI firmware for aarch64 found", "install qemu-efi-aarch64");
      await assert.rejects(startLeaseVm(home, r, fakeDeps({ probe: () => Promise.reject(missing), launch: l.launch })), (e: unknown) => e === missing);
      assert.deepEqual(l.argvs, []);
      const kernelHome = join(home, "k");
      await mkdir(kernelHome);
      const kernel = { description: "test", prepare: () => Promise.resolve({ boot: { kind: "kernel" as const, kernel: "/g/vmlinuz", initrd: undefined, append: "console=ttyAMA0" }, user: "root", cidata: false }) };
      const rk = await prepareLeaseVm(kernelHome, await claimLeaseVm(kernelHome, spec), kernel, fakeDeps({ probe: () => Promise.resolve({ ...host, firmware: undefined }) }));
      await startLeaseVm(kernelHome, rk, fakeDeps({ probe: () => Promise.reject(new Error("probed")), launch: l.launch }));
      assert.deepEqual(l.argvs, [rk.argv]);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
