import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";

/** Bytes of HMAC secret; a shorter file (a crash between create and fsync, or tampering) is never used. */
export const SECRET_BYTES = 32;

async function readSecret(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (err) {
    if ((err as { code?: string }).code === "ENOENT") return undefined;
    throw err;
  }
}

/**
 * The per-registry HMAC secret under <dataDir>/auth/token-secret (mode 0600). A new one is written to a temp file,
 * fsynced, renamed over the old name and the directory fsynced, so the name only ever points at a complete
 * secret. A missing, empty or short file is replaced on every path (start-up, or a concurrent start that raced
 * us); whatever is returned is what is on disk, and at least SECRET_BYTES long.
 */
export async function loadOrCreateSecret(dataDir: string): Promise<Uint8Array> {
  const dir = join(dataDir, "auth");
  const file = join(dir, "token-secret");
  const existing = await readSecret(file);
  if (existing && existing.length >= SECRET_BYTES) return existing;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.token-secret.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const fh = await open(tmp, "wx", 0o600);
    try {
      await fh.writeFile(randomBytes(SECRET_BYTES));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true });
  }
  const d = await open(dir, "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
  const now = await readSecret(file);
  if (!now || now.length < SECRET_BYTES) throw new Error(`token secret ${file} is shorter than ${SECRET_BYTES} bytes after writing it`);
  return now;
}
