// Golden tests: fixtures/<case>.spec.json ({ spec, host }) -> fixtures/<case>.argv.txt (one argument per line).
// Nothing is regenerated silently: UPDATE_GOLDEN=1 rewrites the .argv.txt files, otherwise a mismatch fails.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildQemuArgv, chooseAccelerator } from "./argv.ts";
import type { HostFeatures, VmSpec } from "./types.ts";

const fixtures = join(import.meta.dirname, "fixtures");
const update = process.env.UPDATE_GOLDEN === "1";
const cases = readdirSync(fixtures).filter((f) => f.endsWith(".spec.json")).map((f) => f.slice(0, -".spec.json".length)).sort();

function load(name: string): { spec: VmSpec; host: HostFeatures } {
  return JSON.parse(readFileSync(join(fixtures, `${name}.spec.json`), "utf8")) as { spec: VmSpec; host: HostFeatures };
}

describe("buildQemuArgv golden files", () => {
  test("there are golden cases", () => assert.ok(cases.length >= 10));
  for (const name of cases) {
    test(name, () => {
      const { spec, host } = load(name);
      const got = buildQemuArgv(spec, host).join("\n") + "\n";
      const file = join(fixtures, `${name}.argv.txt`);
      if (update) writeFileSync(file, got);
      assert.ok(existsSync(file), `missing ${file}: run with UPDATE_GOLDEN=1 once and review it`);
      assert.equal(got, readFileSync(file, "utf8"));
    });
  }
});

describe("buildQemuArgv invariants", () => {
  const base = load("node-tcg-debian-descriptor");
  test("is pure: same input, same output, input untouched", () => {
    const before = JSON.stringify(base);
    assert.deepEqual(buildQemuArgv(base.spec, base.host), buildQemuArgv(base.spec, base.host));
    assert.equal(JSON.stringify(base), before);
  });
  test("user NIC keeps IPv4 on and binds forwards to loopback only", () => {
    const argv = buildQemuArgv(base.spec, base.host);
    const user = argv[argv.indexOf("-netdev") + 1] ?? "";
    assert.match(user, /ipv4=on,ipv6=on/);
    assert.match(user, /hostfwd=tcp:127\.0\.0\.1:2222-:22/);
    assert.doesNotMatch(user, /hostfwd=tcp::/);
  });
  test("each non-repeatable flag appears once", () => {
    for (const name of cases) {
      const { spec, host } = load(name);
      const argv = buildQemuArgv(spec, host);
      for (const flag of ["-machine", "-cpu", "-m", "-smp", "-accel", "-pidfile"]) {
        assert.ok(argv.filter((a) => a === flag).length <= 1, `${name}: ${flag} repeated`);
      }
    }
  });
  test("-sandbox: libvirt's full set, minus spawn/elevateprivileges under -daemonize; none without seccomp", () => {
    const sandbox = (spec: VmSpec, host: HostFeatures): string | undefined => {
      const argv = buildQemuArgv(spec, host);
      return argv.includes("-sandbox") ? argv[argv.indexOf("-sandbox") + 1] : undefined;
    };
    assert.equal(sandbox({ ...base.spec, daemonize: true }, base.host), "on,obsolete=deny,resourcecontrol=deny");
    assert.equal(sandbox({ ...base.spec, daemonize: false }, base.host), "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny");
    assert.ok(buildQemuArgv({ ...base.spec, daemonize: true }, base.host).includes("-daemonize"));
    assert.ok(!buildQemuArgv({ ...base.spec, daemonize: false }, base.host).includes("-daemonize"));
    assert.equal(sandbox(base.spec, { ...base.host, seccomp: false }), undefined);
    assert.equal(sandbox({ ...base.spec, extraArgs: ["-sandbox", "off"] }, base.host), "off");
  });
  test("-no-user-config: the host's /etc/qemu/qemu.conf adds nothing to a VM", () => {
    for (const name of cases) {
      const argv = buildQemuArgv(load(name).spec, load(name).host);
      assert.equal(argv.filter((a) => a === "-no-user-config").length, 1, `${name}: -no-user-config`);
      assert.ok(argv.indexOf("-no-user-config") < argv.indexOf("-netdev"), `${name}: among the machine-wide flags`);
    }
  });
  test("the serial console is a bounded ring, never a QEMU logfile (a guest could fill the host's disk)", () => {
    for (const name of cases) {
      const argv = buildQemuArgv(load(name).spec, load(name).host);
      assert.ok(!argv.some((a) => a.includes("logfile=")), `${name}: a serial logfile`);
      assert.ok(argv.includes("ringbuf,id=serial0,size=1048576"), `${name}: no ring`);
    }
  });
  test("-machine virt past 8 vCPUs: GICv3 (GICv2, TCG's and HVF's default, serves 8 and QEMU refused a 9th at start)", () => {
    const machine = (cpus: number, host: HostFeatures): string | undefined => {
      const argv = buildQemuArgv({ ...base.spec, cpus }, host);
      return argv[argv.indexOf("-machine") + 1];
    };
    for (const host of [base.host, { ...base.host, arch: "aarch64" as const, kvm: true }, { ...base.host, os: "darwin" as const, arch: "aarch64" as const, hvf: true, accelerators: ["hvf", "tcg"] as const }]) {
      assert.equal(machine(1, host), "virt");
      assert.equal(machine(8, host), "virt");
      assert.equal(machine(9, host), "virt,gic-version=3");
      assert.equal(machine(64, host), "virt,gic-version=3");
    }
    assert.equal(machine(12, base.host), "virt,gic-version=3");
    const x86 = load("node-x86_64-kvm-ovmf");
    const argv = buildQemuArgv({ ...x86.spec, cpus: 12 }, x86.host);
    assert.equal(argv[argv.indexOf("-machine") + 1], "q35");
  });
  test("-cpu: the host's under KVM/HVF; TCG's max, on aarch64 with the implementation-defined pointer-auth cipher (QARMA5's emulation slowed boots by ~40 %)", () => {
    const cpu = (spec: VmSpec, host: HostFeatures): string | undefined => {
      const argv = buildQemuArgv(spec, host);
      return argv[argv.indexOf("-cpu") + 1];
    };
    assert.equal(cpu(base.spec, base.host), "max,pauth-impdef=on");
    assert.equal(cpu(base.spec, { ...base.host, arch: "aarch64", kvm: true }), "host");
    assert.equal(cpu(base.spec, { ...base.host, os: "darwin", arch: "aarch64", hvf: true, accelerators: ["hvf", "tcg"] }), "host");
    const x86 = load("node-x86_64-kvm-ovmf");
    assert.equal(cpu(x86.spec, x86.host), "host");
    assert.equal(cpu(x86.spec, { ...x86.host, kvm: false, accelerators: ["tcg"] }), "max");
    assert.equal(cpu({ ...base.spec, extraArgs: ["-cpu", "cortex-a72"] }, base.host), "cortex-a72");
    for (const name of cases) {
      const { spec, host } = load(name);
      const argv = buildQemuArgv(spec, host);
      const wanted = spec.extraArgs.includes("-cpu") ? undefined : chooseAccelerator(spec.arch, host) !== "tcg" ? "host" : spec.arch === "aarch64" ? "max,pauth-impdef=on" : "max";
      if (wanted !== undefined) assert.equal(argv[argv.indexOf("-cpu") + 1], wanted, name);
    }
  });
  test("UEFI boot without firmware is a programming error", () => {
    assert.throws(() => buildQemuArgv(base.spec, { ...base.host, firmware: undefined }), /firmware/);
  });
  test("accelerator choice", () => {
    const h = base.host;
    assert.equal(chooseAccelerator("aarch64", h), "tcg");
    assert.equal(chooseAccelerator("x86_64", { ...h, kvm: true }), "kvm");
    assert.equal(chooseAccelerator("x86_64", { ...h, kvm: true, accelerators: ["tcg"] }), "tcg");
    assert.equal(chooseAccelerator("aarch64", { ...h, os: "darwin", arch: "aarch64", hvf: true, accelerators: ["hvf", "tcg"] }), "hvf");
    assert.equal(chooseAccelerator("x86_64", { ...h, os: "darwin", arch: "aarch64", hvf: true, accelerators: ["hvf", "tcg"] }), "tcg");
  });
});
