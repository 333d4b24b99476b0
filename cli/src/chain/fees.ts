// Turning --gas / --fees / --gas-prices / --gas-adjustment into a cosmjs fee, as a pure plan.
import { DEFAULT_GAS_PRICE } from "@trustnet/abci-app";
import { calculateFee, GasPrice, type StdFee } from "@cosmjs/stargate";
import { BASE_DENOM, parseAmount } from "../coins.ts";
import { UsageError } from "../errors.ts";

export { DEFAULT_GAS_PRICE };
export const DEFAULT_GAS_ADJUSTMENT = 1.4;

export interface FeeFlags {
  readonly gas: string;
  readonly fees: string | undefined;
  readonly gasPrices: string;
  readonly gasAdjustment: number;
}

export type FeePlan =
  /** Simulate, gas = ceil(used × adjustment), fee = gas × price. */
  | { readonly kind: "auto"; readonly gasPrice: GasPrice; readonly adjustment: number }
  /** Simulate for gas, but pay exactly `amount`. */
  | { readonly kind: "simulate-gas"; readonly gasPrice: GasPrice; readonly adjustment: number; readonly amount: bigint }
  | { readonly kind: "fixed"; readonly gasPrice: GasPrice; readonly fee: StdFee };

export function parseGasPrice(input: string): GasPrice {
  try {
    const gp = GasPrice.fromString(input);
    if (gp.denom !== BASE_DENOM) throw new Error(`denom ${gp.denom}`);
    return gp;
  } catch {
    throw new UsageError(`invalid --gas-prices "${input}"`, `write it like ${DEFAULT_GAS_PRICE}`);
  }
}

export function planFee(flags: FeeFlags): FeePlan {
  const gasPrice = parseGasPrice(flags.gasPrices);
  if (!Number.isFinite(flags.gasAdjustment) || flags.gasAdjustment < 1 || flags.gasAdjustment > 10) {
    throw new UsageError(`invalid --gas-adjustment ${flags.gasAdjustment}`, "use a number between 1 and 10, e.g. 1.4");
  }
  const fees = flags.fees === undefined || flags.fees === "" ? undefined : parseAmount(flags.fees, { allowZero: true });
  if (flags.gas === "auto") {
    return fees === undefined
      ? { kind: "auto", gasPrice, adjustment: flags.gasAdjustment }
      : { kind: "simulate-gas", gasPrice, adjustment: flags.gasAdjustment, amount: fees };
  }
  if (!/^[1-9][0-9]{0,15}$/u.test(flags.gas) || Number(flags.gas) > Number.MAX_SAFE_INTEGER) {
    throw new UsageError(`invalid --gas "${flags.gas}"`, "use auto or a positive whole number such as 200000");
  }
  const gas = Number(flags.gas);
  const fee = fees === undefined ? calculateFee(gas, gasPrice) : { amount: [{ denom: BASE_DENOM, amount: fees.toString() }], gas: String(gas) };
  return { kind: "fixed", gasPrice, fee };
}

/** The fee for a simulated gas use under a plan that simulates. */
export function feeAfterSimulation(plan: Exclude<FeePlan, { kind: "fixed" }>, gasUsed: number): StdFee {
  const gas = Math.ceil(gasUsed * plan.adjustment);
  if (plan.kind === "auto") return calculateFee(gas, plan.gasPrice);
  return { amount: [{ denom: BASE_DENOM, amount: plan.amount.toString() }], gas: String(gas) };
}
