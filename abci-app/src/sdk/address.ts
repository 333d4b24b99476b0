import { ripemd160, sha256 } from "@cosmjs/crypto";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { ErrInvalidAddress } from "./errors.ts";

export const BECH32_PREFIX = "trust";

/** Raw 20-byte account address from a bech32 string; ErrInvalidAddress on a bad checksum, prefix or length. */
export function addressBytes(address: string, field = "address"): Uint8Array {
  let decoded: { prefix: string; data: Uint8Array };
  try {
    decoded = fromBech32(address, 90);
  } catch {
    throw ErrInvalidAddress.wrap(`invalid ${field} ${JSON.stringify(address.slice(0, 100))}: not bech32`);
  }
  if (decoded.prefix !== BECH32_PREFIX) {
    throw ErrInvalidAddress.wrap(`invalid ${field} ${address}: expected prefix ${BECH32_PREFIX}, got ${decoded.prefix}`);
  }
  if (decoded.data.length !== 20 && decoded.data.length !== 32) {
    throw ErrInvalidAddress.wrap(`invalid ${field} ${address}: ${decoded.data.length} bytes`);
  }
  return decoded.data;
}

export function bech32Address(raw: Uint8Array): string {
  return toBech32(BECH32_PREFIX, raw);
}

/** ripemd160(sha256(compressed secp256k1 pubkey)), as Cosmos SDK and cosmjs derive it. */
export function addressFromPubkey(pubkey33: Uint8Array): string {
  return bech32Address(ripemd160(sha256(pubkey33)));
}

/** A module account's address: the first 20 bytes of sha256(module name), as the SDK's authtypes.NewModuleAddress. */
export function moduleAddress(name: string): string {
  return bech32Address(sha256(new TextEncoder().encode(name)).slice(0, 20));
}

/** Validator operator addresses use the SDK's `<prefix>valoper` form over the operator account's 20 bytes. */
export const VALOPER_PREFIX = `${BECH32_PREFIX}valoper`;

export function valoperBytes(address: string, field = "validator address"): Uint8Array {
  let d: { prefix: string; data: Uint8Array };
  try {
    d = fromBech32(address, 90);
  } catch {
    throw ErrInvalidAddress.wrap(`invalid ${field} ${JSON.stringify(address.slice(0, 100))}: not bech32`);
  }
  if (d.prefix !== VALOPER_PREFIX) throw ErrInvalidAddress.wrap(`invalid ${field} ${address}: expected prefix ${VALOPER_PREFIX}, got ${d.prefix}`);
  if (d.data.length !== 20) throw ErrInvalidAddress.wrap(`invalid ${field} ${address}: ${d.data.length} bytes, want 20`);
  return d.data;
}

export const valoperAddress = (raw: Uint8Array): string => toBech32(VALOPER_PREFIX, raw);
