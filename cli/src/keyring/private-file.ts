// Files of key material on disk (keystores, and the devnet's plaintext test keys) are used only when no other local
// user could have written or read them, like OpenSSH with private keys.
import { constants, type Stats } from "node:fs";
import { lstat, open, stat } from "node:fs/promises";
import { UnsafeKeystoreError } from "./errors.ts";
import { fsError } from "./fs-error.ts";

/** The current user's uid, or undefined where there is none (Windows): then ownership is not checked. */
function myUid(): number | undefined {
  return typeof process.getuid === "function" ? process.getuid() : undefined;
}

/**
 * What a private file holds: an encrypted keystore, a key stored unencrypted (the devnet's test keys), a keystore
 * passphrase, or a mnemonic being imported.
 */
export type KeyMaterial = "encrypted" | "plaintext" | "passphrase" | "mnemonic";

/** How strict a check is: whose the file must be, what it holds, and whether others may read (or list) it. */
export interface PrivacyCheck {
  /** The user it must belong to (default: the current one; undefined where there are no uids). */
  readonly uid?: number | undefined;
  readonly holds?: KeyMaterial;
  /** Refuse any permission for the group or other users (default), or only their write permission. */
  readonly closed?: boolean;
}

/**
 * Why `st` (of `path`) is unsafe to use as a key file or the directory holding it, with the command that fixes it;
 * undefined when it is safe: owned by another user, or any permission for its group or other users — writable (a
 * key could be planted) or only readable (the key could be copied; not refused with `closed: false`).
 */
export function unsafe(st: Stats, path: string, kind: "file" | "dir", o: PrivacyCheck = {}): UnsafeKeystoreError | undefined {
  const uid = "uid" in o ? o.uid : myUid();
  const chmodFix = `chmod ${kind === "dir" ? 700 : 600} ${path}`;
  if (uid !== undefined && st.uid !== uid) {
    return new UnsafeKeystoreError(path, `it is owned by uid ${st.uid}, not by you (uid ${uid})`, `chown ${uid} ${path} && ${chmodFix}`);
  }
  const mode = `(mode ${(st.mode & 0o777).toString(8).padStart(4, "0")})`;
  if ((st.mode & 0o022) !== 0) {
    const risk = o.holds === "passphrase" ? "write-passphrase" : o.holds === "mnemonic" ? "write-mnemonic" : "write";
    return new UnsafeKeystoreError(path, `it is writable by ${(st.mode & 0o020) !== 0 ? "its group" : "other users"} ${mode}`, chmodFix, risk);
  }
  if ((st.mode & 0o077) !== 0 && o.closed !== false) {
    const who = (st.mode & 0o070) !== 0 ? "its group" : "other users";
    const risk = o.holds === "plaintext" ? "read-plaintext" : o.holds === "passphrase" ? "read-passphrase" : o.holds === "mnemonic" ? "read-mnemonic" : "read";
    return new UnsafeKeystoreError(path, `it is ${kind === "dir" ? "open to" : "readable by"} ${who} ${mode}`, chmodFix, risk);
  }
  return undefined;
}

/**
 * Reads a secret the user names on the command line (--passphrase-file, --mnemonic-file). A regular file must be
 * private, as ssh requires of a key file: owned by the user, no permission for its group or others (else
 * UnsafeKeystoreError naming the mode and the chmod, before anything is read). A pipe (`<(pass show x)`,
 * /dev/stdin) is read as it is. What is checked is what is read: the descriptor opened is the one checked.
 * Filesystem errors (ENOENT…) are thrown as they are, for the caller to name.
 */
export async function readSecretInput(path: string, holds: "passphrase" | "mnemonic"): Promise<string> {
  const h = await open(path, "r");
  try {
    const st = await h.stat();
    const bad = st.isFile() ? unsafe(st, path, "file", { holds }) : undefined;
    if (bad) throw bad;
    return await h.readFile("utf8");
  } finally {
    await h.close();
  }
}

/**
 * The directory holding key files must be ours and closed to others (it may be reached through a symlink, like
 * ~/.ssh); with `closed: false` others may list it, not write to it. A missing one passes: reading the file then
 * says it is missing. `what` names it in an error.
 */
export async function checkPrivateDir(dir: string, what: string, o: PrivacyCheck = {}): Promise<void> {
  let st: Stats;
  try {
    st = await stat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw fsError(err, `read ${what}`, dir);
  }
  const bad = st.isDirectory() ? unsafe(st, dir, "dir", o) : undefined;
  if (bad) throw bad;
}

/**
 * Reads a key file, refusing before anything in it is used: a symlink, or a file another user owns or has any
 * permission on (UnsafeKeystoreError); a file that is not regular or is over `maxBytes` (`corrupt(why)`). It is
 * opened with O_NOFOLLOW and checked through the opened descriptor: what is checked is what is read. Filesystem
 * errors (ENOENT…) are thrown as they are, for the caller to name.
 */
export async function readPrivateFile(path: string, o: { readonly holds: KeyMaterial; readonly maxBytes: number; readonly corrupt: (why: string) => Error }): Promise<string> {
  if ((await lstat(path)).isSymbolicLink()) throw new UnsafeKeystoreError(path, "it is a symbolic link", `replace it with the file itself (mv "$(readlink -f ${path})" ${path})`);
  const h = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = await h.stat();
    if (!st.isFile()) throw o.corrupt("it is not a regular file");
    const bad = unsafe(st, path, "file", { holds: o.holds });
    if (bad) throw bad;
    if (st.size > o.maxBytes) throw o.corrupt(`it is ${st.size} bytes, more than a key file's ${o.maxBytes / 1024} KiB`);
    return await h.readFile("utf8");
  } finally {
    await h.close();
  }
}
