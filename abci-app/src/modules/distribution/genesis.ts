import { formatDec, parseHumanDec, DEC_ONE } from "../../sdk/dec.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import type { GenesisHandler } from "../../sdk/module.ts";
import type { DistrKeeper } from "./keeper.ts";
import { DefaultParams, type DistrParams } from "./types.ts";

/**
 * The distribution genesis: its params. Validators' reward records are created by staking's hooks while staking's
 * genesis bonds the genesis validators; the community pool starts empty (no coins back anything else).
 */
export interface DistributionGenesis {
  readonly params: DistrParams;
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw ErrInvalidRequest.wrap(`${what} must be an object`);
  return v as Record<string, unknown>;
}

export function parseDistrParams(raw: unknown): DistrParams {
  if (raw === undefined) return DefaultParams;
  const p = obj(raw, "distribution params");
  for (const k of Object.keys(p)) if (!["community_tax", "withdraw_addr_enabled"].includes(k)) throw ErrInvalidRequest.wrap(`distribution params: unknown field ${JSON.stringify(k)}`);
  const communityTax = p.community_tax === undefined ? DefaultParams.communityTax : parseHumanDec(String(p.community_tax), "distribution params.community_tax");
  if (communityTax > DEC_ONE) throw ErrInvalidRequest.wrap("distribution params.community_tax must be at most 1");
  if (p.withdraw_addr_enabled !== undefined && typeof p.withdraw_addr_enabled !== "boolean") throw ErrInvalidRequest.wrap("distribution params.withdraw_addr_enabled must be true or false");
  return { communityTax, withdrawAddrEnabled: (p.withdraw_addr_enabled as boolean | undefined) ?? DefaultParams.withdrawAddrEnabled };
}

export function distributionGenesisJson(g: DistributionGenesis): Record<string, unknown> {
  return { params: { community_tax: formatDec(g.params.communityTax), withdraw_addr_enabled: g.params.withdrawAddrEnabled } };
}

export function distributionGenesis(k: DistrKeeper): GenesisHandler<DistributionGenesis> {
  return {
    defaultGenesis: () => ({ params: DefaultParams }),
    validateGenesis(raw) {
      if (raw === undefined) return { params: DefaultParams };
      const g = obj(raw, "distribution genesis");
      for (const key of Object.keys(g)) if (key !== "params") throw ErrInvalidRequest.wrap(`distribution genesis: unknown field ${JSON.stringify(key)}`);
      return { params: parseDistrParams(g.params) };
    },
    initGenesis(ctx, gs) {
      k.setParams(ctx.store, gs.params);
      k.setCommunityPool(ctx.store, k.communityPool(ctx.store));
    },
    exportGenesis: (ctx) => ({ params: k.getParams(ctx.store) }),
    toJson: distributionGenesisJson,
  };
}
