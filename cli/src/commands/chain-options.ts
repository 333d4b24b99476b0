// Options shared by the commands that talk to the chain, and how they turn into addresses and fees.
import type { Argv } from "yargs";
import { parseAddress } from "../address.ts";
import { DEFAULT_GAS_ADJUSTMENT, DEFAULT_GAS_PRICE, type FeeFlags } from "../chain/index.ts";
import { keyExists, showKey } from "../keyring/index.ts";

export interface FeeOptions {
  readonly gas: string;
  readonly fees: string | undefined;
  readonly "gas-prices": string;
  readonly "gas-adjustment": number;
}

export function withFeeOptions<T>(y: Argv<T>): Argv<T & FeeOptions> {
  return y
    .option("gas", { type: "string", default: "auto", describe: "gas limit: auto (simulate × --gas-adjustment) or a number" })
    .option("fees", { type: "string", describe: "exact fee to pay, e.g. 5000utrust (default: gas × --gas-prices)" })
    .option("gas-prices", { type: "string", default: process.env.TRUSTNET_GAS_PRICES ?? DEFAULT_GAS_PRICE, describe: "price per unit of gas" })
    .option("gas-adjustment", { type: "number", default: DEFAULT_GAS_ADJUSTMENT, describe: "multiplier on simulated gas with --gas auto" }) as unknown as Argv<T & FeeOptions>;
}

export function feeFlags(a: FeeOptions): FeeFlags {
  return { gas: String(a.gas), fees: a.fees, gasPrices: a["gas-prices"], gasAdjustment: a["gas-adjustment"] };
}

/**
 * An address argument: a key name from the keyring, else a trust1… address (validated); the active key's
 * address when omitted.
 */
export async function resolveAddress(home: string, input: string | undefined): Promise<string> {
  if (input === undefined || input === "") return (await showKey(home, undefined)).address;
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/u.test(input) && (await keyExists(home, input))) return (await showKey(home, input)).address;
  return parseAddress(input);
}
