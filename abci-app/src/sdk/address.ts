import { ripemd160, sha256 } from "@cosmjs/crypto";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { BoundedMap, latin1 } from "../store/index.ts";
import { ErrInvalidAddress } from "./errors.ts";

export const BECH32_PREFIX = "trust";

/**
 * Addresses seen recently, both ways: bech32 decoding and encoding cost 3.6 % of the app's CPU under the send
 * benchmark (each message's addresses decoded in the ante, the keeper and again in FinalizeBlock). Pure functions,
 * so a hit is the answer a fresh conversion gives; callers get copies of the bytes.
 */
const ADDRESS_CACHE_ENTRIES = 20_000;
const bytesOf = new BoundedMap<string, Uint8Array>(ADDRESS_CACHE_ENTRIES);
const stringOf = new BoundedMap<string, string>(ADDRESS_CACHE_ENTRIES);
const ofPubkey = new BoundedMap<string, string>(ADDRESS_CACHE_ENTRIES);

/** Raw 20-byte account address from a bech32 string; ErrInvalidAddress on a bad checksum, prefix or length. */
export function addressBytes(address: string, field = "address"): Uint8Array {
  const hit = bytesOf.get(address);
  if (hit !== undefined) return hit.slice();
  const data = decodeAddress(address, field);
  bytesOf.set(address, data.slice());
  return data;
}

/**
 * Decodes bech32, accepting only the canonical lower-case form. BIP-173 also allows an all-upper-case spelling of the
 * same bytes, but keepers compare and store addresses as the strings the messages carry (module accounts, operators,
 * lease providers, namespace owners), so a second spelling of one account would slip past those rules: refused.
 */
export function decodeBech32(address: string, field: string): { prefix: string; data: Uint8Array } {
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = fromBech32(address, 90);
  } catch {
    throw ErrInvalidAddress.wrap(`invalid ${field} ${JSON.stringify(address.slice(0, 100))}: not bech32`);
  }
  if (address !== address.toLowerCase()) {
    throw ErrInvalidAddress.wrap(`invalid ${field} ${JSON.stringify(address.slice(0, 100))}: not in the canonical lower-case form (${toBech32(decoded.prefix, decoded.data)})`);
  }
  return decoded;
}

function decodeAddress(address: string, field: string): Uint8Array {
  const decoded = decodeBech32(address, field);
  if (decoded.prefix !== BECH32_PREFIX) {
    throw ErrInvalidAddress.wrap(`invalid ${field} ${address}: expected prefix ${BECH32_PREFIX}, got ${decoded.prefix}`);
  }
  if (decoded.data.length !== 20 && decoded.data.length !== 32) {
    throw ErrInvalidAddress.wrap(`invalid ${field} ${address}: ${decoded.data.length} bytes`);
  }
  return decoded.data;
}

export function bech32Address(raw: Uint8Array): string {
  const key = latin1(raw);
  const hit = stringOf.get(key);
  if (hit !== undefined) return hit;
  const address = toBech32(BECH32_PREFIX, raw);
  stringOf.set(key, address);
  return address;
}

/** ripemd160(sha256(compressed secp256k1 pubkey)), as Cosmos SDK and cosmjs derive it. */
export function addressFromPubkey(pubkey33: Uint8Array): string {
  const key = latin1(pubkey33);
  const hit = ofPubkey.get(key);
  if (hit !== undefined) return hit;
  const address = bech32Address(ripemd160(sha256(pubkey33)));
  ofPubkey.set(key, address);
  return address;
}

/** A module account's address: the first 20 bytes of sha256(module name), as the SDK's authtypes.NewModuleAddress. */
export function moduleAddress(name: string): string {
  return bech32Address(sha256(new TextEncoder().encode(name)).slice(0, 20));
}

/** Validator operator addresses use the SDK's `<prefix>valoper` form over the operator account's 20 bytes. */
export const VALOPER_PREFIX = `${BECH32_PREFIX}valoper`;

export function valoperBytes(address: string, field = "validator address"): Uint8Array {
  const d = decodeBech32(address, field);
  if (d.prefix !== VALOPER_PREFIX) throw ErrInvalidAddress.wrap(`invalid ${field} ${address}: expected prefix ${VALOPER_PREFIX}, got ${d.prefix}`);
  if (d.data.length !== 20) throw ErrInvalidAddress.wrap(`invalid ${field} ${address}: ${d.data.length} bytes, want 20`);
  return d.data;
}

export const valoperAddress = (raw: Uint8Array): string => toBech32(VALOPER_PREFIX, raw);

/** A validator's consensus address (CometBFT's sha256(ed25519 pubkey)[:20]) uses the SDK's `<prefix>valcons` form. */
export const VALCONS_PREFIX = `${BECH32_PREFIX}valcons`;
export const valconsAddress = (cons: Uint8Array): string => toBech32(VALCONS_PREFIX, cons);
