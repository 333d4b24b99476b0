import { readFileSync, statSync, type Stats } from "node:fs";
import { Bip39, EnglishMnemonic, Secp256k1, Slip10, Slip10Curve, stringToPath } from "@cosmjs/crypto";
import { addressFromPubkey } from "@trustnet/abci-app";
import type { OperatorKey } from "./tag-submitter.ts";

function reason(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  return (err as Error).message;
}

/**
 * Loads the registry operator's key from a JSON file `{ "mnemonic": "…" }` (the devnet writes one, mode 0600,
 * with the derived `address` beside it). Refuses, each with a message naming the file and the problem: a missing
 * or unreadable file, one that others can read, one that is not JSON, an invalid mnemonic, and an `address` that
 * does not match the derived key.
 */
export async function loadOperatorKey(path: string): Promise<OperatorKey> {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    throw new Error(`cannot read operator key file ${path}: ${reason(err)}`, { cause: err });
  }
  if (!st.isFile()) throw new Error(`operator key file ${path} is not a regular file`);
  if ((st.mode & 0o077) !== 0) throw new Error(`operator key file ${path} is readable by group/others (chmod 600 it)`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
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
