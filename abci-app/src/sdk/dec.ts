import { ErrInvalidRequest } from "./errors.ts";

/**
 * Fixed-point decimals as the SDK's LegacyDec: a bigint scaled by 10^18. On the protobuf wire (commission rates,
 * shares, DecCoin amounts, mint and distribution params) a Dec is its scaled integer in decimal
 * ("100000000000000000" is 0.1), which is what cosmjs sends and expects.
 */
export const DEC_ONE = 10n ** 18n;
const WIRE_DEC = /^\d{1,96}$/;
const HUMAN_DEC = /^(\d{1,60})(?:\.(\d{1,18}))?$/;

export function parseWireDec(s: string, field: string): bigint {
  if (!WIRE_DEC.test(s)) throw ErrInvalidRequest.wrap(`${field}: ${JSON.stringify(s.slice(0, 100))} is not a decimal (the wire form is the integer scaled by 10^18)`);
  return BigInt(s);
}

export const toWireDec = (d: bigint): string => d.toString();

/** "0.1" -> 10^17; for CLI input and genesis files. */
export function parseHumanDec(s: string, field: string): bigint {
  const m = HUMAN_DEC.exec(s);
  if (!m) throw ErrInvalidRequest.wrap(`${field}: ${JSON.stringify(s.slice(0, 100))} is not a non-negative decimal with at most 18 fraction digits`);
  return BigInt(m[1] ?? "0") * DEC_ONE + BigInt((m[2] ?? "").padEnd(18, "0") || "0");
}

/** 10^17 -> "0.100000000000000000", the SDK's LegacyDec.String(). */
export function formatDec(d: bigint): string {
  const neg = d < 0n;
  const a = neg ? -d : d;
  return `${neg ? "-" : ""}${a / DEC_ONE}.${(a % DEC_ONE).toString().padStart(18, "0")}`;
}

/** a × b of two Decs, truncated (LegacyDec.MulTruncate). */
export const mulDecTruncate = (a: bigint, b: bigint): bigint => (a * b) / DEC_ONE;

/** a ÷ b of two Decs, truncated (LegacyDec.QuoTruncate); b > 0. */
export function quoDecTruncate(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new Error("quoDecTruncate: non-positive divisor");
  return (a * DEC_ONE) / b;
}

/** floor(a * b / c); c > 0. */
export function mulDivFloor(a: bigint, b: bigint, c: bigint): bigint {
  if (c <= 0n) throw new Error("mulDivFloor: non-positive divisor");
  return (a * b) / c;
}
