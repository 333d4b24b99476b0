// Options shared by the commands that talk to the chain, and how they turn into addresses and fees.
import type { Argv } from "yargs";
import { DEFAULT_GAS_ADJUSTMENT, DEFAULT_GAS_PRICE, type FeeFlags, planFee } from "../chain/index.ts";

export interface FeeOptions {
  readonly gas: string;
  readonly fees: string | undefined;
  readonly "gas-prices": string;
  readonly "gas-adjustment": number;
  readonly "max-fee"?: string | undefined;
}

export function withFeeOptions<T>(y: Argv<T>): Argv<T & FeeOptions> {
  return y
    .option("gas", { type: "string", default: "auto", describe: "gas limit: auto (simulate × --gas-adjustment) or a number" })
    .option("fees", { type: "string", describe: "exact fee to pay, e.g. 5000utrust (default: gas × --gas-prices)" })
    .option("gas-prices", { type: "string", default: process.env.TRUSTNET_GAS_PRICES ?? DEFAULT_GAS_PRICE, describe: "price per unit of gas" })
    .option("gas-adjustment", { type: "number", default: DEFAULT_GAS_ADJUSTMENT, describe: "multiplier on simulated gas with --gas auto" })
    .option("max-fee", { type: "string", describe: "refuse a fee above this (default 10TRUST); raise it to pay more on purpose" })
    // The fee flags are checked as the line is parsed, before a handler looks anything up on the chain.
    .check((argv) => {
      planFee(feeFlags(argv as unknown as FeeOptions));
      return true;
    }) as unknown as Argv<T & FeeOptions>;
}

export function feeFlags(a: FeeOptions): FeeFlags {
  return { gas: String(a.gas), fees: a.fees, gasPrices: a["gas-prices"], gasAdjustment: a["gas-adjustment"], maxFee: a["max-fee"] };
}
