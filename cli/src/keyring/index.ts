export { getActiveKey, resolveKeyName, setActiveKey, cliConfigPath } from "./active-key.ts";
export {
  CorruptKeystoreError,
  InvalidKeyNameError,
  InvalidMnemonicError,
  KeyExistsError,
  KeyNotFoundError,
  PassphraseError,
  UnsafeKeystoreError,
  WrongPassphraseError,
} from "./errors.ts";
export { ADDRESS_PREFIX, HD_PATH, deriveKey, generateMnemonic, normalizeMnemonic, pubkeyToAddress, type DerivedKey } from "./hd.ts";
export { checkNewKeyName, createKey, deleteKey, exportMnemonic, getSigner, showKey, unlockKey, type CreateKeyOptions, type CreatedKey, type UnlockedKey } from "./keyring.ts";
export { MIN_SCRYPT, STRONG_SCRYPT, type KeystoreFile, type ScryptParams } from "./keystore-format.ts";
export { keyExists, keyPath, keysDir, listKeystores, type KeyListing } from "./keystore.ts";
export { readSecretInput } from "./private-file.ts";
export { PASSPHRASE_ENV, getPassphrase, ttyPrompter, type PassphraseSource, type Prompter } from "./passphrase.ts";
