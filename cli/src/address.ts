// TrustNet account addresses: bech32 with the `trust` prefix over a 20-byte (or 32-byte module) hash.
import { BECH32_PREFIX } from "@trustnet/abci-app";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { UsageError } from "./errors.ts";

export const ADDRESS_PREFIX = BECH32_PREFIX;
const CHARSET = /^[qpzry9x8gf2tvdw0s3jn54khce6mua7l]*$/u;

function bad(input: string, why: string): UsageError {
  const shown = input.length > 70 ? `${input.slice(0, 67)}…` : input;
  return new UsageError(`invalid address "${shown}": ${why}`, "a TrustNet address looks like trust1… (see `trustnet keys show --address`)");
}

/**
 * A validator's operator (trustvaloper1…) or consensus (trustvalcons1…) address where an account is expected: named
 * as such, with the operator's account address when it can be read from a valid trustvaloper1….
 */
function validatorNotAccount(input: string, lower: string, prefix: string): UsageError {
  const kind = prefix.endsWith("valoper") ? "a validator operator" : "a validator consensus";
  let account: string | undefined;
  try {
    if (kind === "a validator operator") account = toBech32(ADDRESS_PREFIX, fromBech32(lower, 90).data);
  } catch {
    account = undefined; // a mistyped one: no account to offer
  }
  const shown = input.length > 70 ? `${input.slice(0, 67)}…` : input;
  return new UsageError(`"${shown}" is ${kind} address (${prefix}1…), not an account address (${ADDRESS_PREFIX}1…)`,
    account ? `the operator's account is ${account}; give it or a key name` : `give a ${ADDRESS_PREFIX}1… address or a key name`);
}

/** Validates a `trust1…` address and returns it in canonical lower case; clear errors otherwise. */
export function parseAddress(input: string): string {
  if (input === "") throw bad(input, "it is empty");
  if (/\s/u.test(input)) throw bad(input, "it contains whitespace");
  if (input !== input.toLowerCase() && input !== input.toUpperCase()) throw bad(input, "bech32 addresses cannot mix upper and lower case");
  const lower = input.toLowerCase();
  const sep = lower.lastIndexOf("1");
  if (sep < 1) throw bad(input, "it is not a bech32 address (no `trust1` prefix)");
  const prefix = lower.slice(0, sep);
  if (prefix === `${ADDRESS_PREFIX}valoper` || prefix === `${ADDRESS_PREFIX}valcons`) throw validatorNotAccount(input, lower, prefix);
  if (prefix !== ADDRESS_PREFIX) {
    const alsoBad = isBech32(lower) ? "" : "; its checksum does not match either (a character is mistyped)";
    throw bad(input, `wrong prefix "${prefix}", expected "${ADDRESS_PREFIX}" (is this an address from another chain?)${alsoBad}`);
  }
  const data = lower.slice(sep + 1);
  if (!CHARSET.test(data)) throw bad(input, "it contains characters that bech32 does not use (b, i, o, 1)");
  if (lower.length > 90) throw bad(input, `it is too long (${lower.length} characters)`);
  let decoded: { readonly prefix: string; readonly data: Uint8Array };
  try {
    decoded = fromBech32(lower, 90);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/checksum/iu.test(msg)) throw bad(input, "bad checksum (a character is mistyped)");
    if (/length/iu.test(msg)) throw bad(input, "it is too short to be an address");
    throw bad(input, `it is not valid bech32 (${msg})`);
  }
  if (decoded.data.length !== 20 && decoded.data.length !== 32) {
    throw bad(input, `wrong length: it encodes ${decoded.data.length} bytes, expected 20 (account) or 32 (module)`);
  }
  return toBech32(ADDRESS_PREFIX, decoded.data);
}

/** True when `input` decodes as bech32 (any prefix, valid checksum): an address, maybe of another chain or kind. */
export function isBech32(input: string): boolean {
  try {
    fromBech32(input, 90);
    return true;
  } catch {
    return false;
  }
}

const BECH32_SHAPED = /^([a-z][a-z0-9]{0,82})1([qpzry9x8gf2tvdw0s3jn54khce6mua7l]{32,})$/u;

/**
 * True when `input` reads as a bech32 address, valid or not: it starts with `trust1`, `trustvaloper1` or
 * `trustvalcons1`, or it is one case, with a prefix of letters and digits, a `1`, and at least 32 characters of the
 * bech32 alphabet after it (a 20-byte account address has 38), as a mistyped address of any chain is. The callers
 * look in the keyring first: a key that is really named so still wins.
 */
export function looksLikeAddress(input: string): boolean {
  if (new RegExp(`^${ADDRESS_PREFIX}(?:valoper|valcons)?1`, "iu").test(input)) return true;
  if (input !== input.toLowerCase() && input !== input.toUpperCase()) return false;
  return BECH32_SHAPED.test(input.toLowerCase());
}

/** True when `input` is a valid TrustNet address. */
export function isAddress(input: string): boolean {
  try {
    parseAddress(input);
    return true;
  } catch {
    return false;
  }
}
