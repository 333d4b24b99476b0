/** Which package provides QEMU and its UEFI firmware, per distro: for the "missing dependency" errors. */
import type { GuestArch } from "./types.ts";

export type Distro = "debian" | "fedora" | "arch" | "alpine" | "suse" | "macos" | "unknown";

/** Maps /etc/os-release (ID, ID_LIKE) to a distro family. */
export function distroFromOsRelease(text: string | undefined, platform: string): Distro {
  if (platform === "darwin") return "macos";
  if (text === undefined) return "unknown";
  const field = (k: string): string => (new RegExp(`^${k}=["']?([^"'\\n]*)`, "m").exec(text)?.[1] ?? "").toLowerCase();
  const ids = `${field("ID")} ${field("ID_LIKE")}`.split(/\s+/);
  if (ids.some((i) => ["debian", "ubuntu"].includes(i))) return "debian";
  if (ids.some((i) => ["fedora", "rhel", "centos", "rocky", "almalinux"].includes(i))) return "fedora";
  if (ids.some((i) => ["arch", "manjaro"].includes(i))) return "arch";
  if (ids.includes("alpine")) return "alpine";
  if (ids.some((i) => i.startsWith("suse") || i.startsWith("opensuse"))) return "suse";
  return "unknown";
}

const QEMU: Record<Distro, Record<GuestArch, string>> = {
  debian: { aarch64: "sudo apt-get install -y qemu-system-arm qemu-utils", x86_64: "sudo apt-get install -y qemu-system-x86 qemu-utils" },
  fedora: { aarch64: "sudo dnf install -y qemu-system-aarch64 qemu-img", x86_64: "sudo dnf install -y qemu-system-x86 qemu-img" },
  arch: { aarch64: "sudo pacman -S qemu-system-aarch64 qemu-img", x86_64: "sudo pacman -S qemu-system-x86 qemu-img" },
  alpine: { aarch64: "sudo apk add qemu-system-aarch64 qemu-img", x86_64: "sudo apk add qemu-system-x86_64 qemu-img" },
  suse: { aarch64: "sudo zypper install qemu-arm qemu-tools", x86_64: "sudo zypper install qemu-x86 qemu-tools" },
  macos: { aarch64: "brew install qemu", x86_64: "brew install qemu" },
  unknown: { aarch64: "install qemu-system-aarch64 and qemu-img from your distribution", x86_64: "install qemu-system-x86_64 and qemu-img from your distribution" },
};

const FIRMWARE: Record<Distro, Record<GuestArch, string>> = {
  debian: { aarch64: "sudo apt-get install -y qemu-efi-aarch64", x86_64: "sudo apt-get install -y ovmf" },
  fedora: { aarch64: "sudo dnf install -y edk2-aarch64", x86_64: "sudo dnf install -y edk2-ovmf" },
  arch: { aarch64: "sudo pacman -S edk2-aarch64", x86_64: "sudo pacman -S edk2-ovmf" },
  alpine: { aarch64: "sudo apk add aavmf", x86_64: "sudo apk add ovmf" },
  suse: { aarch64: "sudo zypper install qemu-uefi-aarch64", x86_64: "sudo zypper install qemu-ovmf-x86_64" },
  macos: { aarch64: "brew reinstall qemu (it ships edk2-aarch64-code.fd)", x86_64: "brew reinstall qemu (it ships edk2-x86_64-code.fd)" },
  unknown: { aarch64: "install the edk2 UEFI firmware for aarch64 (AAVMF/QEMU_EFI), or copy edk2-aarch64-code.fd to ~/.local/share/qemu/", x86_64: "install the edk2 OVMF firmware, or copy edk2-x86_64-code.fd to ~/.local/share/qemu/" },
};

export function qemuInstallHint(distro: Distro, arch: GuestArch): string {
  return QEMU[distro][arch];
}

export function firmwareInstallHint(distro: Distro, arch: GuestArch): string {
  return FIRMWARE[distro][arch];
}
