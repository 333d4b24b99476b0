/**
 * Where a lease VM's system comes from. `catalogBootSource`: the catalog's Alpine/Ubuntu cloud image (UEFI), a
 * qcow2 overlay of the leased disk size and a cloud-init seed. `kernelBootSource`: a direct-kernel guest (the
 * provisioner's offline test guest: busybox + dropbear), whose per-VM files ride in an initramfs overlay, plus a
 * blank disk of the leased size. Both install the tenant's keys only, and the daemon's generated host key.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { writeSeedIso } from "../cloud-init/iso.ts";
import { createOverlay } from "../disks.ts";
import { checked, type Shell } from "../shell.ts";
import { findImage } from "../images/catalog.ts";
import { ensureImage, type EnsureImageDeps } from "../images/ensure-image.ts";
import { FILES } from "../lifecycle/layout.ts";
import type { KernelBoot } from "../qemu/types.ts";
import { dropbearPrivateKey, type Ed25519Key } from "../ssh/keys.ts";
import { buildLeaseSeed } from "./seed.ts";
import { LEASE_USER, leaseMac, leaseVmName, type LeaseVmSpec } from "./spec.ts";

export interface PreparedBoot {
  readonly boot: { readonly kind: "uefi" } | KernelBoot;
  /** The login user the tenant's keys are installed for. */
  readonly user: string;
  readonly cidata: boolean;
}

export interface LeaseBootSource {
  /** Shown in `provider status`. */
  readonly description: string;
  /** Writes the disk (FILES.disk) and seed into `dir`. */
  prepare(spec: LeaseVmSpec, hostKey: Ed25519Key, dir: string): Promise<PreparedBoot>;
}

const QEMU_IMG_HINT = "install qemu-utils (Debian/Ubuntu) or qemu (Homebrew)";

export function catalogBootSource(home: string, mirror: string | undefined, images: EnsureImageDeps, $: Shell): LeaseBootSource {
  return {
    description: "catalog cloud images (UEFI, cloud-init)",
    async prepare(spec, hostKey, dir) {
      const cached = await ensureImage(findImage(spec.image, "aarch64"), home, mirror, images);
      await createOverlay($, cached.path, join(dir, FILES.disk), spec.resources.diskGiB);
      await writeSeedIso($, buildLeaseSeed(spec, hostKey, leaseMac(spec.leaseId)), join(dir, FILES.cidata));
      return { boot: { kind: "uefi" }, user: LEASE_USER, cidata: true };
    },
  };
}

/** The test guest logs in as root; its init reads /etc/trustnet-vm.conf, /etc/authorized_keys, /etc/dropbear/hostkey. */
export function kernelBootSource(kernel: string, initrd: string, $: Shell): LeaseBootSource {
  return {
    description: `direct kernel ${kernel} (test guest)`,
    async prepare(spec, hostKey, dir) {
      await writeInitrdOverlay($, initrd, join(dir, FILES.initrd), leaseVmName(spec.leaseId), spec.sshPubkeys, hostKey);
      await checked($`qemu-img create -q -f qcow2 ${join(dir, FILES.disk)} ${`${spec.resources.diskGiB}G`}`, "qemu-img", QEMU_IMG_HINT);
      return { boot: { kind: "kernel", kernel, initrd: join(dir, FILES.initrd), append: "console=ttyAMA0 quiet" }, user: "root", cidata: false };
    },
  };
}

/** base initramfs + a second newc archive with the per-VM files (Linux unpacks concatenated archives). */
async function writeInitrdOverlay($: Shell, base: string, out: string, hostname: string, keys: readonly string[], hostKey: Ed25519Key): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), "tn-lease-initrd-"));
  try {
    await mkdir(join(tmp, "etc/dropbear"), { recursive: true });
    // No ULA segment for lease VMs: ULA_MAC matches no NIC, so the only NIC gets the user-mode address.
    await writeFile(join(tmp, "etc/trustnet-vm.conf"), `HOSTNAME='${hostname}'\nULA_ADDR='none'\nULA_MAC='none'\n`);
    await writeFile(join(tmp, "etc/authorized_keys"), keys.map((k) => k.trim()).join("\n") + "\n");
    await writeFile(join(tmp, "etc/dropbear/hostkey"), dropbearPrivateKey(hostKey));
    await chmod(join(tmp, "etc/dropbear/hostkey"), 0o600);
    const list = "etc\netc/dropbear\netc/trustnet-vm.conf\netc/authorized_keys\netc/dropbear/hostkey\n";
    // The archive goes to a file: zx hands stdout back as text, which would mangle the binary host key.
    const archive = join(tmp, ".overlay.cpio");
    await checked($({ cwd: tmp, input: list })`cpio -o -H newc --quiet > ${archive}`, "cpio", "install cpio");
    await writeFile(out, Buffer.concat([await readFile(base), gzipSync(await readFile(archive), { level: 1 })]));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
