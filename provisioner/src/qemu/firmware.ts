/** UEFI firmware discovery: QEMU firmware descriptors (docs/interop/firmware.json) first, then known paths. */
import type { Firmware, GuestArch } from "./types.ts";

/** The subset of a QEMU firmware descriptor we read. */
interface Descriptor {
  readonly "interface-types"?: readonly string[];
  readonly mapping?: {
    readonly device?: string;
    readonly executable?: { readonly filename?: string; readonly format?: string };
    readonly "nvram-template"?: { readonly filename?: string; readonly format?: string };
  };
  readonly targets?: readonly { readonly architecture?: string; readonly machines?: readonly string[] }[];
  readonly features?: readonly string[];
}

/** Where descriptors live, in QEMU's precedence order (a user file overrides a system one of the same name). */
export function descriptorDirs(home: string): readonly string[] {
  return [`${home}/.config/qemu/firmware`, "/etc/qemu/firmware", "/usr/share/qemu/firmware"];
}

const MACHINE_GLOB: Record<GuestArch, RegExp> = { aarch64: /^virt(-\*)?$/, x86_64: /^pc-q35-\*$/ };

/**
 * Picks the best plain UEFI descriptor for `arch` from (file name, JSON text) pairs already read.
 * Secure-boot and pre-enrolled-key variants are skipped (they refuse unsigned test kernels); lowest name wins.
 */
export function pickDescriptor(arch: GuestArch, files: readonly { readonly path: string; readonly text: string }[]): Firmware | undefined {
  const seen = new Set<string>();
  const sorted = [...files].sort((a, b) => (baseName(a.path) < baseName(b.path) ? -1 : baseName(a.path) > baseName(b.path) ? 1 : 0));
  for (const f of sorted) {
    if (seen.has(baseName(f.path))) continue;
    seen.add(baseName(f.path));
    let d: Descriptor;
    try {
      d = JSON.parse(f.text) as Descriptor;
    } catch {
      continue;
    }
    if (!d["interface-types"]?.includes("uefi")) continue;
    if (d.mapping?.device !== "flash") continue;
    const feats = d.features ?? [];
    if (feats.includes("secure-boot") || feats.includes("enrolled-keys")) continue;
    const target = d.targets?.find((t) => t.architecture === arch && (t.machines ?? []).some((m) => MACHINE_GLOB[arch].test(m)));
    if (target === undefined) continue;
    const code = d.mapping.executable?.filename;
    if (code === undefined) continue;
    const format = d.mapping.executable?.format === "qcow2" ? "qcow2" : "raw";
    return { arch, mode: "pflash", code, vars: d.mapping["nvram-template"]?.filename, format, source: f.path };
  }
  return undefined;
}

function baseName(p: string): string {
  return p.slice(p.lastIndexOf("/") + 1);
}

export interface KnownLayout {
  readonly source: string;
  readonly code: string;
  readonly vars: string | undefined;
  readonly mode: "pflash" | "bios";
}

/** Known firmware layouts, in Lima's search order, for hosts without descriptors. */
export function knownLayouts(arch: GuestArch, home: string): readonly KnownLayout[] {
  const prefixes = [`${home}/.local/share/qemu`, "/opt/homebrew/share/qemu", "/usr/local/share/qemu", "/usr/share/qemu"];
  if (arch === "aarch64") {
    return [
      ...prefixes.map((p) => ({ source: "prefix-share-qemu", code: `${p}/edk2-aarch64-code.fd`, vars: `${p}/edk2-arm-vars.fd`, mode: "pflash" as const })),
      { source: "arch-edk2", code: "/usr/share/edk2/aarch64/QEMU_CODE.fd", vars: "/usr/share/edk2/aarch64/QEMU_VARS.fd", mode: "pflash" },
      { source: "debian-aavmf", code: "/usr/share/AAVMF/AAVMF_CODE.fd", vars: "/usr/share/AAVMF/AAVMF_VARS.fd", mode: "pflash" },
      { source: "debian-unpadded", code: "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd", vars: undefined, mode: "bios" },
    ];
  }
  return [
    ...prefixes.map((p) => ({ source: "prefix-share-qemu", code: `${p}/edk2-x86_64-code.fd`, vars: `${p}/edk2-i386-vars.fd`, mode: "pflash" as const })),
    { source: "debian-ovmf-4m", code: "/usr/share/OVMF/OVMF_CODE_4M.fd", vars: "/usr/share/OVMF/OVMF_VARS_4M.fd", mode: "pflash" },
    { source: "debian-ovmf", code: "/usr/share/OVMF/OVMF_CODE.fd", vars: "/usr/share/OVMF/OVMF_VARS.fd", mode: "pflash" },
    { source: "arch-edk2", code: "/usr/share/edk2/x64/OVMF_CODE.4m.fd", vars: "/usr/share/edk2/x64/OVMF_VARS.4m.fd", mode: "pflash" },
    { source: "fedora-edk2", code: "/usr/share/edk2/ovmf/OVMF_CODE.fd", vars: "/usr/share/edk2/ovmf/OVMF_VARS.fd", mode: "pflash" },
  ];
}
