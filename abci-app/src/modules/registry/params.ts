// The registry's params (genesis-only, like slashing's: no message changes them). `namespace_deposit` is what a
// MsgClaimNamespace locks in the registry module account until the namespace is released (docs/registry.md,
// "Namespace deposits").
import { type Coin, DENOM, MAX_AMOUNT } from "../../sdk/coins.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { readObject, readString } from "../../sdk/genesis-json.ts";
import { Params as ParamsCodec, type Params as WireParams } from "./types.ts";

export interface RegistryParams {
  /** Locked by each claim (utrust; 0: claims lock nothing). */
  readonly namespaceDeposit: Coin;
}

/** 1 TRUST: the leasing module's provider bond (`minBond`), about twice Akash's minimum deployment deposit. */
export const DefaultParams: RegistryParams = { namespaceDeposit: { denom: DENOM, amount: 1_000_000n } };

const AMOUNT = /^\d{1,78}$/u;

/**
 * A coin as genesis JSON writes it (`{"denom": "utrust", "amount": "1000000"}`): the denom must be the chain's
 * (utrust), the amount a non-negative integer string of at most 2^256-1. `what` names the field in every refusal.
 */
export function readDeposit(v: unknown, what: string): Coin {
  const c = readObject(v, what, ["denom", "amount"]);
  const denom = readString(c.denom, `${what}.denom`);
  if (denom !== DENOM) throw ErrInvalidRequest.wrap(`${what}.denom must be "${DENOM}", got ${JSON.stringify(denom.slice(0, 140))}`);
  const amount = readString(c.amount, `${what}.amount`);
  if (!AMOUNT.test(amount) || BigInt(amount) > MAX_AMOUNT) throw ErrInvalidRequest.wrap(`${what}.amount must be a non-negative integer string (utrust) of at most 2^256-1, got ${JSON.stringify(amount.slice(0, 100))}`);
  return { denom, amount: BigInt(amount) };
}

/** The genesis `registry.params` object; absent (a genesis written before the deposit) is the defaults. */
export function parseParams(raw: unknown): RegistryParams {
  if (raw === undefined) return DefaultParams;
  const p = readObject(raw, "registry genesis.params", ["namespace_deposit"]);
  return { namespaceDeposit: p.namespace_deposit === undefined ? DefaultParams.namespaceDeposit : readDeposit(p.namespace_deposit, "registry genesis.params.namespace_deposit") };
}

export const coinJson = (c: Coin): { denom: string; amount: string } => ({ denom: c.denom, amount: c.amount.toString() });

export const paramsJson = (p: RegistryParams): Record<string, unknown> => ({ namespace_deposit: coinJson(p.namespaceDeposit) });

/** The stored and queried form (Params{namespace_deposit: Coin}). */
export const paramsProto = (p: RegistryParams): WireParams => ({ namespaceDeposit: [coinJson(p.namespaceDeposit)] });

export function paramsFromProto(w: WireParams): RegistryParams {
  const c = w.namespaceDeposit[0];
  return { namespaceDeposit: c ? { denom: c.denom, amount: BigInt(c.amount || "0") } : { denom: DENOM, amount: 0n } };
}

export const encodeParams = (p: RegistryParams): Uint8Array => ParamsCodec.encode(paramsProto(p)).finish();
export const decodeParams = (b: Uint8Array): RegistryParams => paramsFromProto(ParamsCodec.decode(b));
