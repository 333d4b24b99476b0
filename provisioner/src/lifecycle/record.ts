/** A VM as persisted in vm.json, and its translation to the argv builder's VmSpec (pure). */
import { join } from "node:path";
import { InvalidConfigError } from "../errors.ts";
import type { VmKind } from "../profiles.ts";
import type { GuestArch, PortForward, UlaTransport, VmSpec } from "../qemu/types.ts";
import { FILES } from "./layout.ts";

export interface VmRecord {
  readonly version: 1;
  readonly name: string;
  readonly kind: VmKind;
  readonly arch: GuestArch;
  readonly cpus: number;
  readonly memoryMiB: number;
  /** uefi: firmware + efi-vars.fd in the VM dir; kernel: direct boot (initrd relative to the VM dir when not absolute). */
  readonly boot: { readonly kind: "uefi" } | { readonly kind: "kernel"; readonly kernel: string; readonly initrd: string | undefined; readonly append: string };
  readonly disk: { readonly format: "qcow2" | "raw" } | undefined;
  readonly cidata: boolean;
  readonly sshPort: number;
  readonly forwards: readonly PortForward[];
  readonly user: string;
  /** Private key the host logs in with. */
  readonly clientKey: string;
  readonly userNicMac: string;
  readonly ula: { readonly address: string; readonly mac: string; readonly transport: UlaTransport };
  /** The pinned host key ("ssh-ed25519 AAAA..."). */
  readonly hostKey: string;
  readonly readiness: { readonly cloudInit: boolean; readonly health: string | undefined };
  readonly image: string | undefined;
  readonly extraArgs: readonly string[];
}

export function toVmSpec(r: VmRecord, dir: string): VmSpec {
  const boot: VmSpec["boot"] = r.boot.kind === "uefi"
    ? { kind: "uefi", varsPath: join(dir, FILES.efiVars) }
    : { kind: "kernel", kernel: r.boot.kernel, initrd: r.boot.initrd === undefined ? undefined : r.boot.initrd.startsWith("/") ? r.boot.initrd : join(dir, r.boot.initrd), append: r.boot.append };
  return {
    name: r.name, arch: r.arch, cpus: r.cpus, memoryMiB: r.memoryMiB, dir, boot,
    disk: r.disk === undefined ? undefined : { path: join(dir, FILES.disk), format: r.disk.format },
    cidata: r.cidata ? join(dir, FILES.cidata) : undefined,
    ssh: { hostPort: r.sshPort }, forwards: r.forwards, userNicMac: r.userNicMac,
    ula: { mac: r.ula.mac, transport: r.ula.transport },
    daemonize: false, extraArgs: r.extraArgs,
  };
}

export function parseRecord(text: string, file: string): VmRecord {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch (e) {
    throw new InvalidConfigError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const rec = r as Partial<VmRecord> | null;
  if (rec === null || rec.version !== 1 || typeof rec.name !== "string" || typeof rec.sshPort !== "number") {
    throw new InvalidConfigError(`${file} is not a TrustNet VM record (version 1)`);
  }
  return rec as VmRecord;
}
