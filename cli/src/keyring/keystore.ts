// Keystore files on disk: `<home>/keys/<name>.json`, 0600 in a 0700 directory, written atomically.
import { randomBytes } from "node:crypto";
import { lstat, readdir, rename, stat } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@trustnet/installer";
import { ensurePrivateDir } from "./private-dir.ts";
import { CorruptKeystoreError, InvalidKeyNameError, KeyExistsError, KeyNotFoundError } from "./errors.ts";
import { pubkeyToAddress } from "./hd.ts";
import { fsError } from "./fs-error.ts";
import { parseKeystore, type KeystoreFile } from "./keystore-format.ts";
import { checkPrivateDir, readPrivateFile } from "./private-file.ts";

const MAX_KEYSTORE_BYTES = 64 * 1024;
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/u;

export function validateKeyName(name: string): string {
  if (!NAME_RE.test(name) || name.endsWith(".json")) throw new InvalidKeyNameError(name);
  return name;
}

export function keysDir(home: string): string {
  return join(home, "keys");
}

export function keyPath(home: string, name: string): string {
  return join(keysDir(home), `${validateKeyName(name)}.json`);
}

function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}

/** The key directory must be ours and closed to others (it may be reached through a symlink, like ~/.ssh). */
function checkKeysDir(home: string): Promise<void> {
  return checkPrivateDir(keysDir(home), "the key directory");
}

/**
 * Reads and validates a keystore. Missing → KeyNotFoundError; unreadable/malformed, or an address that is not its
 * public key's → CorruptKeystoreError; a symlink, a file or key directory another user owns or has any permission
 * on → UnsafeKeystoreError (like ssh with its private key files), before anything in it is used.
 */
export async function readKeystore(home: string, name: string): Promise<KeystoreFile> {
  const path = keyPath(home, name);
  let text: string;
  try {
    await checkKeysDir(home);
    text = await readPrivateFile(path, { holds: "encrypted", maxBytes: MAX_KEYSTORE_BYTES, corrupt: (why) => new CorruptKeystoreError(path, why) });
  } catch (err) {
    if (isErrno(err, "ENOENT")) throw new KeyNotFoundError(name);
    throw fsError(err, "read the keystore", path);
  }
  const file = parseKeystore(text, path);
  // The address is shown and used without the passphrase: it must be the stored public key's.
  if (pubkeyToAddress(Buffer.from(file.pubkey, "base64")) !== file.address) throw new CorruptKeystoreError(path, "its address does not match its public key");
  return file;
}

export async function keyExists(home: string, name: string): Promise<boolean> {
  const path = keyPath(home, name);
  try {
    await stat(path);
    return true;
  } catch (err) {
    if (isErrno(err, "ENOENT")) return false;
    throw fsError(err, "look for the keystore", path);
  }
}

/**
 * Stores a keystore. Without `force` an existing key is never replaced. With `force`, the existing file (valid or
 * not) is first moved, byte for byte, to `<home>/keys/replaced/<name>-<time>.json`: key material is never destroyed.
 * Returns the new file's path and, when one was moved, the backup's path.
 */
export async function writeKeystore(home: string, file: KeystoreFile, force: boolean, now: Date = new Date()): Promise<{ readonly path: string; readonly replaced: string | undefined }> {
  const path = keyPath(home, file.name);
  // An existing key directory others can use is refused, as on read; a new one is made 0700.
  await checkKeysDir(home);
  await ensurePrivateDir(keysDir(home)).catch((err: unknown) => {
    throw fsError(err, "create the key directory", keysDir(home));
  });
  const text = JSON.stringify(file, null, 2) + "\n";
  let replaced: string | undefined;
  if (force && (await keyExists(home, file.name))) {
    const dir = join(keysDir(home), "replaced");
    replaced = join(dir, `${file.name}-${now.toISOString().replaceAll(":", "")}-${randomBytes(4).toString("hex")}.json`);
    try {
      await ensurePrivateDir(dir);
      await rename(path, replaced);
    } catch (err) {
      throw fsError(err, "move the old keystore aside to", replaced);
    }
  }
  try {
    await writeFileAtomic(path, text, "create");
  } catch (err) {
    if (isErrno(err, "EEXIST")) throw new KeyExistsError(file.name);
    throw fsError(err, "write the keystore", path);
  }
  return { path, replaced };
}

export interface KeyListing {
  readonly name: string;
  readonly address: string | undefined;
  /** Base64 of the 33-byte compressed secp256k1 key. */
  readonly pubkey: string | undefined;
  readonly createdAt: string | undefined;
  /** Set when the file could not be read as a keystore. */
  readonly problem: string | undefined;
}

/** All keystores, sorted by name. Unreadable files are listed with their problem instead of failing the list. */
export async function listKeystores(home: string): Promise<readonly KeyListing[]> {
  let entries: string[];
  try {
    await checkKeysDir(home);
    entries = await readdir(keysDir(home));
  } catch (err) {
    if (isErrno(err, "ENOENT")) return [];
    throw fsError(err, "read the key directory", keysDir(home));
  }
  const names = entries.filter((e) => e.endsWith(".json") && NAME_RE.test(e.slice(0, -5))).map((e) => e.slice(0, -5)).sort();
  const out: KeyListing[] = [];
  for (const name of names) {
    try {
      const f = await readKeystore(home, name);
      out.push({ name, address: f.address, pubkey: f.pubkey, createdAt: f.createdAt, problem: f.name === name ? undefined : `holds key "${f.name}"` });
    } catch (err) {
      out.push({ name, address: undefined, pubkey: undefined, createdAt: undefined, problem: err instanceof CorruptKeystoreError ? err.reason : err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/**
 * Deletes a keystore by moving it, byte for byte (valid or not), to `<home>/keys/deleted/<name>-<time>-<rand>.json`
 * (a 0700 directory): a deletion by mistake can be undone by moving it back. Returns where it went.
 */
export async function deleteKeystore(home: string, name: string, now: Date = new Date()): Promise<string> {
  const path = keyPath(home, name);
  const dir = join(keysDir(home), "deleted");
  const moved = join(dir, `${name}-${now.toISOString().replaceAll(":", "")}-${randomBytes(4).toString("hex")}.json`);
  try {
    await lstat(path);
  } catch (err) {
    if (isErrno(err, "ENOENT")) throw new KeyNotFoundError(name);
    throw fsError(err, "delete the keystore", path);
  }
  try {
    await ensurePrivateDir(dir);
    await rename(path, moved);
  } catch (err) {
    if (isErrno(err, "ENOENT")) throw new KeyNotFoundError(name);
    throw fsError(err, "move the deleted keystore to", moved);
  }
  return moved;
}
