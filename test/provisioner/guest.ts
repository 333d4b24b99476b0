// The tiny ARM64 test guest (built by scripts/prereqs.d/40-provisioner.sh) and its per-VM initrd overlay.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir, homedir } from "node:os";
import { join } from "node:path";
import { checked, realShell as $ } from "../../provisioner/src/shell.ts";
import { FILES } from "../../provisioner/src/lifecycle/layout.ts";
import type { VmRecord } from "../../provisioner/src/lifecycle/record.ts";
import { createVm, type LifecycleDeps } from "../../provisioner/src/lifecycle/vm.ts";
import type { UlaTransport } from "../../provisioner/src/qemu/types.ts";
import { dropbearPrivateKey, openSshPublicLine, type Ed25519Key } from "../../provisioner/src/ssh/keys.ts";

const repo = join(import.meta.dirname, "..", "..");

export interface TestGuest {
  readonly kernel: string;
  readonly initrd: string;
}

/** The cached guest for the current recipe; fails loudly (with the fix) when prereqs have not built it. */
export function testGuest(): TestGuest {
  const recipe = ["build-guest.sh", "init"].map((f) => readFileSync(join(repo, "provisioner/test-guest", f)));
  const key = createHash("sha256").update(Buffer.concat(recipe)).digest("hex").slice(0, 16);
  const dir = join(process.env.TRUSTNET_TEST_CACHE ?? join(homedir(), ".cache/trustnet-test"), "provisioner-guest", key);
  const kernel = join(dir, "vmlinuz");
  const initrd = join(dir, "initramfs.cpio.gz");
  if (!existsSync(kernel) || !existsSync(initrd)) {
    throw new Error(`the ARM64 test guest is not built (${dir}); run 'sh scripts/prereqs.sh' (needs apt-get, dpkg-deb, cpio and the Debian mirror)`);
  }
  return { kernel, initrd };
}

export interface GuestConfig {
  readonly hostname: string;
  /** "fdxx:...::1/64" */
  readonly ulaAddress: string;
  readonly ulaMac: string;
  readonly hostKey: Ed25519Key;
  readonly authorizedKey: string;
}

/** Writes base initramfs + a second newc archive with the per-VM files (Linux unpacks concatenated archives). */
export async function writeVmInitrd(base: string, out: string, cfg: GuestConfig): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), "tn-guest-"));
  try {
    await mkdir(join(tmp, "etc/dropbear"), { recursive: true });
    const conf = `HOSTNAME='${cfg.hostname}'\nULA_ADDR='${cfg.ulaAddress}'\nULA_MAC='${cfg.ulaMac}'\n`;
    await writeFile(join(tmp, "etc/trustnet-vm.conf"), conf);
    await writeFile(join(tmp, "etc/authorized_keys"), cfg.authorizedKey.trim() + "\n");
    await writeFile(join(tmp, "etc/dropbear/hostkey"), dropbearPrivateKey(cfg.hostKey));
    await chmod(join(tmp, "etc/dropbear/hostkey"), 0o600);
    const list = "etc\netc/dropbear\netc/trustnet-vm.conf\netc/authorized_keys\netc/dropbear/hostkey\n";
    // The archive goes to a file: zx hands stdout back as text, which would mangle the binary host key.
    const archive = join(tmp, "vm.cpio");
    await checked($({ cwd: tmp, input: list })`cpio -o -H newc --quiet > ${archive}`, "cpio", "apt-get install cpio");
    await writeFile(out, Buffer.concat([await readFile(base), await gzip(await readFile(archive))]));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function gzip(b: Buffer): Promise<Buffer> {
  const { gzipSync } = await import("node:zlib");
  return gzipSync(b, { level: 1 });
}

export interface GuestVmPlan {
  readonly name: string;
  readonly kind: "node" | "registry" | "validator";
  readonly sshPort: number;
  readonly ulaAddress: string;
  readonly ulaMac: string;
  readonly userNicMac: string;
  readonly transport: UlaTransport;
}

/** A VmRecord for the test guest (direct-kernel boot, root login, no cloud-init). */
export function guestRecord(p: GuestVmPlan, hostKey: Ed25519Key, clientKeyPath: string): VmRecord {
  const guest = testGuest();
  return {
    version: 1, name: p.name, kind: p.kind, arch: "aarch64", cpus: 1, memoryMiB: 256,
    boot: { kind: "kernel", kernel: guest.kernel, initrd: FILES.initrd, append: "console=ttyAMA0 quiet" },
    disk: undefined, cidata: false, sshPort: p.sshPort, forwards: [], user: "root", clientKey: clientKeyPath,
    userNicMac: p.userNicMac, ula: { address: p.ulaAddress, mac: p.ulaMac, transport: p.transport },
    hostKey: openSshPublicLine(hostKey, ""), readiness: { cloudInit: false, health: `ip -6 addr | grep -q ${p.ulaAddress}/64` }, image: undefined, extraArgs: [],
  };
}

/** Creates the VM with the provisioner's createVm; its "seed" is the per-VM initrd overlay. */
export async function createGuestVm(home: string, rec: VmRecord, hostKey: Ed25519Key, clientPublicLine: string, deps: LifecycleDeps): Promise<void> {
  const guest = testGuest();
  await createVm(home, rec, (tmp) => writeVmInitrd(guest.initrd, join(tmp, FILES.initrd), {
    hostname: rec.name, ulaAddress: `${rec.ula.address}/64`, ulaMac: rec.ula.mac, hostKey, authorizedKey: clientPublicLine,
  }), deps);
}

/** PIDs of QEMU processes whose command line mentions `dir`. */
export function qemuProcessesUnder(dir: string): number[] {
  return readdirSync("/proc").filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, "utf8");
      return cmd.includes("qemu-system") && cmd.includes(dir);
    } catch {
      return false;
    }
  }).map(Number);
}
