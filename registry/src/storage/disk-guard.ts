import { statfs } from "node:fs/promises";
import { RegistryError } from "../errors.ts";

/** Throws DENIED when an upload of `more` bytes may not start or go on (config `minFreeDiskBytes`). */
export type DiskGuard = (more: number) => Promise<void>;

export const noDiskGuard: DiskGuard = () => Promise.resolve();

/** Bytes an upload may write between two checks of the free space. */
export const DISK_CHECK_BYTES = 64 * 1024 * 1024;

/**
 * Refuses upload bytes while the filesystem of `dir` has less than `minFreeBytes` free (for unprivileged users:
 * statfs `bavail`) once `more` bytes are written, so that pushes never fill the disk the registry, its tag queue and
 * the rest of the machine need. 0 turns it off.
 */
export function freeSpaceGuard(dir: string, minFreeBytes: number): DiskGuard {
  if (minFreeBytes <= 0) return noDiskGuard;
  return async (more) => {
    const s = await statfs(dir);
    if (s.bavail * s.bsize - more >= minFreeBytes) return;
    throw new RegistryError(
      "DENIED",
      `requested access to the resource is denied: the registry's disk is nearly full (it keeps ${minFreeBytes} bytes free: minFreeDiskBytes); uploads are refused until space is freed`,
    );
  };
}
