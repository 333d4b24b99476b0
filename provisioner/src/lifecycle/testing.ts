// Test helpers for lifecycle specs: a VmRecord and fake LifecycleDeps (no QEMU needed).
import type { HostFeatures } from "../qemu/types.ts";
import type { VmRecord } from "./record.ts";
import type { LifecycleDeps } from "./vm.ts";
import { fakeShell } from "../testing/fake-shell.ts";

export const FAKE_HOST: HostFeatures = { os: "linux", arch: "x86_64", kvm: false, hvf: false, accelerators: ["tcg"], firmware: undefined, qemuVersion: { major: 7, minor: 2, patch: 22 }, seccomp: true };

export function fakeDeps(over: Partial<LifecycleDeps> = {}): LifecycleDeps {
  return {
    $: fakeShell(() => ({ exitCode: 0 })),
    probe: async () => FAKE_HOST,
    qemuBinary: (arch) => `qemu-system-${arch}`,
    launch: async () => ({ exitCode: 1, stderr: "no QEMU in unit tests (fakeDeps)" }),
    ...over,
  };
}

export function testRecord(name: string, sshPort: number, over: Partial<VmRecord> = {}): VmRecord {
  return {
    version: 1, name, kind: "node", arch: "aarch64", cpus: 1, memoryMiB: 256,
    boot: { kind: "kernel", kernel: "/k/vmlinuz", initrd: "initrd.img", append: "console=ttyAMA0" },
    disk: undefined, cidata: false, sshPort, forwards: [], user: "root", clientKey: "",
    userNicMac: "52:54:00:00:00:01",
    ula: { address: "fd5e:3a1b:9c04:1::1", mac: "52:54:00:00:00:02", transport: { kind: "mcast", group: "239.1.2.3", port: 40001 } },
    hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE5lcdJ0NqH6mXvP3Vq2bq6mUoZqB2mN6s0bOQ0xMHnI",
    readiness: { cloudInit: false, health: undefined }, image: undefined, extraArgs: [], ...over,
  };
}
