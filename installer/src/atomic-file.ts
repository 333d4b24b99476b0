// Files written whole and at once: a private temp file of its own (created exclusively, so a stale or planted one
// is never reused with its looser mode), fsync, then rename or link over the target.
import { randomBytes } from "node:crypto";
import { closeSync, fchmodSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { link, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

const tempPath = (path: string): string => join(dirname(path), `.${basename(path)}.tmp-${randomBytes(6).toString("hex")}`);

async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, "r");
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Writes `text` (or bytes) to `path` with mode `fileMode` (0600 unless a file must be readable by others, e.g. a
 * published chain-registry file at 0644), atomically: a temp file in the same directory with a random name, opened
 * with O_EXCL (`wx`: never a stale temp file of a looser mode, nor one another user planted) and chmod 0600, fsync,
 * then either rename (replace) or link (create only: fails with EEXIST if `path` exists, even under a race). On any
 * failure the temp file is removed and the target is left as it was.
 *
 * One exception, on purpose: the last step, the fsync of the directory that makes the rename itself survive a crash,
 * comes after the target was replaced. If it fails (an I/O error, or a directory that cannot be opened for reading)
 * the error is thrown although `path` already holds the new content: the caller learns that the write may not be
 * durable (after a power loss the old file, or none, may be back), rather than being told it succeeded. A caller
 * that retries a "create" then gets EEXIST, which is right: the file is there. Swallowing the error would hide a
 * failing disk, and undoing the rename is impossible (the old file is gone).
 */
export async function writeFileAtomic(path: string, text: string | Uint8Array, mode: "create" | "replace", fileMode = 0o600): Promise<void> {
  const dir = dirname(path);
  const tmp = tempPath(path);
  const h = await open(tmp, "wx", 0o600);
  try {
    try {
      // fileMode whatever the umask (a umask of 0277 would leave 0400; open's mode can only lose bits to it). The
      // temp file is opened 0600 and widened only once it is ours.
      await h.chmod(fileMode);
      await h.writeFile(text);
      await h.sync();
    } finally {
      await h.close();
    }
    if (mode === "replace") await rename(tmp, path);
    else {
      await link(tmp, path);
      await unlink(tmp);
    }
  } catch (err) {
    // Any failure before the temp file took the target's place (a full disk, EFBIG, an I/O error, a failed rename):
    // remove the temp file, never the target (which is untouched: still the old file, or absent).
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

/**
 * writeFileAtomic for synchronous callers (the devnet supervisor's state and run record, written from exit handlers):
 * the same steps (exclusive temp file of a random name, `fileMode` (0600 by default), fsync, rename or link, directory fsync), so a file or
 * symbolic link planted at a predictable temp path is never written through, and two writers never share a temp file.
 */
export function writeFileAtomicSync(path: string, text: string | Uint8Array, mode: "create" | "replace", fileMode = 0o600): void {
  const dir = dirname(path);
  const tmp = tempPath(path);
  const fd = openSync(tmp, "wx", 0o600);
  try {
    try {
      fchmodSync(fd, fileMode);
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (mode === "replace") renameSync(tmp, path);
    else {
      linkSync(tmp, path);
      unlinkSync(tmp);
    }
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone (renamed, or never written)
    }
    throw err;
  }
  const dfd = openSync(dir, "r");
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}
