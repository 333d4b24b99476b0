import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { MissingDependencyError } from "../errors.ts";
import { parseAccelHelp, parseQemuVersion, probeHost, type ExecResult, type ProbeDeps } from "./probe.ts";

const debianDescriptor = (code: string, vars: string, features: string[]): string =>
  JSON.stringify({
    "interface-types": ["uefi"],
    mapping: { device: "flash", executable: { filename: code, format: "raw" }, "nvram-template": { filename: vars, format: "raw" } },
    targets: [{ architecture: "aarch64", machines: ["virt-*"] }],
    features,
  });

interface FakeHost {
  platform?: string;
  hostArch?: string;
  osRelease?: string;
  files?: Record<string, string>;
  qemu?: string | undefined;
  accel?: string;
  kvm?: boolean;
  hvSupport?: string;
  /** Whether `-sandbox … -version` succeeds (default true). */
  seccomp?: boolean;
}

function fake(h: FakeHost): ProbeDeps {
  const files = h.files ?? {};
  return {
    platform: h.platform ?? "linux",
    hostArch: h.hostArch ?? "x64",
    home: "/home/u",
    exec: async (file, args): Promise<ExecResult> => {
      if (file === "sysctl") return { exitCode: 0, stdout: `${h.hvSupport ?? "0"}\n`, stderr: "" };
      if (h.qemu === undefined) return { exitCode: 127, stdout: "", stderr: "" };
      if (args[0] === "-sandbox") return { exitCode: h.seccomp === false ? 1 : 0, stdout: "", stderr: "" };
      if (args[0] === "--version") return { exitCode: 0, stdout: `QEMU emulator version ${h.qemu} (Debian)\n`, stderr: "" };
      return { exitCode: 0, stdout: `Accelerators supported in QEMU binary:\n${h.accel ?? "tcg\nkvm"}\n`, stderr: "" };
    },
    readFile: async (p) => (p === "/etc/os-release" ? h.osRelease : files[p]),
    listDir: async (dir) => Object.keys(files).filter((p) => p.startsWith(`${dir}/`)).map((p) => p.slice(dir.length + 1)),
    exists: async (p) => p in files,
    canOpenReadWrite: async () => h.kvm ?? false,
  };
}

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n';
const FEDORA = 'NAME="Rocky Linux"\nID="rocky"\nID_LIKE="rhel centos fedora"\n';
const ARCH = "NAME=\"Arch Linux\"\nID=arch\n";
const debianFiles = {
  "/usr/share/qemu/firmware/40-edk2-aarch64-secure-enrolled.json": debianDescriptor("/usr/share/AAVMF/AAVMF_CODE.ms.fd", "/usr/share/AAVMF/AAVMF_VARS.ms.fd", ["enrolled-keys", "secure-boot"]),
  "/usr/share/qemu/firmware/50-edk2-aarch64-secure.json": debianDescriptor("/usr/share/AAVMF/AAVMF_CODE.secboot.fd", "/usr/share/AAVMF/AAVMF_VARS.fd", ["secure-boot"]),
  "/usr/share/qemu/firmware/60-edk2-aarch64.json": debianDescriptor("/usr/share/AAVMF/AAVMF_CODE.fd", "/usr/share/AAVMF/AAVMF_VARS.fd", ["verbose-static"]),
  "/usr/share/AAVMF/AAVMF_CODE.fd": "", "/usr/share/AAVMF/AAVMF_CODE.secboot.fd": "", "/usr/share/AAVMF/AAVMF_VARS.fd": "",
};

describe("probeHost", () => {
  test("Debian: the plain (non secure-boot) descriptor wins, TCG on an x86_64 host", async () => {
    const h = await probeHost(fake({ osRelease: DEBIAN, qemu: "7.2.22", files: debianFiles }), { guestArch: "aarch64", needFirmware: true });
    assert.deepEqual(h.firmware, { arch: "aarch64", mode: "pflash", code: "/usr/share/AAVMF/AAVMF_CODE.fd", vars: "/usr/share/AAVMF/AAVMF_VARS.fd", format: "raw", source: "/usr/share/qemu/firmware/60-edk2-aarch64.json" });
    assert.deepEqual(h.qemuVersion, { major: 7, minor: 2, patch: 22 });
    assert.equal(h.arch, "x86_64");
    assert.equal(h.kvm, false);
    assert.equal(h.seccomp, true);
  });
  test("seccomp: false when the binary refuses -sandbox, and never asked for on macOS", async () => {
    assert.equal((await probeHost(fake({ osRelease: DEBIAN, qemu: "7.2.22", files: debianFiles, seccomp: false }), { guestArch: "aarch64", needFirmware: true })).seccomp, false);
    const files = { "/opt/homebrew/share/qemu/edk2-aarch64-code.fd": "" };
    assert.equal((await probeHost(fake({ platform: "darwin", hostArch: "arm64", qemu: "10.1.0", accel: "hvf\ntcg", files }), { guestArch: "aarch64", needFirmware: true })).seccomp, false);
  });
  test("a user descriptor in ~/.config/qemu/firmware overrides the system one of the same name", async () => {
    const files = { ...debianFiles, "/home/u/.config/qemu/firmware/60-edk2-aarch64.json": debianDescriptor("/home/u/fw/CODE.fd", "/home/u/fw/VARS.fd", []), "/home/u/fw/CODE.fd": "" };
    const h = await probeHost(fake({ osRelease: DEBIAN, qemu: "8.2.2", files }), { guestArch: "aarch64", needFirmware: true });
    assert.equal(h.firmware?.code, "/home/u/fw/CODE.fd");
  });
  test("Arch layout without descriptors", async () => {
    const files = { "/usr/share/edk2/aarch64/QEMU_CODE.fd": "", "/usr/share/edk2/aarch64/QEMU_VARS.fd": "" };
    const h = await probeHost(fake({ osRelease: ARCH, qemu: "9.2.0", files, hostArch: "arm64", kvm: true }), { guestArch: "aarch64", needFirmware: true });
    assert.equal(h.firmware?.source, "arch-edk2");
    assert.equal(h.firmware?.vars, "/usr/share/edk2/aarch64/QEMU_VARS.fd");
    assert.equal(h.kvm, true);
    assert.equal(h.arch, "aarch64");
  });
  test("Homebrew layout and HVF on macOS", async () => {
    const files = { "/opt/homebrew/share/qemu/edk2-aarch64-code.fd": "", "/opt/homebrew/share/qemu/edk2-arm-vars.fd": "" };
    const h = await probeHost(fake({ platform: "darwin", hostArch: "arm64", qemu: "10.1.0", accel: "hvf\ntcg", hvSupport: "1", files }), { guestArch: "aarch64", needFirmware: true });
    assert.equal(h.os, "darwin");
    assert.equal(h.hvf, true);
    assert.deepEqual(h.accelerators, ["hvf", "tcg"]);
    assert.equal(h.firmware?.source, "prefix-share-qemu");
  });
  test("only the unpadded Debian QEMU_EFI.fd: -bios mode", async () => {
    const h = await probeHost(fake({ osRelease: DEBIAN, qemu: "7.2.0", files: { "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd": "" } }), { guestArch: "aarch64", needFirmware: true });
    assert.equal(h.firmware?.mode, "bios");
    assert.equal(h.firmware?.vars, undefined);
  });
  test("missing qemu names the package for the distro", async () => {
    for (const [osRelease, pkg] of [[DEBIAN, "apt-get install -y qemu-system-arm"], [FEDORA, "dnf install -y qemu-system-aarch64"], [ARCH, "pacman -S qemu-system-aarch64"]] as const) {
      await assert.rejects(probeHost(fake({ osRelease, qemu: undefined }), { guestArch: "aarch64", needFirmware: true }), (e: unknown) => {
        assert.ok(e instanceof MissingDependencyError);
        assert.equal(e.what, "qemu-system-aarch64");
        assert.ok(e.hint?.includes(pkg), `${e.hint} should include ${pkg}`);
        return true;
      });
    }
  });
  test("missing firmware names the firmware package; not needed for direct-kernel boots", async () => {
    await assert.rejects(probeHost(fake({ osRelease: DEBIAN, qemu: "7.2.22" }), { guestArch: "aarch64", needFirmware: true }), (e: unknown) => {
      assert.ok(e instanceof MissingDependencyError);
      assert.match(e.hint ?? "", /apt-get install -y qemu-efi-aarch64/);
      return true;
    });
    await assert.rejects(probeHost(fake({ osRelease: FEDORA, qemu: "8.2.0" }), { guestArch: "aarch64", needFirmware: true }), /no UEFI firmware/);
    const h = await probeHost(fake({ osRelease: DEBIAN, qemu: "7.2.22" }), { guestArch: "aarch64", needFirmware: false });
    assert.equal(h.firmware, undefined);
  });
  test("QEMU older than 7.2 is refused", async () => {
    await assert.rejects(probeHost(fake({ osRelease: DEBIAN, qemu: "6.2.0", files: debianFiles }), { guestArch: "aarch64", needFirmware: true }), /too old/);
  });
  test("parsers", () => {
    assert.deepEqual(parseQemuVersion("QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\n"), { major: 7, minor: 2, patch: 22 });
    assert.deepEqual(parseQemuVersion("QEMU emulator version 10.1"), { major: 10, minor: 1, patch: 0 });
    assert.equal(parseQemuVersion("nope"), undefined);
    assert.deepEqual(parseAccelHelp("Accelerators supported in QEMU binary:\ntcg\nkvm\n"), ["kvm", "tcg"]);
  });
});
