/** Per-VM disks: a qcow2 overlay backed by the cached base image, sized to the profile. */
import { InvalidConfigError } from "./errors.ts";
import { checked, type Shell } from "./shell.ts";

const QEMU_IMG_HINT = "install qemu-img (Debian/Ubuntu: sudo apt-get install -y qemu-utils; Fedora: qemu-img; Arch: qemu-img; macOS: brew install qemu)";

export interface ImageInfo {
  readonly format: "qcow2" | "raw";
  readonly virtualSize: number;
}

export async function imageInfo($: Shell, path: string): Promise<ImageInfo> {
  const r = await checked($`qemu-img info --output=json ${path}`, "qemu-img", QEMU_IMG_HINT);
  const info = JSON.parse(r.stdout) as { format?: string; "virtual-size"?: number };
  if (info.format !== "qcow2" && info.format !== "raw") throw new InvalidConfigError(`${path}: unsupported image format ${String(info.format)} (want qcow2 or raw)`);
  return { format: info.format, virtualSize: info["virtual-size"] ?? 0 };
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

/** Creates `overlay` (qcow2) backed by `base`, with the profile's virtual size. Checks the size before writing anything. */
export async function createOverlay($: Shell, base: string, overlay: string, sizeGiB: number): Promise<void> {
  const info = await imageInfo($, base);
  const bytes = checkDiskSize(sizeGiB, info, base);
  await checked($`qemu-img create -q -f qcow2 -F ${info.format} -b ${base} ${overlay} ${bytes}`, "qemu-img", QEMU_IMG_HINT);
}
