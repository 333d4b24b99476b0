/** Host probing (the impure half of house rule 15): accelerators, firmware, QEMU version. */
import { MissingDependencyError, ProvisionError } from "../errors.ts";
import { QEMU_SANDBOX } from "./argv.ts";
import { descriptorDirs, knownLayouts, pickDescriptor } from "./firmware.ts";
import { distroFromOsRelease, firmwareInstallHint, qemuInstallHint } from "./install-hints.ts";
import type { Accelerator, Firmware, GuestArch, HostFeatures, HostOs, QemuVersion } from "./types.ts";

/** What a probe step printed, and how it exited (127: not installed). */
export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Everything probeHost touches, injected (tests pass fakes; realProbeDeps() uses the machine). */
export interface ProbeDeps {
  readonly platform: string;
  readonly hostArch: string;
  readonly home: string;
  /** Runs a program; a missing program is exitCode 127. */
  readonly exec: (file: string, args: readonly string[]) => Promise<ExecResult>;
  readonly readFile: (path: string) => Promise<string | undefined>;
  readonly listDir: (path: string) => Promise<readonly string[]>;
  readonly exists: (path: string) => Promise<boolean>;
  /** True when the path opens read-write (/dev/kvm). */
  readonly canOpenReadWrite: (path: string) => Promise<boolean>;
}

export interface ProbeOptions {
  readonly guestArch: GuestArch;
  /** Overrides qemu-system-<arch> ($QEMU_SYSTEM_AARCH64 in the shell). */
  readonly qemuBinary?: string;
  /** Require UEFI firmware (false for direct-kernel boots). */
  readonly needFirmware: boolean;
}

/** The oldest QEMU with `-netdev dgram` (the ULA segment). */
export const MIN_QEMU: QemuVersion = { major: 7, minor: 2, patch: 0 };

export function parseQemuVersion(text: string): QemuVersion | undefined {
  const m = /QEMU emulator version (\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

export function parseAccelHelp(text: string): readonly Accelerator[] {
  const known: readonly Accelerator[] = ["kvm", "hvf", "tcg"];
  return known.filter((a) => text.split(/\s+/).includes(a));
}

export function normaliseArch(arch: string): GuestArch | undefined {
  if (arch === "arm64" || arch === "aarch64") return "aarch64";
  if (arch === "x64" || arch === "x86_64" || arch === "amd64") return "x86_64";
  return undefined;
}

function versionBelow(v: QemuVersion, min: QemuVersion): boolean {
  return v.major !== min.major ? v.major < min.major : v.minor !== min.minor ? v.minor < min.minor : v.patch < min.patch;
}

export async function findFirmware(deps: ProbeDeps, arch: GuestArch): Promise<Firmware | undefined> {
  const files: { path: string; text: string }[] = [];
  for (const dir of descriptorDirs(deps.home)) {
    for (const name of await deps.listDir(dir)) {
      if (!name.endsWith(".json")) continue;
      const text = await deps.readFile(`${dir}/${name}`);
      if (text !== undefined) files.push({ path: `${dir}/${name}`, text });
    }
  }
  const fromDescriptor = pickDescriptor(arch, files);
  if (fromDescriptor !== undefined && (await deps.exists(fromDescriptor.code))) return fromDescriptor;
  for (const l of knownLayouts(arch, deps.home)) {
    if (!(await deps.exists(l.code))) continue;
    const vars = l.vars !== undefined && (await deps.exists(l.vars)) ? l.vars : undefined;
    return { arch, mode: l.mode, code: l.code, vars, format: "raw", source: l.source };
  }
  return undefined;
}

/** Probes the host for running `qemu-system-<guestArch>`; throws MissingDependencyError with the package to install. */
export async function probeHost(deps: ProbeDeps, opts: ProbeOptions): Promise<HostFeatures> {
  const distro = distroFromOsRelease(await deps.readFile("/etc/os-release"), deps.platform);
  const bin = opts.qemuBinary ?? `qemu-system-${opts.guestArch}`;
  const ver = await deps.exec(bin, ["--version"]);
  if (ver.exitCode === 127) {
    throw new MissingDependencyError(bin, `${bin} is not installed (or not on PATH)`, qemuInstallHint(distro, opts.guestArch));
  }
  const qemuVersion = parseQemuVersion(ver.stdout);
  if (ver.exitCode !== 0 || qemuVersion === undefined) {
    throw new ProvisionError(`${bin} --version failed: ${(ver.stderr || ver.stdout).trim()}`, qemuInstallHint(distro, opts.guestArch));
  }
  if (versionBelow(qemuVersion, MIN_QEMU)) {
    throw new MissingDependencyError(bin, `QEMU ${qemuVersion.major}.${qemuVersion.minor} is too old: TrustNet needs ${MIN_QEMU.major}.${MIN_QEMU.minor} or newer (-netdev dgram)`, qemuInstallHint(distro, opts.guestArch));
  }
  const accelHelp = await deps.exec(bin, ["-M", "none", "-accel", "help"]);
  const accelerators = parseAccelHelp(accelHelp.stdout);
  const os: HostOs = deps.platform === "linux" ? "linux" : deps.platform === "darwin" ? "darwin" : "other";
  const kvm = os === "linux" && (await deps.canOpenReadWrite("/dev/kvm"));
  let hvf = false;
  if (os === "darwin") hvf = (await deps.exec("sysctl", ["-n", "kern.hv_support"])).stdout.trim() === "1";
  const firmware = await findFirmware(deps, opts.guestArch);
  if (firmware === undefined && opts.needFirmware) {
    throw new MissingDependencyError(
      "uefi-firmware",
      `no UEFI firmware for ${opts.guestArch} found (looked in ${descriptorDirs(deps.home).join(", ")} and the known edk2/AAVMF paths)`,
      firmwareInstallHint(distro, opts.guestArch),
    );
  }
  const arch = normaliseArch(deps.hostArch) ?? "x86_64";
  // -version exits at its turn in the option loop: 0 when -sandbox (seccomp) parsed, 1 when the build lacks it.
  const seccomp = os === "linux" && (await deps.exec(bin, ["-sandbox", QEMU_SANDBOX, "-version"])).exitCode === 0;
  return { os, arch, kvm, hvf, accelerators, firmware, qemuVersion, seccomp };
}
