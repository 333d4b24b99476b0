// The keyring's operations, composed from the keystore format, the files and the passphrase source.
import { DirectSecp256k1Wallet, type OfflineDirectSigner } from "@cosmjs/proto-signing";
import { getActiveKey, resolveKeyName, setActiveKey } from "./active-key.ts";
import { deriveKey, generateMnemonic, normalizeMnemonic } from "./hd.ts";
import { decryptKeystore, encryptKeystore, type OpenedKey, type ScryptParams } from "./keystore-format.ts";
import { deleteKeystore, keyExists, keyPath, listKeystores, readKeystore, validateKeyName, writeKeystore } from "./keystore.ts";
import { getPassphrase, type PassphraseSource } from "./passphrase.ts";
import { DuplicateKeyError, KeyExistsError } from "./errors.ts";
import { isAddress, isBech32, looksLikeAddress } from "../address.ts";
import { UsageError } from "../errors.ts";
import { ADDRESS_PREFIX } from "./hd.ts";

export interface UnlockedKey {
  readonly name: string;
  readonly address: string;
  readonly privkey: Uint8Array;
  readonly pubkey: Uint8Array;
}

export interface CreateKeyOptions {
  /** Recover from this mnemonic instead of generating a new one. */
  readonly mnemonic?: string | undefined;
  readonly force?: boolean | undefined;
  readonly passphrase: PassphraseSource;
  /** Only for tests; files always record their own parameters. */
  readonly scrypt?: ScryptParams | undefined;
}

export interface CreatedKey {
  readonly name: string;
  readonly address: string;
  /** Base64 of the 33-byte compressed secp256k1 key. */
  readonly pubkey: string;
  readonly mnemonic: string;
  readonly path: string;
  /** With `force`: where the previous file was moved. */
  readonly replaced: string | undefined;
  /** True when this became the active key (it is the first one, or none was active). */
  readonly active: boolean;
}

/**
 * Refuses a name a new key may not have: not a valid key name, or shaped like an address. A key named like an
 * address would make `send <that address>` ambiguous (the address wins; see address-arg.ts), and one named like a
 * mistyped address (`cosmos1…` or `trust1…` with a bad checksum: looksLikeAddress) would be confused with one.
 * `keys add`/`import` call it before asking for anything, createKey before writing anything.
 */
export function checkNewKeyName(name: string): void {
  validateKeyName(name);
  if (isAddress(name)) throw new UsageError(`invalid key name "${name}": it is a trust1… address, and addresses always win over key names`, "pick a name that is not an address");
  if (isBech32(name)) throw new UsageError(`invalid key name "${name}": it is a bech32 address, and anything that reads as an address is taken as one`, "pick a name that is not an address");
  if (looksLikeAddress(name)) {
    throw new UsageError(`invalid key name "${name}": it is shaped like an address (a mistyped one, or another chain's), so it would be confused with one; no key was created`, "pick a name that does not look like an address");
  }
}

/** Creates (or recovers) a key and stores it encrypted. Never replaces an existing key unless `force`. */
export async function createKey(home: string, name: string, opts: CreateKeyOptions): Promise<CreatedKey> {
  checkNewKeyName(name);
  const mnemonic = opts.mnemonic === undefined ? generateMnemonic() : normalizeMnemonic(opts.mnemonic);
  const force = opts.force === true;
  // Fail before asking for a passphrase; writeKeystore re-checks atomically.
  if (!force && (await keyExists(home, name))) throw new KeyExistsError(name);
  if (opts.mnemonic !== undefined) {
    // A recovered key may already be here under another name (a generated one cannot: 256 bits of entropy).
    const { address } = await deriveKey(mnemonic);
    const twin = (await listKeystores(home)).find((k) => k.address === address && k.name !== name);
    if (twin) throw new DuplicateKeyError(twin.name, address);
  }
  const passphrase = await getPassphrase(opts.passphrase, name, true);
  const file = await encryptKeystore(name, mnemonic, passphrase, opts.scrypt === undefined ? {} : { scrypt: opts.scrypt });
  const { path, replaced } = await writeKeystore(home, file, force);
  const current = await getActiveKey(home);
  const becomeActive = current === undefined || !(await keyExists(home, current));
  if (becomeActive) await setActiveKey(home, name);
  return { name, address: file.address, pubkey: file.pubkey, mnemonic, path, replaced, active: becomeActive };
}

async function open(home: string, name: string | undefined, src: PassphraseSource): Promise<OpenedKey> {
  const resolved = await resolveKeyName(home, name);
  const file = await readKeystore(home, resolved);
  const passphrase = await getPassphrase(src, resolved, false);
  return decryptKeystore(file, resolved, passphrase, keyPath(home, resolved));
}

/** Decrypts a key (`name`, or the active key when undefined). */
export async function unlockKey(home: string, name: string | undefined, src: PassphraseSource): Promise<UnlockedKey> {
  const k = await open(home, name, src);
  return { name: k.name, address: k.address, privkey: k.privkey, pubkey: k.pubkey };
}

/** The key's mnemonic, after its passphrase. */
export async function exportMnemonic(home: string, name: string | undefined, src: PassphraseSource): Promise<{ readonly name: string; readonly address: string; readonly mnemonic: string }> {
  const k = await open(home, name, src);
  return { name: k.name, address: k.address, mnemonic: k.mnemonic };
}

/** A cosmjs direct signer (prefix `trust`) for the key, usable with SigningStargateClient. */
export async function getSigner(home: string, name: string | undefined, src: PassphraseSource): Promise<OfflineDirectSigner> {
  const k = await unlockKey(home, name, src);
  return DirectSecp256k1Wallet.fromKey(k.privkey, ADDRESS_PREFIX);
}

/** Public information from the keystore file; no passphrase needed. */
export async function showKey(home: string, name: string | undefined): Promise<{ readonly name: string; readonly address: string; readonly pubkey: string; readonly createdAt: string; readonly active: boolean }> {
  const resolved = await resolveKeyName(home, name);
  const f = await readKeystore(home, resolved);
  return { name: resolved, address: f.address, pubkey: f.pubkey, createdAt: f.createdAt, active: (await getActiveKey(home)) === resolved };
}

/**
 * Deletes a key by moving its file to `<home>/keys/deleted/` (keystore.ts deleteKeystore); clears the active setting
 * if it pointed at it. Returns where the file went.
 */
export async function deleteKey(home: string, name: string): Promise<string> {
  validateKeyName(name);
  const moved = await deleteKeystore(home, name);
  if ((await getActiveKey(home)) === name) await setActiveKey(home, undefined);
  return moved;
}
