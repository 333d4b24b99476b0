import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import type { Any } from "cosmjs-types/google/protobuf/any";
import type { Description } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { parseCoin } from "../../sdk/coins.ts";
import { ErrInvalidPubKey, ErrInvalidRequest } from "../../sdk/errors.ts";
import { DEC_ONE, parseWireDec } from "./dec.ts";
import { ErrValidatorPubKeyTypeNotSupported } from "./errors.ts";
import type { Rates } from "./types.ts";
import { ED25519_PUBKEY_TYPE } from "./keeper.ts";

/** The SDK's description limits (x/staking/types/validator.go). */
const LIMITS = { moniker: 70, identity: 3000, website: 140, securityContact: 140, details: 280 } as const;
export const DO_NOT_MODIFY = "[do-not-modify]";

export function validateDescription(d: Description | undefined, requireMoniker: boolean): void {
  if (!d) throw ErrInvalidRequest.wrap("empty description");
  if (requireMoniker && d.moniker.trim() === "") throw ErrInvalidRequest.wrap("empty description: moniker is required");
  for (const f of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    if (d[f].length > LIMITS[f]) throw ErrInvalidRequest.wrap(`invalid ${f} length; got: ${d[f].length}, max: ${LIMITS[f]}`);
  }
}

/** A positive amount of a valid denom (the SDK's "invalid delegation amount" otherwise). */
export function positiveAmount(c: { denom: string; amount: string } | undefined, what: string): { denom: string; amount: bigint } {
  if (!c) throw ErrInvalidRequest.wrap(`invalid ${what} amount: missing`);
  const coin = parseCoin(c);
  if (coin.amount === 0n) throw ErrInvalidRequest.wrap(`invalid ${what} amount: must be positive`);
  return coin;
}

export function positiveInt(s: string, field: string): bigint {
  if (!/^\d{1,78}$/.test(s) || BigInt(s) === 0n) throw ErrInvalidRequest.wrap(`${field} must be a positive integer`);
  return BigInt(s);
}

/** The SDK's CommissionRates.Validate. */
export function validateRates(c: { rate: string; maxRate: string; maxChangeRate: string } | undefined): Rates {
  if (!c) throw ErrInvalidRequest.wrap("commission rates are required");
  const r = { rate: parseWireDec(c.rate, "commission.rate"), maxRate: parseWireDec(c.maxRate, "commission.max_rate"), maxChangeRate: parseWireDec(c.maxChangeRate, "commission.max_change_rate") };
  if (r.maxRate > DEC_ONE) throw ErrInvalidRequest.wrap("commission cannot be more than 100%");
  if (r.rate > r.maxRate) throw ErrInvalidRequest.wrap("commission cannot be more than the max rate");
  if (r.maxChangeRate > r.maxRate) throw ErrInvalidRequest.wrap("commission change rate cannot be more than the max rate");
  return r;
}

/** An ed25519 consensus key (CometBFT's default validator key type); other types are refused. */
export function consensusKey(pk: Any | undefined): Uint8Array {
  if (!pk || pk.value.length === 0) throw ErrInvalidRequest.wrap("empty validator public key");
  if (pk.typeUrl !== ED25519_PUBKEY_TYPE) throw ErrValidatorPubKeyTypeNotSupported.wrap(`got ${JSON.stringify(pk.typeUrl.slice(0, 100))}, want ${ED25519_PUBKEY_TYPE}`);
  let key: Uint8Array;
  try {
    key = PubKey.decode(pk.value).key;
  } catch {
    throw ErrInvalidPubKey.wrap("cannot decode the ed25519 public key");
  }
  if (key.length !== 32) throw ErrInvalidPubKey.wrap(`ed25519 public key is ${key.length} bytes, want 32`);
  const canonical = PubKey.encode({ key }).finish();
  if (canonical.length !== pk.value.length || canonical.some((b, i) => b !== pk.value[i])) throw ErrInvalidPubKey.wrap("ed25519 public key is not canonically encoded");
  return key;
}
