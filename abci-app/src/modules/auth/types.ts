import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { DEFAULT_GAS_PRICE } from "../../sdk/gas.ts";

/** Auth parameters: the SDK's auth params plus the chain-wide minimum gas price (a consensus rule here). */
export interface AuthParams {
  readonly maxMemoCharacters: bigint;
  readonly txSigLimit: bigint;
  readonly txSizeCostPerByte: bigint;
  readonly sigVerifyCostSecp256k1: bigint;
  readonly minGasPrice: GasPrice;
}

/** A decimal gas price as an exact fraction: amount = numerator / denominator per unit of gas. */
export interface GasPrice {
  readonly numerator: bigint;
  readonly denominator: bigint;
  readonly denom: string;
}

export function parseGasPrice(s: string): GasPrice {
  const m = /^(\d{1,18})(?:\.(\d{1,18}))?([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(s);
  if (!m) throw ErrInvalidRequest.wrap(`invalid gas price ${JSON.stringify(s)} (expected e.g. ${DEFAULT_GAS_PRICE})`);
  const frac = m[2] ?? "";
  return { numerator: BigInt((m[1] ?? "0") + frac), denominator: 10n ** BigInt(frac.length), denom: m[3] ?? "" };
}

export function formatGasPrice(p: GasPrice): string {
  const scale = p.denominator.toString().length - 1;
  const digits = p.numerator.toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${int}${frac ? "." + frac : ""}${p.denom}`;
}

/** ceil(price × gas): the smallest fee that pays for `gas`. */
export function requiredFee(p: GasPrice, gas: bigint): bigint {
  return (p.numerator * gas + p.denominator - 1n) / p.denominator;
}

export const DefaultAuthParams: AuthParams = {
  maxMemoCharacters: 256n,
  txSigLimit: 7n,
  txSizeCostPerByte: 10n,
  sigVerifyCostSecp256k1: 1000n,
  minGasPrice: parseGasPrice(DEFAULT_GAS_PRICE),
};
