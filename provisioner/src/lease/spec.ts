/**
 * A lease VM as the provider daemon sees it: what the chain leased (image, millicores, memory, disk, bandwidth,
 * the tenant's SSH keys) plus what the provider chose (the forwarded SSH port). Pure helpers: validation, the
 * vCPU count, the VM's name, MAC and the host key fingerprint.
 */
import { createHash } from "node:crypto";
import { isIPv4 } from "node:net";
import { InvalidConfigError } from "../errors.ts";
import { blobFromPublicLine } from "../ssh/keys.ts";

export const LEASE_IMAGES = ["alpine-3.22", "ubuntu-24.04"] as const;
export type LeaseImage = (typeof LEASE_IMAGES)[number];

export interface LeaseResources {
  /** vCPU in millicores (1000 = one vCPU): whole vCPUs only, as the chain admits; QEMU gets millicores / 1000. */
  readonly millicores: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  /** Mbit/s; not enforced by QEMU's user-mode network (see bandwidthEnforcement). */
  readonly bandwidthMbps: number;
}

export interface LeaseVmSpec {
  /** The chain's lease id (a decimal uint64). */
  readonly leaseId: string;
  readonly image: LeaseImage;
  readonly resources: LeaseResources;
  /** The tenant's OpenSSH public key lines: the only keys that can log in (the provider gets no login). */
  readonly sshPubkeys: readonly string[];
  /** The host port forwarded to the guest's port 22 (from the provider's configured range). */
  readonly sshPort: number;
  /** The host address the SSH forward binds (default 127.0.0.1; 0.0.0.0 or a public address for remote tenants). */
  readonly sshBind?: string;
}

/** The login user of a lease VM booted from a catalog image (cloud-init creates it with the tenant's keys). */
export const LEASE_USER = "tenant";

export function leaseVmName(leaseId: string): string {
  if (!/^[0-9]{1,20}$/.test(leaseId)) throw new InvalidConfigError(`invalid lease id ${JSON.stringify(leaseId)} (a decimal number)`);
  return `lease-${leaseId}`;
}

/** QEMU's -smp for a lease: millicores / 1000, refused unless that is a whole number from 1 (the chain admits no other). */
export function vcpusFor(millicores: number): number {
  const vcpus = millicores / 1000;
  if (!Number.isSafeInteger(vcpus) || vcpus < 1) throw new InvalidConfigError(`lease millicores ${millicores} is not a whole number of vCPUs (QEMU boots whole vCPUs; the chain leases multiples of 1000)`);
  return vcpus;
}

/** A locally administered unicast MAC derived from the lease id (stable across re-provisioning). */
export function leaseMac(leaseId: string): string {
  const h = createHash("sha256").update(`trustnet-lease-${leaseId}`).digest();
  return ["52", "54", "4c", ...[h[0], h[1], h[2]].map((b) => (b ?? 0).toString(16).padStart(2, "0"))].join(":");
}

/** "SHA256:<base64 without padding>", as `ssh-keygen -lf` prints it, of an OpenSSH public key line. */
export function hostKeyFingerprint(publicLine: string): string {
  const blob = blobFromPublicLine(publicLine);
  if (blob === undefined) throw new InvalidConfigError(`not an OpenSSH public key: ${publicLine.slice(0, 40)}`);
  return fingerprintOfBlob(blob);
}

export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

function positiveInt(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v <= 0) throw new InvalidConfigError(`lease ${name} must be a positive integer (got ${v})`);
}

/** Rejects what QEMU could not honour, with the field named; the chain has already checked prices and capacity. */
export function validateLeaseVmSpec(s: LeaseVmSpec): void {
  leaseVmName(s.leaseId);
  if (!(LEASE_IMAGES as readonly string[]).includes(s.image)) throw new InvalidConfigError(`unsupported lease image ${JSON.stringify(s.image)} (supported: ${LEASE_IMAGES.join(", ")})`);
  positiveInt("millicores", s.resources.millicores);
  vcpusFor(s.resources.millicores);
  positiveInt("memory (MiB)", s.resources.memoryMiB);
  positiveInt("disk (GiB)", s.resources.diskGiB);
  if (!Number.isSafeInteger(s.resources.bandwidthMbps) || s.resources.bandwidthMbps < 0) throw new InvalidConfigError(`lease bandwidth must be a non-negative integer (got ${s.resources.bandwidthMbps})`);
  if (s.resources.memoryMiB < 128) throw new InvalidConfigError(`lease memory ${s.resources.memoryMiB} MiB is below the 128 MiB a guest needs`);
  if (s.sshPubkeys.length === 0) throw new InvalidConfigError("a lease needs at least one tenant SSH public key");
  for (const k of s.sshPubkeys) if (blobFromPublicLine(k) === undefined) throw new InvalidConfigError(`not an OpenSSH public key: ${JSON.stringify(k.slice(0, 40))}`);
  // The test guest's /etc/authorized_keys holds the keys joined by newlines: a key with a line break would add a line
  // of its own (another key, or one with options such as command="…"). The chain refuses one; so does this.
  for (const k of s.sshPubkeys) if (/[\r\n\0]/u.test(k)) throw new InvalidConfigError(`SSH public key ${JSON.stringify(k.slice(0, 40))}… must be one line (no CR, LF or NUL)`);
  if (!Number.isInteger(s.sshPort) || s.sshPort < 1 || s.sshPort > 65535) throw new InvalidConfigError(`invalid SSH port ${s.sshPort}`);
  // QEMU's hostfwd listens on IPv4 only (an IPv6 address would make every start of the VM fail)
  if (s.sshBind !== undefined && !isIPv4(s.sshBind)) throw new InvalidConfigError(`invalid SSH bind address ${JSON.stringify(s.sshBind)} (an IPv4 address)`);
}

/**
 * Which leased limits QEMU enforces. CPU (-smp), memory (-m) and disk (the overlay's virtual size) are; bandwidth is
 * NOT: QEMU's user-mode (slirp) netdev has no rate limit (throttle groups cover block devices only, and
 * filter-buffer delays packets by a fixed interval, it does not cap a rate).
 */
export const LIMITS_ENFORCED = { cpu: true, memory: true, disk: true, bandwidth: false } as const;
export const BANDWIDTH_NOT_ENFORCED = "bandwidth is not enforced: QEMU's user-mode network has no rate limit (recorded on chain, not throttled)";
