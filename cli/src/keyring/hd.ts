import { rawSecp256k1PubkeyToRawAddress } from "@cosmjs/amino";
import { Bip39, EnglishMnemonic, Random, Secp256k1, Slip10, Slip10Curve, stringToPath } from "@cosmjs/crypto";
import { toBech32 } from "@cosmjs/encoding";
import { ADDRESS_PREFIX } from "../address.ts";
import { InvalidMnemonicError } from "./errors.ts";

export { ADDRESS_PREFIX };
/** The Cosmos HD path (coin type 118), first account. */
export const HD_PATH = "m/44'/118'/0'/0/0";

export interface DerivedKey {
  readonly address: string;
  /** 32-byte secp256k1 private key. */
  readonly privkey: Uint8Array;
  /** 33-byte compressed public key. */
  readonly pubkey: Uint8Array;
}

/** A fresh 24-word BIP39 mnemonic (256 bits of entropy from the OS CSPRNG). */
export function generateMnemonic(random: (n: number) => Uint8Array = Random.getBytes): string {
  return Bip39.encode(random(32)).toString();
}

/** Lower-cases and collapses whitespace, then checks words and checksum. Returns the canonical form. */
export function normalizeMnemonic(input: string): string {
  const words = input.trim().toLowerCase().split(/\s+/u).filter((w) => w.length > 0);
  if (words.length === 0) throw new InvalidMnemonicError("it is empty");
  if (![12, 15, 18, 21, 24].includes(words.length)) {
    throw new InvalidMnemonicError(`it has ${words.length} words; expected 24 (or 12, 15, 18, 21)`);
  }
  const wordlist = new Set(EnglishMnemonic.wordlist);
  const unknown = words.filter((w) => !wordlist.has(w));
  if (unknown.length > 0) throw new InvalidMnemonicError(`not BIP39 English words: ${unknown.slice(0, 3).join(", ")}`);
  const joined = words.join(" ");
  try {
    return new EnglishMnemonic(joined).toString();
  } catch {
    throw new InvalidMnemonicError("the checksum does not match (a word is wrong or out of order)");
  }
}

/** bech32 `trust` address of a 33-byte compressed secp256k1 public key. */
export function pubkeyToAddress(pubkey: Uint8Array, prefix: string = ADDRESS_PREFIX): string {
  return toBech32(prefix, rawSecp256k1PubkeyToRawAddress(pubkey));
}

/** Derives the key at m/44'/118'/0'/0/0 from a (normalized) mnemonic, without a BIP39 password. */
export async function deriveKey(mnemonic: string): Promise<DerivedKey> {
  const seed = await Bip39.mnemonicToSeed(new EnglishMnemonic(normalizeMnemonic(mnemonic)));
  const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath(HD_PATH));
  const { pubkey } = await Secp256k1.makeKeypair(privkey);
  const compressed = Secp256k1.compressPubkey(pubkey);
  return { address: pubkeyToAddress(compressed), privkey, pubkey: compressed };
}
