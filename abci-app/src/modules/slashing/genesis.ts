import { ErrInvalidRequest } from "../../sdk/errors.ts";
import type { GenesisHandler } from "../../sdk/module.ts";
import type { SlashingKeeper } from "./keeper.ts";
import { DefaultParams, paramsJson, parseParams, type SlashingParams } from "./params.ts";

/** The slashing genesis section: params only (signing infos start when staking bonds a validator, genesis included). */
export interface SlashingGenesis {
  readonly params: SlashingParams;
}

export function slashingGenesis(k: SlashingKeeper): GenesisHandler<SlashingGenesis> {
  return {
    defaultGenesis: () => ({ params: DefaultParams }),
    validateGenesis(raw) {
      if (raw === undefined) return { params: DefaultParams };
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw ErrInvalidRequest.wrap("slashing genesis must be an object");
      for (const key of Object.keys(raw)) if (key !== "params") throw ErrInvalidRequest.wrap(`unknown field ${JSON.stringify(key)}`);
      return { params: parseParams((raw as Record<string, unknown>).params) };
    },
    initGenesis(ctx, gs) {
      k.setParams(ctx.store, gs.params);
    },
    exportGenesis: (ctx) => ({ params: k.getParams(ctx.store) }),
    toJson: (g) => slashingGenesisJson(g),
  };
}

/** The JSON form of a slashing genesis section (what `trustnet devnet` writes). */
export const slashingGenesisJson = (g: SlashingGenesis): unknown => ({ params: paramsJson(g.params) });
