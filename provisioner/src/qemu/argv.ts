/**
 * The QEMU command line as a PURE function of (VmSpec, HostFeatures): no fs, no processes, no env.
 * Probing lives in probe.ts; cleanup and spawning live in lifecycle/. Golden tests: argv.spec.ts.
 */
import type { Accelerator, Firmware, HostFeatures, UlaTransport, VmSpec } from "./types.ts";

/** Flags QEMU accepts once; a user-supplied one (spec.extraArgs) replaces ours (Lima's no-conflict guard). */
const NON_REPEATABLE = new Set([
  "-machine", "-M", "-accel", "-cpu", "-smp", "-m", "-name", "-pidfile", "-bios", "-kernel", "-initrd",
  "-append", "-boot", "-display", "-daemonize", "-nodefaults", "-qmp", "-serial", "-sandbox",
]);

/**
 * QEMU's seccomp filter, as libvirt sets it: no obsolete syscalls, no set*id/setsid, no fork/exec, no
 * scheduler/affinity changes. QEMU 7.2 installs the filter BEFORE -daemonize forks and calls setsid(), so a
 * daemonized QEMU dies at start with spawn=deny (SIGSYS, exit 159) or elevateprivileges=deny (setsid fails, exit 1):
 * it gets QEMU_SANDBOX_DAEMONIZED (only the start script's fallback line; lifecycle/launch.ts starts the others
 * detached). Omitted when the binary has no seccomp (macOS; host.seccomp false).
 */
export const QEMU_SANDBOX = "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny";
export const QEMU_SANDBOX_DAEMONIZED = "on,obsolete=deny,resourcecontrol=deny";

/** The serial console's chardev and its in-memory ring (a power of two; QEMU keeps the newest bytes): lifecycle/serial-log.ts drains it. */
export const SERIAL_CHARDEV = "serial0";
export const SERIAL_RING_BYTES = 1024 * 1024;

/**
 * The most vCPUs `-machine virt` takes with its default interrupt controller. Under TCG and HVF QEMU picks GICv2, which
 * serves 8 CPUs at most: a 9th made QEMU exit at start ("Number of SMP CPUs requested (9) exceeds max CPUs supported
 * by machine 'mach-virt' (8)"). Past it the machine gets GICv3 (`gic-version=3`, what KVM picks by itself there).
 */
export const VIRT_GICV2_MAX_CPUS = 8;

function machineType(spec: VmSpec): string {
  if (spec.arch !== "aarch64") return "q35";
  return spec.cpus > VIRT_GICV2_MAX_CPUS ? "virt,gic-version=3" : "virt";
}

/** kvm when /dev/kvm opens and the guest arch is native; hvf on macOS; otherwise tcg. */
export function chooseAccelerator(arch: VmSpec["arch"], host: HostFeatures): Accelerator {
  if (arch === host.arch) {
    if (host.os === "linux" && host.kvm && host.accelerators.includes("kvm")) return "kvm";
    if (host.os === "darwin" && host.hvf && host.accelerators.includes("hvf")) return "hvf";
  }
  return "tcg";
}

function appendIfNoConflict(args: string[], extra: readonly string[], flag: string, value?: string): void {
  const aliases = flag === "-machine" ? ["-machine", "-M"] : [flag];
  if (NON_REPEATABLE.has(flag) && extra.some((a) => aliases.includes(a))) return;
  args.push(flag);
  if (value !== undefined) args.push(value);
}

/**
 * A path inside a `key=value,…` option (-drive, -chardev, -netdev): QEMU splits on every comma and reads `,,` as one.
 * Unescaped, a home such as `/srv/a,b` broke the VM at start ("Could not open '/srv/a'") or injected options.
 * Whole-value flags (-kernel, -initrd, -bios, -pidfile) take the path as it is.
 */
export function optPath(path: string): string {
  return path.replaceAll(",", ",,");
}

export function firmwareArgs(fw: Firmware, varsPath: string): string[] {
  if (fw.mode === "bios") return ["-bios", fw.code];
  const out = ["-drive", `if=pflash,format=${fw.format},unit=0,readonly=on,file=${optPath(fw.code)}`];
  if (fw.vars !== undefined) out.push("-drive", `if=pflash,format=${fw.format},unit=1,file=${optPath(varsPath)}`);
  return out;
}

function dgramArgs(t: UlaTransport): string {
  if (t.kind === "unix-pair") {
    return `dgram,id=net1,local.type=unix,local.path=${optPath(t.localSocket)},remote.type=unix,remote.path=${optPath(t.remoteSocket)}`;
  }
  // dgram takes no local address for multicast; the socket netdev binds the group to the loopback interface.
  return `socket,id=net1,mcast=${t.group}:${t.port},localaddr=127.0.0.1`;
}

function userNetdev(spec: VmSpec): string {
  const fwd = [{ hostPort: spec.ssh.hostPort, guestPort: 22 }, ...spec.forwards]
    .map((f) => `hostfwd=tcp:127.0.0.1:${f.hostPort}-:${f.guestPort}`);
  // ipv6=on alone turns IPv4 off (and with it the IPv4-only hostfwd): always name both.
  return ["user", "id=net0", "ipv4=on", "ipv6=on", ...fwd].join(",");
}

/**
 * The guest CPU. KVM and HVF pass the host's through. TCG emulates `max`; on aarch64 with `pauth-impdef=on`: the
 * architected pointer-authentication cipher (QARMA5) is the costliest thing TCG emulates for a kernel that signs its
 * return addresses (Debian's and Ubuntu's do), and the implementation-defined one QEMU offers instead is the one its
 * own docs recommend for speed; the guest sees pointer authentication either way (QEMU >= 6.0; MIN_QEMU is 7.2).
 */
export function guestCpu(arch: VmSpec["arch"], accel: Accelerator): string {
  if (accel !== "tcg") return "host";
  return arch === "aarch64" ? "max,pauth-impdef=on" : "max";
}

/** Builds the full argv (without the binary name) for `qemu-system-<spec.arch>`. */
export function buildQemuArgv(spec: VmSpec, host: HostFeatures): readonly string[] {
  const extra = spec.extraArgs;
  const args: string[] = [];
  const accel = chooseAccelerator(spec.arch, host);
  const dir = optPath(spec.dir);

  appendIfNoConflict(args, extra, "-name", spec.name);
  appendIfNoConflict(args, extra, "-machine", machineType(spec));
  appendIfNoConflict(args, extra, "-accel", accel === "tcg" ? "tcg,thread=multi" : accel);
  appendIfNoConflict(args, extra, "-cpu", guestCpu(spec.arch, accel));
  appendIfNoConflict(args, extra, "-smp", `${spec.cpus},sockets=1,cores=${spec.cpus},threads=1`);
  appendIfNoConflict(args, extra, "-m", `${spec.memoryMiB}M`);
  appendIfNoConflict(args, extra, "-nodefaults");
  // Not the host's /etc/qemu/qemu.conf: its [device]/[drive]/[machine] sections would join every VM (libvirt's flag too).
  appendIfNoConflict(args, extra, "-no-user-config");
  appendIfNoConflict(args, extra, "-display", "none");
  if (host.seccomp) appendIfNoConflict(args, extra, "-sandbox", spec.daemonize ? QEMU_SANDBOX_DAEMONIZED : QEMU_SANDBOX);

  if (spec.boot.kind === "uefi") {
    if (host.firmware === undefined) throw new Error("buildQemuArgv: UEFI boot needs host.firmware (probeHost reports it missing)");
    if (!extra.includes("-bios")) args.push(...firmwareArgs(host.firmware, spec.boot.varsPath));
    appendIfNoConflict(args, extra, "-boot", "order=c,splash-time=0,menu=on");
  } else {
    appendIfNoConflict(args, extra, "-kernel", spec.boot.kernel);
    if (spec.boot.initrd !== undefined) appendIfNoConflict(args, extra, "-initrd", spec.boot.initrd);
    appendIfNoConflict(args, extra, "-append", spec.boot.append);
  }

  if (spec.disk !== undefined) {
    args.push("-drive", `file=${optPath(spec.disk.path)},if=none,id=disk0,format=${spec.disk.format},discard=unmap,detect-zeroes=unmap`);
    args.push("-device", "virtio-blk-pci,drive=disk0,bootindex=1");
  }
  if (spec.cidata !== undefined) {
    args.push("-drive", `file=${optPath(spec.cidata)},if=none,id=cidata,format=raw,readonly=on`);
    args.push("-device", "virtio-blk-pci,drive=cidata");
  }

  args.push("-netdev", userNetdev(spec));
  // romfile= : no iPXE option ROM (UEFI has its own virtio-net driver; no PXE detour, no ipxe-qemu needed).
  args.push("-device", `virtio-net-pci,netdev=net0,mac=${spec.userNicMac},romfile=`);
  if (spec.ula !== undefined) {
    args.push("-netdev", dgramArgs(spec.ula.transport));
    args.push("-device", `virtio-net-pci,netdev=net1,mac=${spec.ula.mac},romfile=`);
  }
  args.push("-device", "virtio-rng-pci");

  // The console in a bounded in-memory ring, drained over QMP into a capped serial.log (lifecycle/serial-log.ts).
  args.push("-chardev", `ringbuf,id=${SERIAL_CHARDEV},size=${SERIAL_RING_BYTES}`);
  appendIfNoConflict(args, extra, "-serial", `chardev:${SERIAL_CHARDEV}`);
  args.push("-chardev", `socket,id=qmp0,path=${dir}/qmp.sock,server=on,wait=off`);
  appendIfNoConflict(args, extra, "-qmp", "chardev:qmp0");
  appendIfNoConflict(args, extra, "-pidfile", `${spec.dir}/qemu.pid`);
  if (spec.daemonize) appendIfNoConflict(args, extra, "-daemonize");
  args.push(...extra);
  return args;
}

/** The QEMU binary for a guest arch (the launcher may override it with $QEMU_SYSTEM_<ARCH>). */
export function qemuBinaryName(arch: VmSpec["arch"]): string {
  return `qemu-system-${arch}`;
}
