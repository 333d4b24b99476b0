import { ErrInvalidCoins } from "./errors.ts";

/** A coin with a bigint amount. The wire form (cosmos.base.v1beta1.Coin) carries the amount as a decimal string. */
export interface Coin {
  readonly denom: string;
  readonly amount: bigint;
}

/** The chain's native staking and fee denom (1 TRUST = 10^6 utrust). */
export const DENOM = "utrust";

export const MAX_AMOUNT = 2n ** 256n - 1n;
const DENOM_RE = /^[a-zA-Z][a-zA-Z0-9/:._-]{2,127}$/;
const AMOUNT = /^\d{1,78}$/;

export function validDenom(denom: string): boolean {
  return DENOM_RE.test(denom);
}

/** Parses a wire coin strictly: digits only (no sign, exponent or fraction), at most 2^256-1. */
export function parseCoin(c: { readonly denom: string; readonly amount: string }): Coin {
  if (!validDenom(c.denom)) throw ErrInvalidCoins.wrap(`invalid denom ${JSON.stringify(c.denom.slice(0, 140))}`);
  if (!AMOUNT.test(c.amount)) throw ErrInvalidCoins.wrap(`invalid amount ${JSON.stringify(c.amount.slice(0, 100))} for ${c.denom}: must be a non-negative integer`);
  const amount = BigInt(c.amount);
  if (amount > MAX_AMOUNT) throw ErrInvalidCoins.wrap(`amount for ${c.denom} exceeds 2^256-1`);
  return { denom: c.denom, amount };
}

/** A valid, non-empty list of positive coins, sorted by denom without duplicates (the SDK's Coins.Validate). */
export function parsePositiveCoins(list: readonly { readonly denom: string; readonly amount: string }[], what = "amount"): Coin[] {
  if (list.length === 0) throw ErrInvalidCoins.wrap(`${what} is empty`);
  const coins = list.map(parseCoin);
  for (let i = 0; i < coins.length; i++) {
    const c = coins[i] as Coin;
    if (c.amount === 0n) throw ErrInvalidCoins.wrap(`${what}: ${c.denom} amount must be positive`);
    const prev = coins[i - 1];
    if (prev && !(prev.denom < c.denom)) throw ErrInvalidCoins.wrap(`${what}: denoms must be sorted and unique (${prev.denom}, ${c.denom})`);
  }
  return coins;
}

/** Fees may be empty (zero), otherwise like parsePositiveCoins. */
export function parseFeeCoins(list: readonly { readonly denom: string; readonly amount: string }[]): Coin[] {
  return list.length === 0 ? [] : parsePositiveCoins(list, "fee");
}

export function formatCoins(coins: readonly Coin[]): string {
  return coins.map((c) => `${c.amount}${c.denom}`).join(",");
}

export function toWireCoin(c: Coin): { denom: string; amount: string } {
  return { denom: c.denom, amount: c.amount.toString() };
}

/** Sums coin lists by denom; the result is sorted by denom. */
export function sumCoins(lists: readonly (readonly Coin[])[]): Coin[] {
  const m = new Map<string, bigint>();
  for (const l of lists) for (const c of l) m.set(c.denom, (m.get(c.denom) ?? 0n) + c.amount);
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([denom, amount]) => ({ denom, amount }));
}

export function coinsEqual(a: readonly Coin[], b: readonly Coin[]): boolean {
  return a.length === b.length && a.every((c, i) => c.denom === b[i]?.denom && c.amount === b[i]?.amount);
}
