// The encrypted keystore file format (version 1): pure functions from (mnemonic, passphrase) to a JSON document
// and back. scrypt derives 64 bytes from the passphrase: the first 32 are the AES-256-GCM key, the last 32 key an
// HMAC "check" value that tells a wrong passphrase apart from a modified file. The GCM additional data binds the
// key's name, address, public key and creation time, so editing any of them makes the file fail to open.
import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { CorruptKeystoreError, WrongPassphraseError } from "./errors.ts";
import { deriveKey, normalizeMnemonic } from "./hd.ts";

export const KEYSTORE_FORMAT = "trustnet-keystore";
export const KEYSTORE_VERSION = 1;

export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** Default: 2^17 × 8 (128 MiB, ~0.5-1 s), above OWASP's scrypt minimum. */
export const STRONG_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };
/** Weakest parameters a file may carry (lets tests run fast; never the default). */
export const MIN_SCRYPT: ScryptParams = { N: 2 ** 14, r: 8, p: 1 };
const MAX_N = 2 ** 20;

export interface KeystoreFile {
  readonly format: typeof KEYSTORE_FORMAT;
  readonly version: number;
  readonly name: string;
  readonly address: string;
  readonly pubkey: string;
  readonly createdAt: string;
  readonly kdf: { readonly name: "scrypt"; readonly N: number; readonly r: number; readonly p: number; readonly salt: string };
  readonly cipher: { readonly name: "aes-256-gcm"; readonly iv: string; readonly tag: string };
  readonly check: string;
  readonly ciphertext: string;
}

export interface OpenedKey {
  readonly name: string;
  readonly address: string;
  readonly mnemonic: string;
  readonly privkey: Uint8Array;
  readonly pubkey: Uint8Array;
}

const b64 = (b: Uint8Array): string => Buffer.from(b).toString("base64");
const CHECK_LABEL = "trustnet-keystore/v1 passphrase check";

function kdf(passphrase: string, salt: Uint8Array, params: ScryptParams): Promise<Buffer> {
  const maxmem = 128 * params.N * params.r * params.p + 64 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize("NFKC"), salt, 64, { N: params.N, r: params.r, p: params.p, maxmem }, (err, key) => {
      if (err) reject(err);
      else resolve(key);
    });
  });
}

function aad(f: Pick<KeystoreFile, "name" | "address" | "pubkey" | "createdAt">): Buffer {
  return Buffer.from(`${KEYSTORE_FORMAT}/v${KEYSTORE_VERSION}\n${f.name}\n${f.address}\n${f.pubkey}\n${f.createdAt}`, "utf8");
}

function checkValue(key: Buffer): Buffer {
  return createHmac("sha256", key.subarray(32, 64)).update(CHECK_LABEL).digest();
}

/** Encrypts a mnemonic into a keystore document for `name`. */
export async function encryptKeystore(
  name: string,
  mnemonic: string,
  passphrase: string,
  opts: { readonly scrypt?: ScryptParams; readonly now?: Date } = {},
): Promise<KeystoreFile> {
  const canonical = normalizeMnemonic(mnemonic);
  const derived = await deriveKey(canonical);
  const params = opts.scrypt ?? STRONG_SCRYPT;
  const salt = randomBytes(32);
  const iv = randomBytes(12);
  const key = await kdf(passphrase, salt, params);
  const meta = { name, address: derived.address, pubkey: b64(derived.pubkey), createdAt: (opts.now ?? new Date()).toISOString() };
  const cipher = createCipheriv("aes-256-gcm", key.subarray(0, 32), iv);
  cipher.setAAD(aad(meta));
  const ciphertext = Buffer.concat([cipher.update(canonical, "utf8"), cipher.final()]);
  return {
    format: KEYSTORE_FORMAT,
    version: KEYSTORE_VERSION,
    ...meta,
    kdf: { name: "scrypt", ...params, salt: b64(salt) },
    cipher: { name: "aes-256-gcm", iv: b64(iv), tag: b64(cipher.getAuthTag()) },
    check: b64(checkValue(key)),
    ciphertext: b64(ciphertext),
  };
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function b64Field(obj: Record<string, unknown>, field: string, path: string, len?: number): Buffer {
  const v = obj[field];
  if (typeof v !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/u.test(v)) throw new CorruptKeystoreError(path, `field "${field}" is not base64`);
  const buf = Buffer.from(v, "base64");
  if (len !== undefined && buf.length !== len) throw new CorruptKeystoreError(path, `field "${field}" has ${buf.length} bytes, expected ${len}`);
  return buf;
}

/** Parses and structurally validates a keystore file's text. `path` only labels errors. */
export function parseKeystore(text: string, path: string): KeystoreFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new CorruptKeystoreError(path, text.length === 0 ? "the file is empty" : "it is not valid JSON (truncated?)");
  }
  if (!isObj(doc) || doc.format !== KEYSTORE_FORMAT) throw new CorruptKeystoreError(path, "it is not a TrustNet keystore");
  if (doc.version !== KEYSTORE_VERSION) {
    throw new CorruptKeystoreError(path, `unsupported keystore version ${String(doc.version)}; this trustnet reads version ${KEYSTORE_VERSION}`);
  }
  for (const f of ["name", "address", "pubkey", "createdAt", "check", "ciphertext"]) {
    if (typeof doc[f] !== "string" || doc[f] === "") throw new CorruptKeystoreError(path, `field "${f}" is missing`);
  }
  const k = doc.kdf;
  const c = doc.cipher;
  if (!isObj(k) || k.name !== "scrypt") throw new CorruptKeystoreError(path, "unknown kdf");
  if (!isObj(c) || c.name !== "aes-256-gcm") throw new CorruptKeystoreError(path, "unknown cipher");
  const { N, r, p } = k;
  if (typeof N !== "number" || typeof r !== "number" || typeof p !== "number" || !Number.isInteger(Math.log2(N)) ||
      N < MIN_SCRYPT.N || N > MAX_N || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) {
    throw new CorruptKeystoreError(path, "scrypt parameters out of range");
  }
  b64Field(k, "salt", path, 32);
  b64Field(c, "iv", path, 12);
  b64Field(c, "tag", path, 16);
  b64Field(doc, "check", path, 32);
  b64Field(doc, "pubkey", path, 33);
  b64Field(doc, "ciphertext", path);
  return doc as unknown as KeystoreFile;
}

/** Opens a parsed keystore. Wrong passphrase → WrongPassphraseError; any modification → CorruptKeystoreError. */
export async function decryptKeystore(file: KeystoreFile, expectedName: string, passphrase: string, path: string): Promise<OpenedKey> {
  if (file.name !== expectedName) throw new CorruptKeystoreError(path, `it holds key "${file.name}", not "${expectedName}"`);
  const key = await kdf(passphrase, Buffer.from(file.kdf.salt, "base64"), file.kdf);
  const check = Buffer.from(file.check, "base64");
  if (!timingSafeEqual(check, checkValue(key))) throw new WrongPassphraseError(expectedName);
  let mnemonic: string;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.subarray(0, 32), Buffer.from(file.cipher.iv, "base64"));
    decipher.setAAD(aad(file));
    decipher.setAuthTag(Buffer.from(file.cipher.tag, "base64"));
    mnemonic = Buffer.concat([decipher.update(Buffer.from(file.ciphertext, "base64")), decipher.final()]).toString("utf8");
  } catch {
    throw new CorruptKeystoreError(path, "the ciphertext or its metadata was modified (authentication failed)");
  }
  const derived = await deriveKey(mnemonic);
  if (derived.address !== file.address || b64(derived.pubkey) !== file.pubkey) {
    throw new CorruptKeystoreError(path, "the stored address does not match the key");
  }
  return { name: file.name, address: derived.address, mnemonic, privkey: derived.privkey, pubkey: derived.pubkey };
}
