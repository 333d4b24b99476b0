import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { sha256 } from "@cosmjs/crypto";
import { BECH32_PREFIX, bech32Address } from "../../sdk/address.ts";
import { ErrInvalidAddress } from "../../sdk/errors.ts";

/** Validator operator addresses use the SDK's `<prefix>valoper` form over the operator account's 20 bytes. */
export const VALOPER_PREFIX = `${BECH32_PREFIX}valoper`;
export const VALCONS_PREFIX = `${BECH32_PREFIX}valcons`;

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
/** The operator's own account (its self-delegation and the signer of its messages). */
export const operatorAccount = (val: Uint8Array): string => bech32Address(val);
/** CometBFT's validator address of an ed25519 key: sha256(pubkey)[:20]. */
export const consAddressOf = (ed25519: Uint8Array): Uint8Array => sha256(ed25519).slice(0, 20);
