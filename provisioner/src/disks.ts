/** Per-VM disks: a qcow2 overlay backed by the cached base image, sized to the profile. */
import { InvalidConfigError } from "./errors.ts";
import { checked, type Shell } from "./shell.ts";

const QEMU_IMG_HINT = "install qemu-img (Debian/Ubuntu: sudo apt-get install -y qemu-utils; Fedora: qemu-img; Arch: qemu-img; macOS: brew install qemu)";

export interface ImageInfo {
  readonly format: "qcow2" | "raw";
  readonly virtualSize: number;
  /** Other files the image reads (a qcow2 backing file, an external data file): none for a base image. */
  readonly references: readonly string[];
}

export async function imageInfo($: Shell, path: string): Promise<ImageInfo> {
  const r = await checked($`qemu-img info --output=json ${path}`, "qemu-img", QEMU_IMG_HINT);
  const info = JSON.parse(r.stdout) as { format?: string; "virtual-size"?: number; "backing-filename"?: string; "format-specific"?: { data?: { "data-file"?: string } } };
  if (info.format !== "qcow2" && info.format !== "raw") throw new InvalidConfigError(`${path}: unsupported image format ${String(info.format)} (want qcow2 or raw)`);
  const references = [info["backing-filename"], info["format-specific"]?.data?.["data-file"]].filter((f): f is string => typeof f === "string" && f !== "");
  return { format: info.format, virtualSize: info["virtual-size"] ?? 0, references };
}

const GiB = 1024 ** 3;

/** Refuses a disk smaller than the image it is backed by (the guest's filesystem would not fit). */
export function checkDiskSize(sizeGiB: number, image: ImageInfo, imagePath: string): number {
  const bytes = sizeGiB * GiB;
  if (!Number.isInteger(sizeGiB) || sizeGiB < 1) throw new InvalidConfigError(`disk size must be a whole number of GiB >= 1, got ${sizeGiB}`);
  if (bytes < image.virtualSize) {
    throw new InvalidConfigError(
      `disk size ${sizeGiB} GiB is smaller than the image ${imagePath} (${(image.virtualSize / GiB).toFixed(2)} GiB)`,
      `use at least ${Math.ceil(image.virtualSize / GiB)} GiB (diskGiB in config/vm.json)`,
    );
  }
  return bytes;
}

/** Creates `overlay` (qcow2) backed by `base`, with the profile's virtual size. Checks the base and the size before writing anything. */
export async function createOverlay($: Shell, base: string, overlay: string, sizeGiB: number): Promise<void> {
  const info = await imageInfo($, base);
  // A base naming another file (say ~/.ssh/id_ed25519 as its backing file) would hand that file to the guest as disk.
  if (info.references.length > 0) {
    throw new InvalidConfigError(`${base} is not a self-contained image: it reads ${info.references.join(", ")}`, "a cloud image has no backing or data file: delete it from the cache and download it again");
  }
  const bytes = checkDiskSize(sizeGiB, info, base);
  await checked($`qemu-img create -q -f qcow2 -F ${info.format} -b ${base} ${overlay} ${bytes}`, "qemu-img", QEMU_IMG_HINT);
}
