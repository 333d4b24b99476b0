// Turning --gas / --fees / --gas-prices / --gas-adjustment into a cosmjs fee, as a pure plan.
import { DEFAULT_GAS_PRICE } from "@trustnet/abci-app";
import { calculateFee, GasPrice, type StdFee } from "@cosmjs/stargate";
import { BASE_DENOM, formatTrust, parseAmount } from "../coins.ts";
import { UsageError } from "../errors.ts";

export { DEFAULT_GAS_PRICE };
export const DEFAULT_GAS_ADJUSTMENT = 1.4;
/**
 * The highest fee a tx may pay unless --max-fee raises it: 10 TRUST (10,000,000utrust). A tx at the default gas
 * price pays about 0.005 TRUST (200,000 gas × 0.025utrust), so this is 2,000 times that, yet it stops a slip such
 * as `--fees 1000000TRUST` or `--gas-prices 5000000utrust` (a unit or a few digits off) from paying it.
 */
export const DEFAULT_MAX_FEE = 10_000_000n;

export interface FeeFlags {
  readonly gas: string;
  readonly fees: string | undefined;
  readonly gasPrices: string;
  readonly gasAdjustment: number;
  /** The fee ceiling (`--max-fee`), default DEFAULT_MAX_FEE. */
  readonly maxFee?: string | undefined;
}

/** Every plan carries `maxFee`: a fee above it is refused before anything is signed. */
export type FeePlan =
  /** Simulate, gas = ceil(used × adjustment), fee = gas × price. */
  | { readonly kind: "auto"; readonly gasPrice: GasPrice; readonly adjustment: number; readonly maxFee: bigint }
  /** Simulate for gas, but pay exactly `amount`. */
  | { readonly kind: "simulate-gas"; readonly gasPrice: GasPrice; readonly adjustment: number; readonly amount: bigint; readonly maxFee: bigint }
  | { readonly kind: "fixed"; readonly gasPrice: GasPrice; readonly fee: StdFee; readonly maxFee: bigint };

/** The utrust a fee pays. */
export function feeAmount(fee: StdFee): bigint {
  return fee.amount.reduce((sum, c) => sum + (c.denom === BASE_DENOM ? BigInt(c.amount) : 0n), 0n);
}

/** "0.005 TRUST (5000utrust), gas limit 200000": what a tx is about to pay. */
export function describeFee(fee: StdFee): string {
  const utrust = feeAmount(fee);
  return `fee ${formatTrust(utrust)} (${utrust}${BASE_DENOM}), gas limit ${fee.gas}`;
}

/** A fee as the result JSON of a tx command shows it (the shape of `trustnet tx <hash>`'s `fee`). */
export function feeJson(fee: StdFee): { readonly amount: readonly { readonly denom: string; readonly amount: string }[]; readonly gas_limit: string } {
  return { amount: fee.amount.map((c) => ({ denom: c.denom, amount: c.amount })), gas_limit: fee.gas };
}

/**
 * A fee of `utrust` for `gas`: no coin at all when it is 0, as the SDK's CLI sends `--fees 0utrust` (its
 * ParseCoinsNormalized drops zero coins). A zero-amount coin is never a valid fee on chain ("amount must be
 * positive"), whatever the minimum gas price; an empty fee is what a chain without one accepts, and what one with
 * one refuses as "insufficient fees", naming the fee it requires.
 */
function feeOf(utrust: bigint, gas: number): StdFee {
  return { amount: utrust === 0n ? [] : [{ denom: BASE_DENOM, amount: utrust.toString() }], gas: String(gas) };
}

/** calculateFee with a zero amount dropped (`--gas-prices 0utrust`), as feeOf. */
function feeAtPrice(gas: number, gasPrice: GasPrice): StdFee {
  return feeOf(feeAmount(calculateFee(gas, gasPrice)), gas);
}

function checkCeiling(utrust: bigint, maxFee: bigint, how: string): void {
  if (utrust <= maxFee) return;
  throw new UsageError(
    `the fee would be ${formatTrust(utrust)} (${utrust}${BASE_DENOM}, ${how}), above the ${formatTrust(maxFee)} ceiling; nothing was sent`,
    `check --fees / --gas-prices / --gas; if you mean to pay it, raise the ceiling with --max-fee ${utrust}${BASE_DENOM}`,
  );
}

function parseMaxFee(input: string | undefined): bigint {
  if (input === undefined || input === "") return DEFAULT_MAX_FEE;
  try {
    return parseAmount(input, { allowZero: true });
  } catch (err) {
    throw new UsageError(`invalid --max-fee "${input}": ${err instanceof Error ? err.message : String(err)}`, "write it like 20TRUST or 20000000utrust");
  }
}

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
  const maxFee = parseMaxFee(flags.maxFee);
  const fees = flags.fees === undefined || flags.fees === "" ? undefined : parseAmount(flags.fees, { allowZero: true });
  if (fees !== undefined) checkCeiling(fees, maxFee, "--fees");
  if (flags.gas === "auto") {
    return fees === undefined
      ? { kind: "auto", gasPrice, adjustment: flags.gasAdjustment, maxFee }
      : { kind: "simulate-gas", gasPrice, adjustment: flags.gasAdjustment, amount: fees, maxFee };
  }
  if (!/^[1-9][0-9]{0,15}$/u.test(flags.gas) || Number(flags.gas) > Number.MAX_SAFE_INTEGER) {
    throw new UsageError(`invalid --gas "${flags.gas}"`, "use auto or a positive whole number such as 200000");
  }
  const gas = Number(flags.gas);
  const fee = fees === undefined ? feeAtPrice(gas, gasPrice) : feeOf(fees, gas);
  if (fees === undefined) checkCeiling(feeAmount(fee), maxFee, `${gas} gas × ${flags.gasPrices}`);
  return { kind: "fixed", gasPrice, fee, maxFee };
}

/** The fee for a simulated gas use under a plan that simulates; above the plan's ceiling it is refused (UsageError). */
export function feeAfterSimulation(plan: Exclude<FeePlan, { kind: "fixed" }>, gasUsed: number): StdFee {
  const gas = Math.ceil(gasUsed * plan.adjustment);
  if (plan.kind === "simulate-gas") return feeOf(plan.amount, gas);
  const fee = feeAtPrice(gas, plan.gasPrice);
  checkCeiling(feeAmount(fee), plan.maxFee, `${gas} simulated gas × ${plan.gasPrice.amount.toString()}${plan.gasPrice.denom}`);
  return fee;
}
