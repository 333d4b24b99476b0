import { randomBytes } from "node:crypto";
import { constants, type Stats } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { StartupError } from "../errors.ts";

/** Bytes of HMAC secret; a shorter file (a crash between create and fsync, or tampering) is never used. */
export const SECRET_BYTES = 32;

const HINT = "the registry signs login tokens with this secret: whoever could read or plant it could forge tokens; nothing was changed";
const mode = (st: Stats): string => (st.mode & 0o777).toString(8).padStart(4, "0");
const myUid = (): number | undefined => (typeof process.getuid === "function" ? process.getuid() : undefined);

/**
 * Why the secret (or its directory) is unsafe: another user could have read it (and forge login tokens for anyone)
 * or planted one; undefined when it is the registry user's and closed to others (a directory only to their writes).
 */
function unsafe(st: Stats, path: string, kind: "file" | "dir"): string | undefined {
  const uid = myUid();
  const redo = kind === "file" ? `; others could have read it, so remove it (a new one is made at start; logins made with the old one end) or, if no one could have, chmod 600 ${path}` : "";
  if (uid !== undefined && st.uid !== uid) return `token secret ${kind === "dir" ? "directory " : ""}${path} is owned by uid ${st.uid}, not by the registry's user (uid ${uid})${redo}`;
  const others = kind === "file" ? st.mode & 0o077 : st.mode & 0o022;
  if (others !== 0) return `token secret ${kind === "dir" ? `directory ${path} is writable` : `${path} is readable or writable`} by its group or other users (mode ${mode(st)})${kind === "dir" ? `: chmod go-w ${path}` : redo}`;
  return undefined;
}

/** The secret file's bytes (undefined when missing), read through the descriptor that was checked; never a symlink. */
async function readSecret(file: string): Promise<Buffer | undefined> {
  let h;
  try {
    h = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOENT") return undefined;
    if (code === "ELOOP") throw new StartupError(`token secret ${file} is a symbolic link: remove it (a new one is made at start; logins made with the old one end)`, { hint: HINT, cause: err });
    throw err;
  }
  try {
    const st = await h.stat();
    if (!st.isFile()) throw new StartupError(`token secret ${file} is not a regular file: remove it (a new one is made at start)`, { hint: HINT });
    const bad = unsafe(st, file, "file");
    if (bad !== undefined) throw new StartupError(bad, { hint: HINT });
    return await h.readFile();
  } finally {
    await h.close();
  }
}

/**
 * The per-registry HMAC secret under <dataDir>/auth/token-secret (mode 0600). A new one is written to a temp file,
 * fsynced, renamed over the old name and the directory fsynced, so the name only ever points at a complete
 * secret. A missing, empty or short file is replaced on every path (start-up, or a concurrent start that raced
 * us); whatever is returned is what is on disk, and at least SECRET_BYTES long. A secret that others could have read
 * or written (another owner, group/other permissions, a symlink, an `auth/` directory others can write to) is
 * refused with the fix, and nothing is changed: tokens signed with it could be forged.
 */
export async function loadOrCreateSecret(dataDir: string): Promise<Uint8Array> {
  const dir = join(dataDir, "auth");
  const file = join(dir, "token-secret");
  const dirSt = await stat(dir).catch((err: unknown) => {
    if ((err as { code?: string }).code === "ENOENT") return undefined;
    throw err;
  });
  const badDir = dirSt === undefined ? undefined : unsafe(dirSt, dir, "dir");
  if (badDir !== undefined) throw new StartupError(badDir, { hint: HINT });
  const existing = await readSecret(file);
  if (existing && existing.length >= SECRET_BYTES) return existing;
  await writePrivateFile(dir, "token-secret", randomBytes(SECRET_BYTES));
  const now = await readSecret(file);
  if (!now || now.length < SECRET_BYTES) throw new Error(`token secret ${file} is shorter than ${SECRET_BYTES} bytes after writing it`);
  return now;
}

/** Writes <dir>/<name> (mode 0600 in a 0700 `dir`) so that the name only ever points at complete bytes: temp file, fsync, rename, directory fsync. */
export async function writePrivateFile(dir: string, name: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const fh = await open(tmp, "wx", 0o600);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, name));
  } finally {
    await rm(tmp, { force: true });
  }
  const d = await open(dir, "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
