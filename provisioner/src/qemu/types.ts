/** Inputs of the pure QEMU argv builder: what the VM is (VmSpec) and what the host offers (HostFeatures). */

export type GuestArch = "aarch64" | "x86_64";
export type Accelerator = "kvm" | "hvf" | "tcg";
export type HostOs = "linux" | "darwin" | "other";

/** UEFI firmware found on the host. `pflash`: code (+ optional vars template); `bios`: an unpadded image. */
export interface Firmware {
  readonly arch: GuestArch;
  readonly mode: "pflash" | "bios";
  readonly code: string;
  readonly vars: string | undefined;
  readonly format: "raw" | "qcow2";
  /** Where it was found: a descriptor file path, or the name of a known layout. */
  readonly source: string;
}

export interface QemuVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

export interface HostFeatures {
  readonly os: HostOs;
  readonly arch: GuestArch;
  /** True when /dev/kvm opened read-write (Linux). */
  readonly kvm: boolean;
  /** True when kern.hv_support is 1 (macOS). */
  readonly hvf: boolean;
  /** Accelerators the QEMU binary lists in `-accel help`. */
  readonly accelerators: readonly Accelerator[];
  readonly firmware: Firmware | undefined;
  readonly qemuVersion: QemuVersion;
  /** True when the binary was built with seccomp: `-sandbox <QEMU_SANDBOX> -version` exits 0 (Linux only). */
  readonly seccomp: boolean;
}

/** Boot through UEFI firmware (pflash), with a per-VM copy of the vars store. */
export interface UefiBoot {
  readonly kind: "uefi";
  readonly varsPath: string;
}

/** Direct kernel boot (no firmware): the test guest, or a cloud image's own kernel. */
export interface KernelBoot {
  readonly kind: "kernel";
  readonly kernel: string;
  readonly initrd: string | undefined;
  readonly append: string;
}

export interface PortForward {
  readonly hostPort: number;
  readonly guestPort: number;
}

/** The ULA segment transport: a unix datagram socket pair (-netdev dgram, 2 VMs) or a loopback multicast hub (-netdev socket,mcast, N VMs). */
export type UlaTransport =
  | { readonly kind: "unix-pair"; readonly localSocket: string; readonly remoteSocket: string }
  | { readonly kind: "mcast"; readonly group: string; readonly port: number };

export interface UlaNic {
  readonly mac: string;
  readonly transport: UlaTransport;
}

export interface DiskSpec {
  readonly path: string;
  readonly format: "qcow2" | "raw";
}

export interface VmSpec {
  readonly name: string;
  readonly arch: GuestArch;
  readonly cpus: number;
  readonly memoryMiB: number;
  /** The VM directory: serial log, QMP socket and pidfile live here. */
  readonly dir: string;
  readonly boot: UefiBoot | KernelBoot;
  readonly disk: DiskSpec | undefined;
  /** NoCloud seed ISO (label cidata), attached read-only. */
  readonly cidata: string | undefined;
  readonly ssh: { readonly hostPort: number };
  /** Extra forwards to the host's loopback (26657 on the node, 8000 on the registry). */
  readonly forwards: readonly PortForward[];
  readonly userNicMac: string;
  readonly ula: UlaNic | undefined;
  /**
   * QEMU forks itself into the background (-daemonize): only the start script's own QEMU line. The CLI and the
   * provider daemon launch QEMU detached instead (lifecycle/launch.ts), which libvirt's full -sandbox set needs.
   */
  readonly daemonize: boolean;
  /** User-supplied QEMU arguments; they win over ours for non-repeatable flags. */
  readonly extraArgs: readonly string[];
}
