// Keystore files on disk: `<home>/keys/<name>.json`, 0600 in a 0700 directory, written atomically.
import { randomBytes } from "node:crypto";
import { readdir, readFile, rename, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { ensurePrivateDir, writeFileAtomic } from "./atomic-file.ts";
import { CorruptKeystoreError, InvalidKeyNameError, KeyExistsError, KeyNotFoundError } from "./errors.ts";
import { fsError } from "./fs-error.ts";
import { parseKeystore, type KeystoreFile } from "./keystore-format.ts";

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

/** Reads and validates a keystore. Missing → KeyNotFoundError; unreadable/malformed → CorruptKeystoreError. */
export async function readKeystore(home: string, name: string): Promise<KeystoreFile> {
  const path = keyPath(home, name);
  let text: string;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new CorruptKeystoreError(path, "it is not a regular file");
    if (st.size > MAX_KEYSTORE_BYTES) throw new CorruptKeystoreError(path, `it is ${st.size} bytes; a keystore is under 4 KiB`);
    text = await readFile(path, "utf8");
  } catch (err) {
    if (isErrno(err, "ENOENT")) throw new KeyNotFoundError(name);
    throw fsError(err, "read the keystore", path);
  }
  return parseKeystore(text, path);
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
  readonly createdAt: string | undefined;
  /** Set when the file could not be read as a keystore. */
  readonly problem: string | undefined;
}

/** All keystores, sorted by name. Unreadable files are listed with their problem instead of failing the list. */
export async function listKeystores(home: string): Promise<readonly KeyListing[]> {
  let entries: string[];
  try {
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
      out.push({ name, address: f.address, createdAt: f.createdAt, problem: f.name === name ? undefined : `holds key "${f.name}"` });
    } catch (err) {
      out.push({ name, address: undefined, createdAt: undefined, problem: err instanceof CorruptKeystoreError ? err.reason : err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

export async function deleteKeystore(home: string, name: string): Promise<void> {
  try {
    await unlink(keyPath(home, name));
  } catch (err) {
    if (isErrno(err, "ENOENT")) throw new KeyNotFoundError(name);
    throw fsError(err, "delete the keystore", keyPath(home, name));
  }
}
