import { CliError } from "../errors.ts";

/** No key of that name under `<home>/keys`. */
export class KeyNotFoundError extends CliError {
  override readonly name: string = "KeyNotFoundError";
  readonly keyName: string;
  constructor(keyName: string, hint = "list your keys with `trustnet keys list`, or create one with `trustnet keys add <name>`") {
    super(`no key named "${keyName}"`, { hint });
    this.keyName = keyName;
  }
}

/** A key of that name exists and `--force` was not given. */
export class KeyExistsError extends CliError {
  override readonly name: string = "KeyExistsError";
  readonly keyName: string;
  constructor(keyName: string) {
    super(`a key named "${keyName}" already exists; it was left unchanged`, {
      hint: "pick another name, or pass --force to replace it (export its mnemonic first: `trustnet keys export " + keyName + "`)",
    });
    this.keyName = keyName;
  }
}

/**
 * The mnemonic's key is already in the keyring under another name: two names for one account would make every
 * "which key signed this" answer ambiguous (the Cosmos SDK's keyring refuses a duplicate address too).
 */
export class DuplicateKeyError extends CliError {
  override readonly name: string = "DuplicateKeyError";
  readonly existing: string;
  readonly address: string;
  constructor(existing: string, address: string) {
    super(`this mnemonic's account ${address} is already in the keyring as "${existing}"; nothing was written`, {
      hint: `use the key "${existing}"; to keep it under another name, \`trustnet keys delete ${existing}\` first`,
    });
    this.existing = existing;
    this.address = address;
  }
}

/** The passphrase does not open the keystore. */
export class WrongPassphraseError extends CliError {
  override readonly name: string = "WrongPassphraseError";
  readonly keyName: string;
  constructor(keyName: string) {
    super(`wrong passphrase for key ${keyName}`, {
      hint: "check --passphrase-file or $TRUSTNET_KEYRING_PASSPHRASE; the keystore file was not changed",
    });
    this.keyName = keyName;
  }
}

/** The keystore file is not one we wrote: truncated, edited, or another format. It is never overwritten. */
export class CorruptKeystoreError extends CliError {
  override readonly name: string = "CorruptKeystoreError";
  readonly path: string;
  readonly reason: string;
  constructor(path: string, reason: string) {
    super(`keystore ${path} is corrupted or has been tampered with (${reason}); refusing to use it`, {
      hint: "the file was left unchanged; restore it from a backup, or re-import the key from its mnemonic under a new name (`trustnet keys import <name>`)",
    });
    this.path = path;
    this.reason = reason;
  }
}

/** What another user could do with a key file that is not private, and what to do about it (the hint's start). */
const UNSAFE_RISK = {
  write: "another user could have put a key there; check it, then:",
  "write-passphrase": "another user could have changed the passphrase; nothing was changed; check it, then:",
  "write-mnemonic": "another user could have put another mnemonic there; nothing was written; check it, then:",
  read: "other users could copy the encrypted key and guess its passphrase offline; make it private:",
  "read-plaintext": "other users could copy the key, which is stored unencrypted; make it private:",
  "read-passphrase": "other users could read the passphrase; nothing was changed; make it private:",
  "read-mnemonic": "other users could read the mnemonic, which is the key itself; nothing was written; make it private (or pipe it in):",
} as const;

/**
 * A keystore or the key directory that another local user could have written (a symlink, another owner, group or
 * other write permission: its unauthenticated fields, the address, could be planted) or read (group or other read
 * permission: the encrypted key could be copied and its passphrase guessed offline). It is not used, as ssh refuses
 * such private key files. Also a --passphrase-file or --mnemonic-file others can read or write.
 */
export class UnsafeKeystoreError extends CliError {
  override readonly name: string = "UnsafeKeystoreError";
  readonly path: string;
  constructor(path: string, why: string, fix: string, risk: keyof typeof UNSAFE_RISK = "write") {
    super(`refusing to use ${path}: ${why}`, { hint: `${UNSAFE_RISK[risk]} ${fix}` });
    this.path = path;
  }
}

/** No passphrase could be obtained (non-interactive and none given), or it is unusable. */
export class PassphraseError extends CliError {
  override readonly name: string = "PassphraseError";
  constructor(message: string, hint?: string) {
    super(message, hint === undefined ? {} : { hint });
  }
}

/** A mnemonic that is not 12–24 valid BIP39 English words with a correct checksum. */
export class InvalidMnemonicError extends CliError {
  override readonly name: string = "InvalidMnemonicError";
  constructor(reason: string) {
    super(`invalid mnemonic: ${reason}`, { hint: "give the 24 (or 12) BIP39 words separated by spaces, in order" });
  }
}

/** A key name that cannot be used as a file name. */
export class InvalidKeyNameError extends CliError {
  override readonly name: string = "InvalidKeyNameError";
  constructor(keyName: string) {
    super(`invalid key name "${keyName}"`, {
      hint: "use 1-64 characters from a-z, A-Z, 0-9, '.', '_' and '-', starting with a letter or digit",
      exitCode: 2,
    });
  }
}
