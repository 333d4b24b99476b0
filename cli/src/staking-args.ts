// Pure parsing of staking arguments: validator addresses, commission rates, consensus public keys.
import { fromBase64, fromBech32, toBech32 } from "@cosmjs/encoding";
import { ADDRESS_PREFIX } from "./address.ts";
import { UsageError } from "./errors.ts";

export const VALOPER_PREFIX = `${ADDRESS_PREFIX}valoper`;

/** A `trustvaloper1…` address, checked (prefix, checksum, 20 bytes). */
export function parseValoper(input: string, what = "validator"): string {
  let d: { prefix: string; data: Uint8Array };
  try {
    d = fromBech32(input.toLowerCase(), 90);
  } catch {
    throw new UsageError(`invalid ${what} address "${input}": not bech32`, `use a ${VALOPER_PREFIX}1… address, the operator's trust1… address or a key name`);
  }
  if (d.prefix !== VALOPER_PREFIX) throw new UsageError(`invalid ${what} address "${input}": prefix "${d.prefix}", expected "${VALOPER_PREFIX}"`);
  if (d.data.length !== 20) throw new UsageError(`invalid ${what} address "${input}": ${d.data.length} bytes, expected 20`);
  return input.toLowerCase();
}

/** The operator address of an account (same 20 bytes, the valoper prefix). */
export function valoperOf(account: string): string {
  return toBech32(VALOPER_PREFIX, fromBech32(account, 90).data);
}

/** A decimal in [0, 1] with at most 18 fraction digits, as the chain's wire form (the integer scaled by 10^18). */
export function parseRate(input: string, flag: string): string {
  const m = /^(\d{1,2})(?:\.(\d{1,18}))?$/u.exec(input);
  if (!m) throw new UsageError(`${flag}: "${input}" is not a decimal such as 0.1`);
  const scaled = BigInt(m[1] ?? "0") * 10n ** 18n + BigInt((m[2] ?? "").padEnd(18, "0"));
  if (scaled > 10n ** 18n) throw new UsageError(`${flag}: ${input} is more than 1 (100%)`);
  return scaled.toString();
}

const INT64_MAX = 2n ** 63n - 1n;

/** A block height as typed (digits only, from 1, an int64): "1e3", "0x10" or "-1" are refused, never reinterpreted. */
export function parseHeightArg(input: string, what: string): bigint {
  const shown = input.length > 40 ? `${input.slice(0, 37)}…` : input;
  if (!/^[1-9]\d{0,18}$/u.test(input) || BigInt(input) > INT64_MAX) throw new UsageError(`${what} "${shown}" is not a block height (a whole number from 1)`);
  return BigInt(input);
}

/**
 * A validator's ed25519 consensus key: base64 of the 32 bytes, or the JSON of CometBFT's priv_validator_key.json /
 * `cometbft show-validator` ({"type":"tendermint/PubKeyEd25519","value":"…"} or {"pub_key":{…}}).
 */
export function parseConsensusPubkey(input: string): Uint8Array {
  let b64 = input.trim();
  if (b64.startsWith("{")) {
    let j: { pub_key?: { type?: string; value?: string }; type?: string; value?: string; key?: string };
    try {
      j = JSON.parse(b64) as typeof j;
    } catch {
      throw new UsageError("--pubkey: not valid JSON");
    }
    const pk: { type?: string; value?: string; key?: string } = j.pub_key ?? j;
    if (pk.type !== undefined && pk.type !== "tendermint/PubKeyEd25519") throw new UsageError(`--pubkey: key type ${pk.type} is not supported, only ed25519`);
    b64 = pk.value ?? pk.key ?? "";
  }
  let key: Uint8Array;
  try {
    key = fromBase64(b64);
  } catch {
    throw new UsageError("--pubkey: not base64");
  }
  if (key.length !== 32) throw new UsageError(`--pubkey: ${key.length} bytes, an ed25519 key has 32`);
  return key;
}
