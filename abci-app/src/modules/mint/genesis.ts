import { validDenom } from "../../sdk/coins.ts";
import { DEC_ONE, formatDec, parseHumanDec } from "../../sdk/dec.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { readObject } from "../../sdk/genesis-json.ts";
import type { GenesisHandler } from "../../sdk/module.ts";
import type { MintKeeper } from "./keeper.ts";
import { DefaultMinter, DefaultParams, type Minter, type MintParams } from "./types.ts";

export interface MintGenesis {
  readonly params: MintParams;
  readonly minter: Minter;
}

const PARAM_FIELDS = ["mint_denom", "inflation_rate_change", "inflation_max", "inflation_min", "goal_bonded", "blocks_per_year"];

/** A decimal in [0, 1] from its human form ("0.13"), or the default when absent. */
function rate(v: unknown, field: string, dflt: bigint): bigint {
  if (v === undefined) return dflt;
  const d = parseHumanDec(String(v), field);
  if (d > DEC_ONE) throw ErrInvalidRequest.wrap(`${field} must be at most 1`);
  return d;
}

/** The SDK's Params.Validate: valid denom, rates in [0, 1], min ≤ max, a positive goal and blocks per year. */
export function parseMintParams(raw: unknown): MintParams {
  if (raw === undefined) return DefaultParams;
  const p = readObject(raw, "mint params", PARAM_FIELDS);
  const mintDenom = p.mint_denom === undefined ? DefaultParams.mintDenom : String(p.mint_denom);
  if (!validDenom(mintDenom)) throw ErrInvalidRequest.wrap(`mint params.mint_denom ${JSON.stringify(mintDenom.slice(0, 130))} is not a valid denom`);
  const bpy = p.blocks_per_year === undefined ? DefaultParams.blocksPerYear.toString() : String(p.blocks_per_year);
  if (!/^\d{1,19}$/.test(bpy) || BigInt(bpy) === 0n || BigInt(bpy) >= 2n ** 63n) throw ErrInvalidRequest.wrap("mint params.blocks_per_year must be a positive integer");
  const out: MintParams = {
    mintDenom,
    inflationRateChange: rate(p.inflation_rate_change, "mint params.inflation_rate_change", DefaultParams.inflationRateChange),
    inflationMax: rate(p.inflation_max, "mint params.inflation_max", DefaultParams.inflationMax),
    inflationMin: rate(p.inflation_min, "mint params.inflation_min", DefaultParams.inflationMin),
    goalBonded: rate(p.goal_bonded, "mint params.goal_bonded", DefaultParams.goalBonded),
    blocksPerYear: BigInt(bpy),
  };
  if (out.inflationMin > out.inflationMax) throw ErrInvalidRequest.wrap("mint params: inflation_min must not exceed inflation_max");
  if (out.goalBonded === 0n) throw ErrInvalidRequest.wrap("mint params.goal_bonded must be positive");
  return out;
}

export function mintGenesisJson(g: MintGenesis): Record<string, unknown> {
  const p = g.params;
  return {
    params: {
      mint_denom: p.mintDenom, inflation_rate_change: formatDec(p.inflationRateChange), inflation_max: formatDec(p.inflationMax),
      inflation_min: formatDec(p.inflationMin), goal_bonded: formatDec(p.goalBonded), blocks_per_year: p.blocksPerYear.toString(),
    },
    minter: { inflation: formatDec(g.minter.inflation), annual_provisions: formatDec(g.minter.annualProvisions) },
  };
}

export function mintGenesis(k: MintKeeper): GenesisHandler<MintGenesis> {
  return {
    defaultGenesis: () => ({ params: DefaultParams, minter: DefaultMinter }),
    validateGenesis(raw) {
      if (raw === undefined) return { params: DefaultParams, minter: DefaultMinter };
      const g = readObject(raw, "mint genesis", ["params", "minter"]);
      const m = g.minter === undefined ? {} : readObject(g.minter, "mint genesis.minter", ["inflation", "annual_provisions"]);
      const minter: Minter = {
        inflation: rate(m.inflation, "mint genesis.minter.inflation", DefaultMinter.inflation),
        annualProvisions: m.annual_provisions === undefined ? 0n : parseHumanDec(String(m.annual_provisions), "mint genesis.minter.annual_provisions"),
      };
      return { params: parseMintParams(g.params), minter };
    },
    /** Runs after bank's genesis: the supply it recorded is the base of the supply invariant. */
    initGenesis(ctx, gs) {
      k.setParams(ctx.store, gs.params);
      k.setMinter(ctx.store, gs.minter);
      k.setGenesisSupply(ctx.store, k.bank.getSupply(ctx.store, gs.params.mintDenom));
    },
    exportGenesis: (ctx) => ({ params: k.getParams(ctx.store), minter: k.getMinter(ctx.store) }),
    toJson: mintGenesisJson,
  };
}
