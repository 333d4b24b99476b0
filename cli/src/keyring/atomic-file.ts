import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Creates `dir` (and parents) and makes it 0700, whatever the umask. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, "r");
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/**
 * Writes `text` to `path` with mode 0600, atomically: a temp file in the same directory, fsync, then either
 * rename (replace) or link (create only: fails with EEXIST if `path` exists, even under a race).
 */
export async function writeFileAtomic(path: string, text: string, mode: "create" | "replace"): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.tmp-${randomBytes(6).toString("hex")}`);
  const h = await open(tmp, "wx", 0o600);
  try {
    // 0600 whatever the umask (a umask of 0277 would leave 0400; open's mode can only lose bits to it).
    await h.chmod(0o600);
    await h.writeFile(text, "utf8");
    await h.sync();
  } finally {
    await h.close();
  }
  try {
    if (mode === "replace") await rename(tmp, path);
    else {
      await link(tmp, path);
      await unlink(tmp);
    }
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}
