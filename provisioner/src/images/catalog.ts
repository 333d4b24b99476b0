/** The guest images TrustNet knows, by id and arch. URLs are a base (overridable by a mirror) + a relative path. */
import { ALPINE_VERSION, UBUNTU_SERIAL } from "@trustnet/installer";
import { InvalidConfigError } from "../errors.ts";
import type { GuestOs } from "../cloud-init/services.ts";
import type { GuestArch } from "../qemu/types.ts";

export type ChecksumSource =
  /** Alpine: `<file>.sha512` beside the image, holding the bare hex digest. */
  | { readonly kind: "sidecar"; readonly algorithm: "sha512" | "sha256"; readonly path: string }
  /** Ubuntu: one SHA256SUMS per directory (GNU format), signed by SHA256SUMS.gpg. */
  | { readonly kind: "sums"; readonly algorithm: "sha256"; readonly path: string; readonly signaturePath: string; readonly fingerprint: string };

export interface ImageEntry {
  readonly id: string;
  readonly os: GuestOs;
  readonly arch: GuestArch;
  readonly defaultBase: string;
  /** Path below the base URL; its last segment is the cached file name. */
  readonly path: string;
  readonly format: "qcow2";
  readonly checksum: ChecksumSource;
  /**
   * The most bytes accepted for the image: a mirror serving more (announced or sent) is refused before the disk
   * fills, and the partial file deleted. A margin of several times the real file (Alpine ~200 MB, Ubuntu ~600 MB).
   */
  readonly maxBytes: number;
}

const MIB = 1024 * 1024;

export { ALPINE_VERSION } from "@trustnet/installer";
export const ALPINE_BASE = "https://dl-cdn.alpinelinux.org/alpine";
export const UBUNTU_BASE = "https://cloud-images.ubuntu.com";
/** "UEC Image Automatic Signing Key <cdimage@ubuntu.com>" (not the ISO key 8439 38DF ...). */
export const UBUNTU_CLOUD_IMAGE_KEY_FINGERPRINT = "D2EB44626FDDC30B513D5BB71A5D6C4C7DB87C81";

function alpine(arch: GuestArch): ImageEntry {
  const path = `v3.22/releases/cloud/nocloud_alpine-${ALPINE_VERSION}-${arch}-uefi-cloudinit-r0.qcow2`;
  return { id: "alpine-3.22", os: "alpine", arch, defaultBase: ALPINE_BASE, path, format: "qcow2", checksum: { kind: "sidecar", algorithm: "sha512", path: `${path}.sha512` }, maxBytes: 1024 * MIB };
}

function ubuntu(arch: GuestArch): ImageEntry {
  // A dated serial (pinned in installer/src/versions.ts), never the moving release/ directory.
  const dir = `releases/noble/release-${UBUNTU_SERIAL}`;
  const deb = arch === "aarch64" ? "arm64" : "amd64";
  return {
    id: "ubuntu-24.04", os: "ubuntu", arch, defaultBase: UBUNTU_BASE, path: `${dir}/ubuntu-24.04-server-cloudimg-${deb}.img`, format: "qcow2",
    checksum: { kind: "sums", algorithm: "sha256", path: `${dir}/SHA256SUMS`, signaturePath: `${dir}/SHA256SUMS.gpg`, fingerprint: UBUNTU_CLOUD_IMAGE_KEY_FINGERPRINT },
    maxBytes: 3072 * MIB,
  };
}

export const CATALOG: readonly ImageEntry[] = [alpine("aarch64"), ubuntu("aarch64"), alpine("x86_64"), ubuntu("x86_64")];

export function findImage(id: string, arch: GuestArch): ImageEntry {
  const e = CATALOG.find((i) => i.id === id && i.arch === arch);
  if (e === undefined) {
    const ids = [...new Set(CATALOG.map((i) => i.id))].join(", ");
    throw new InvalidConfigError(`unknown image ${JSON.stringify(id)} for ${arch} (known: ${ids})`);
  }
  return e;
}

export function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Base URL: --mirror, then $TRUSTNET_IMAGE_MIRROR, then the image's default. Must be http(s). */
export function resolveBase(entry: ImageEntry, mirror: string | undefined): string {
  const base = (mirror ?? entry.defaultBase).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/]/.test(base)) throw new InvalidConfigError(`mirror must be an http:// or https:// URL, got ${JSON.stringify(mirror)}`);
  return base;
}
