// Amounts of TRUST: parse what users type (`1.5TRUST`, `2trust`, `1500000utrust`) into bigint utrust, and back.
import { DECIMALS, DENOM, DISPLAY_DENOM } from "@trustnet/abci-app";
import { UsageError } from "./errors.ts";

export const BASE_DENOM = DENOM;
export { DECIMALS, DISPLAY_DENOM, formatCoin, formatTrust, utrustToTrust } from "@trustnet/abci-app";
const UNIT = 10n ** BigInt(DECIMALS);
/** Cosmos SDK amounts are 256-bit unsigned integers. */
export const MAX_AMOUNT = 2n ** 256n - 1n;

const EXAMPLES = "write e.g. 1.5TRUST, 2trust or 1500000utrust";

function bad(input: string, why: string): UsageError {
  return new UsageError(`invalid amount "${input}": ${why}`, EXAMPLES);
}

/**
 * Parses one amount into utrust. The display denom is case-insensitive (`TRUST`, `trust`), with up to 6 decimals;
 * the base denom is exactly `utrust`, whole numbers only. Rejects zero (unless `allowZero`), signs, exponents,
 * separators, whitespace, other denoms, and anything above 2^256 - 1.
 */
export function parseAmount(input: string, opts: { readonly allowZero?: boolean } = {}): bigint {
  if (input === "") throw bad(input, "it is empty");
  if (input.length > 100) throw bad(input.slice(0, 20) + "…", "it is too long");
  if (/[\s\u200b-\u200d\u2060\ufeff]/u.test(input)) throw bad(input, "it contains whitespace; write the number and denom together");
  if (/^[+-]/u.test(input)) throw bad(input, input.startsWith("-") ? "amounts cannot be negative" : "no sign allowed");
  const m = /^([0-9]+)(?:\.([0-9]+))?([A-Za-z][A-Za-z0-9/]*)?$/u.exec(input);
  if (m === null) {
    if (/^[0-9.]+e[+-]?[0-9]+/iu.test(input)) throw bad(input, "exponent notation is not accepted");
    if (/[,_]/u.test(input)) throw bad(input, "no thousands separators or lists; one amount only");
    throw bad(input, "expected <number><denom>");
  }
  const [, whole = "", frac, denom] = m;
  if (denom === undefined) throw bad(input, `the denom is missing (${BASE_DENOM} or ${DISPLAY_DENOM})`);
  if (/^e[0-9]/iu.test(denom)) throw bad(input, "exponent notation is not accepted");
  let amount: bigint;
  if (denom.toLowerCase() === "trust") {
    if (frac !== undefined && frac.length > DECIMALS) throw bad(input, `${DISPLAY_DENOM} has at most ${DECIMALS} decimals`);
    amount = BigInt(whole) * UNIT + BigInt((frac ?? "").padEnd(DECIMALS, "0") || "0");
  } else if (denom === BASE_DENOM) {
    if (frac !== undefined) throw bad(input, `${BASE_DENOM} amounts are whole numbers`);
    amount = BigInt(whole);
  } else {
    throw bad(input, `unknown denom "${denom}"${denom.toLowerCase() === BASE_DENOM ? ` (denoms are case-sensitive: ${BASE_DENOM})` : ""}; use ${BASE_DENOM} or ${DISPLAY_DENOM}`);
  }
  if (amount === 0n && opts.allowZero !== true) throw bad(input, "the amount must be greater than zero");
  if (amount > MAX_AMOUNT) throw bad(input, "the amount is larger than 2^256 - 1");
  return amount;
}
