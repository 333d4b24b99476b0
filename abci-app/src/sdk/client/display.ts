// Amounts for people: utrust shown as TRUST (1 TRUST = 10^6 utrust). The one formatter the CLI and the modules'
// CLI queries share (parsing what users type stays in cli/src/coins.ts).
import { DENOM } from "../coins.ts";

export const DISPLAY_DENOM = "TRUST";
export const DECIMALS = 6;
const UNIT = 10n ** BigInt(DECIMALS);

/** utrust as a decimal TRUST string without trailing zeros: 1500000n → "1.5". */
export function utrustToTrust(utrust: bigint): string {
  const neg = utrust < 0n;
  const abs = neg ? -utrust : utrust;
  const whole = abs / UNIT;
  const frac = (abs % UNIT).toString().padStart(DECIMALS, "0").replace(/0+$/u, "");
  return `${neg ? "-" : ""}${whole}${frac === "" ? "" : `.${frac}`}`;
}

/** For display: 1500000n → "1.5 TRUST". */
export function formatTrust(utrust: bigint): string {
  return `${utrustToTrust(utrust)} ${DISPLAY_DENOM}`;
}

/** A chain coin for display: utrust as TRUST (with the exact base amount), other denoms as they are. */
export function formatCoin(coin: { readonly denom: string; readonly amount: string }): string {
  if (coin.denom !== DENOM) return `${coin.amount}${coin.denom}`;
  return `${formatTrust(BigInt(coin.amount))} (${coin.amount}${DENOM})`;
}
