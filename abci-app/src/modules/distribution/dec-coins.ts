import type { DecCoin } from "cosmjs-types/cosmos/base/v1beta1/coin";
import type { Coin } from "../../sdk/coins.ts";
import { DEC_ONE } from "../../sdk/dec.ts";

/**
 * The SDK's DecCoins: amounts as 18-place fixed point (sdk/dec.ts), sorted by denom, no zero entries. Every
 * operation returns a new list; none rounds up.
 */
export type DecCoins = readonly { readonly denom: string; readonly amount: bigint }[];

function normalize(m: Map<string, bigint>): DecCoins {
  return [...m.entries()].filter(([, a]) => a !== 0n).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([denom, amount]) => ({ denom, amount }));
}

export const fromCoins = (coins: readonly Coin[]): DecCoins => normalize(new Map(coins.map((c) => [c.denom, c.amount * DEC_ONE])));

export function addDec(a: DecCoins, b: DecCoins): DecCoins {
  const m = new Map(a.map((c) => [c.denom, c.amount]));
  for (const c of b) m.set(c.denom, (m.get(c.denom) ?? 0n) + c.amount);
  return normalize(m);
}

/** a − b; a result below zero in any denom is a bug (the caller's accounting is broken), never a user error. */
export function subDec(a: DecCoins, b: DecCoins): DecCoins {
  const m = new Map(a.map((c) => [c.denom, c.amount]));
  for (const c of b) {
    const v = (m.get(c.denom) ?? 0n) - c.amount;
    if (v < 0n) throw new Error(`negative dec coin amount for ${c.denom}`);
    m.set(c.denom, v);
  }
  return normalize(m);
}

/** Each amount × a Dec, truncated (DecCoins.MulDecTruncate). */
export const mulDecTruncate = (a: DecCoins, d: bigint): DecCoins => normalize(new Map(a.map((c) => [c.denom, (c.amount * d) / DEC_ONE])));

/** Each amount ÷ an integer, truncated (DecCoins.QuoDecTruncate by an integral Dec). */
export const quoIntTruncate = (a: DecCoins, n: bigint): DecCoins => normalize(new Map(a.map((c) => [c.denom, c.amount / n])));

/** The per-denom minimum of two lists (DecCoins.Intersect): caps rewards at what is outstanding. */
export function intersect(a: DecCoins, b: DecCoins): DecCoins {
  const m = new Map(b.map((c) => [c.denom, c.amount]));
  return normalize(new Map(a.map((c) => [c.denom, c.amount < (m.get(c.denom) ?? 0n) ? c.amount : (m.get(c.denom) ?? 0n)])));
}

/** Splits into whole coins and the fractional change (DecCoins.TruncateDecimal). */
export function truncate(a: DecCoins): { coins: Coin[]; change: DecCoins } {
  return {
    coins: a.filter((c) => c.amount >= DEC_ONE).map((c) => ({ denom: c.denom, amount: c.amount / DEC_ONE })),
    change: normalize(new Map(a.map((c) => [c.denom, c.amount % DEC_ONE]))),
  };
}

export const isZero = (a: DecCoins): boolean => a.length === 0;
export const anyNegative = (a: DecCoins): boolean => a.some((c) => c.amount < 0n);

/** Wire form (cosmos.base.v1beta1.DecCoin): the amount is the scaled integer as a string. */
export const toWire = (a: DecCoins): DecCoin[] => a.map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
export const fromWire = (a: readonly DecCoin[]): DecCoins => normalize(new Map(a.map((c) => [c.denom, BigInt(c.amount)])));

/** Per-denom a ≤ b. */
export const lte = (a: DecCoins, b: DecCoins): boolean => a.every((c) => c.amount <= (b.find((x) => x.denom === c.denom)?.amount ?? 0n));

/** Per-denom a = b. */
export const equalDec = (a: DecCoins, b: DecCoins): boolean => lte(a, b) && lte(b, a);

/** For messages: "5utrust,7uatom" (scaled amounts), "0" when empty. */
export const showDec = (d: DecCoins): string => d.map((c) => `${c.amount}${c.denom}`).join(",") || "0";
