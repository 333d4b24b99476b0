import { randomBytes } from "node:crypto";
import { mkdir, open, readFile } from "node:fs/promises";
import { join } from "node:path";

/** The per-registry HMAC secret, created once (mode 0600) under <dataDir>/auth/token-secret. */
export async function loadOrCreateSecret(dataDir: string): Promise<Uint8Array> {
  const dir = join(dataDir, "auth");
  const file = join(dir, "token-secret");
  try {
    const s = await readFile(file);
    if (s.length >= 32) return s;
  } catch (err) {
    if ((err as { code?: string }).code !== "ENOENT") throw err;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  try {
    const fh = await open(file, "wx", 0o600);
    await fh.writeFile(secret);
    await fh.sync();
    await fh.close();
    return secret;
  } catch (err) {
    if ((err as { code?: string }).code === "EEXIST") return readFile(file);
    throw err;
  }
}
