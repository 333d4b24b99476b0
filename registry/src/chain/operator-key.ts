import { readFileSync, statSync } from "node:fs";
import { Bip39, EnglishMnemonic, Secp256k1, Slip10, Slip10Curve, stringToPath } from "@cosmjs/crypto";
import { addressFromPubkey } from "@trustnet/abci-app";
import type { OperatorKey } from "./tag-submitter.ts";

/**
 * Loads the registry operator's key from a JSON file `{ "mnemonic": "…" }` (the devnet writes one, mode 0600).
 * Refuses a file that others can read, and a file whose `address` does not match the derived key.
 */
export async function loadOperatorKey(path: string): Promise<OperatorKey> {
  const mode = statSync(path).mode & 0o077;
  if (mode !== 0) throw new Error(`operator key file ${path} is readable by group/others (chmod 600 it)`);
  const j = JSON.parse(readFileSync(path, "utf8")) as { mnemonic?: string; address?: string };
  if (typeof j.mnemonic !== "string") throw new Error(`operator key file ${path} has no mnemonic`);
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(j.mnemonic.trim()));
  const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath("m/44'/118'/0'/0/0"));
  const pubkey = Secp256k1.compressPubkey((await Secp256k1.makeKeypair(privkey)).pubkey);
  const address = addressFromPubkey(pubkey);
  if (j.address !== undefined && j.address !== address) throw new Error(`operator key file ${path}: address ${j.address} does not match its mnemonic (${address})`);
  return { address, privkey, pubkey };
}
