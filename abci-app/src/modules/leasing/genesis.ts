import { ErrInvalidRequest } from "../../sdk/errors.ts";
import type { GenesisHandler } from "../../sdk/module.ts";
import type { LeasingKeeper } from "./keeper.ts";
import { DefaultParams, validateParams } from "./params.ts";
import type { Params } from "./types.ts";

/** Genesis `app_state.leasing`: `{ params }` (JSON, amounts as strings). Providers and leases start empty. */
export interface LeasingGenesis {
  readonly params: Params;
}

const U64 = /^\d{1,19}$/;

function parseParams(raw: unknown): Params {
  if (raw === undefined) return DefaultParams;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw ErrInvalidRequest.wrap("leasing genesis: params must be an object");
  const r = raw as Record<string, unknown>;
  const known = new Set(Object.keys(DefaultParams));
  for (const key of Object.keys(r)) if (!known.has(key)) throw ErrInvalidRequest.wrap(`leasing genesis: unknown param ${key}`);
  const num = (key: keyof Params): bigint => {
    const v = r[key];
    if (v === undefined) return DefaultParams[key] as bigint;
    if (typeof v !== "string" || !U64.test(v)) throw ErrInvalidRequest.wrap(`leasing genesis: params.${key} must be a decimal string`);
    return BigInt(v);
  };
  const minBond = r.minBond === undefined ? DefaultParams.minBond : String(r.minBond);
  const p: Params = {
    minBond, readyTimeoutBlocks: num("readyTimeoutBlocks"), maxClosesPerBlock: num("maxClosesPerBlock"), rewardShareBps: num("rewardShareBps"),
    unitWeightCpu: num("unitWeightCpu"), unitWeightMemory: num("unitWeightMemory"), unitWeightDisk: num("unitWeightDisk"), unitWeightBandwidth: num("unitWeightBandwidth"),
    expectedBlockTimeMs: num("expectedBlockTimeMs"),
  };
  validateParams(p);
  return p;
}

/** The params as genesis JSON (bigints as decimal strings), e.g. for the devnet generator. */
export function leasingGenesisJson(p: Params = DefaultParams): { params: Record<string, string> } {
  return { params: Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)])) };
}

export function leasingGenesis(k: LeasingKeeper): GenesisHandler<LeasingGenesis> {
  return {
    defaultGenesis: () => ({ params: DefaultParams }),
    validateGenesis(raw) {
      if (raw === undefined) return { params: DefaultParams };
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw ErrInvalidRequest.wrap("leasing genesis must be an object");
      const g = raw as Record<string, unknown>;
      for (const key of Object.keys(g)) if (key !== "params") throw ErrInvalidRequest.wrap(`leasing genesis: unknown field ${key} (providers and leases start empty)`);
      return { params: parseParams(g.params) };
    },
    initGenesis(ctx, gs) {
      k.setParams(ctx.store, gs.params);
    },
    exportGenesis: (ctx) => ({ params: k.params(ctx.store) }),
  };
}
