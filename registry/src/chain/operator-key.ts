import { constants, type Stats } from "node:fs";
import { open, realpath, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { Bip39, EnglishMnemonic, Secp256k1, Slip10, Slip10Curve, stringToPath } from "@cosmjs/crypto";
import { addressFromPubkey } from "@trustnet/abci-app";
import type { OperatorKey } from "./tag-submitter.ts";

function reason(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  if (code === "ELOOP") return "too many symbolic links";
  return (err as Error).message;
}

const MAX_KEY_FILE_BYTES = 64 * 1024;

export interface OperatorKeyOptions {
  /**
   * The file is on a mount no other user can reach (a Kubernetes secret volume in a one-user container): it may be
   * readable by its group and others. It must still be owned by the registry's user or root, and writable by no one
   * else. `--operator-key-trusted-mount`.
   */
  readonly trustedMount?: boolean;
}

const myUid = (): number | undefined => (typeof process.getuid === "function" ? process.getuid() : undefined);
const modeOf = (st: Stats): string => (st.mode & 0o777).toString(8).padStart(4, "0");
/** Who besides the owner has the permission `bit` (0o4 read, 0o2 write) on `st`. */
const others = (st: Stats, bit: number): string =>
  [(st.mode & (bit << 3)) !== 0 ? "its group" : "", (st.mode & bit) !== 0 ? "other users" : ""].filter(Boolean).join(" and ");

/**
 * Why the key file (`real`, reached from `path`) or its directory is unsafe, with the fix; undefined when safe.
 * Owned by another user than the registry's or root, or writable by its group or others: a key could be planted.
 * Readable by its group or others: the key, stored unencrypted, could be copied (allowed with `trustedMount`).
 */
function unsafe(st: Stats, dirSt: Stats, path: string, real: string, o: OperatorKeyOptions): string | undefined {
  const uid = myUid();
  const where = real === path ? path : `${path} (-> ${real})`;
  if (uid !== undefined && st.uid !== uid && st.uid !== 0) return `operator key file ${where} is owned by uid ${st.uid}, not by the registry's user (uid ${uid}) or root (chown ${uid} ${real})`;
  if ((st.mode & 0o022) !== 0) return `operator key file ${where} is writable by ${others(st, 0o2)} (mode ${modeOf(st)}; chmod 600 ${real})`;
  const dir = dirname(real);
  if (uid !== undefined && dirSt.uid !== uid && dirSt.uid !== 0) return `the directory ${dir} of operator key file ${where} is owned by uid ${dirSt.uid}, not by the registry's user (uid ${uid}) or root: its owner could replace the key`;
  if ((dirSt.mode & 0o022) !== 0 && (dirSt.mode & 0o1000) === 0 /* no sticky bit */) return `the directory ${dir} of operator key file ${where} is writable by ${others(dirSt, 0o2)} (mode ${modeOf(dirSt)}): they could replace the key (chmod go-w ${dir})`;
  if ((st.mode & 0o044) !== 0 && o.trustedMount !== true) {
    return `operator key file ${where} is readable by ${others(st, 0o4)} (mode ${modeOf(st)}): chmod 600 ${real}; on a Kubernetes secret volume set defaultMode: 0400, or, when no other user can enter the container, pass --operator-key-trusted-mount`;
  }
  return undefined;
}

/**
 * Loads the registry operator's key from a JSON file `{ "mnemonic": "…" }` (the devnet writes one, mode 0600,
 * with the derived `address` beside it). A symlink is followed (a Kubernetes secret mount is `key -> ..data/key`)
 * and the file it ends at is checked through the descriptor that is read: it must be a regular file owned by the
 * registry's user or root, writable by no one else, in a directory only they (or a sticky bit) let change, and
 * readable by no one else unless `trustedMount`. Refuses, each with a message naming the file, the problem and the
 * fix: a missing or unreadable file, an unsafe one, one that is not JSON, an invalid mnemonic, and an `address`
 * that does not match the derived key.
 */
export async function loadOperatorKey(path: string, o: OperatorKeyOptions = {}): Promise<OperatorKey> {
  let text: string;
  try {
    const real = await realpath(path);
    const h = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const st = await h.stat();
      if (!st.isFile()) throw new Error(`operator key file ${path} is not a regular file`);
      const bad = unsafe(st, await stat(dirname(real)), path, real, o);
      if (bad) throw new Error(bad);
      if (st.size > MAX_KEY_FILE_BYTES) throw new Error(`operator key file ${path} is ${st.size} bytes, more than a key file's ${MAX_KEY_FILE_BYTES / 1024} KiB`);
      text = await h.readFile("utf8");
    } finally {
      await h.close();
    }
  } catch (err) {
    if ((err as { code?: unknown }).code === undefined) throw err;
    throw new Error(`cannot read operator key file ${path}: ${reason(err)}`, { cause: err });
  }
  let j: { mnemonic?: unknown; address?: unknown };
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error("not a JSON object");
    j = v as typeof j;
  } catch (err) {
    throw new Error(`operator key file ${path} is corrupt: ${(err as Error).message}`, { cause: err });
  }
  if (typeof j.mnemonic !== "string") throw new Error(`operator key file ${path} has no mnemonic`);
  let seed: Uint8Array;
  try {
    seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(j.mnemonic.trim()));
  } catch (err) {
    throw new Error(`operator key file ${path}: the mnemonic is not a valid BIP-39 phrase (${(err as Error).message})`, { cause: err });
  }
  const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath("m/44'/118'/0'/0/0"));
  const pubkey = Secp256k1.compressPubkey((await Secp256k1.makeKeypair(privkey)).pubkey);
  const address = addressFromPubkey(pubkey);
  if (j.address !== undefined && j.address !== address) throw new Error(`operator key file ${path}: address ${String(j.address)} does not match its mnemonic (${address})`);
  return { address, privkey, pubkey };
}
