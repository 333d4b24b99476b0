import { ErrInvalidRequest } from "../../../sdk/errors.ts";
import type { GenesisHandler } from "../../../sdk/module.ts";
import type { CounterKeeper } from "./keeper.ts";
import type { CounterGenesis } from "./types.ts";

export function counterGenesis(k: CounterKeeper): GenesisHandler<CounterGenesis> {
  return {
    defaultGenesis: () => ({ count: 0n, validatorKey: new Uint8Array(32) }),
    validateGenesis(raw) {
      const g = (raw ?? {}) as { count?: unknown; validator_key?: unknown };
      if (typeof g.count !== "string" || !/^\d{1,18}$/.test(g.count)) throw ErrInvalidRequest.wrap("counter genesis: count must be a decimal string");
      const key = typeof g.validator_key === "string" ? Buffer.from(g.validator_key, "base64") : undefined;
      if (key?.length !== 32) throw ErrInvalidRequest.wrap("counter genesis: validator_key must be a base64 32-byte ed25519 key");
      return { count: BigInt(g.count), validatorKey: new Uint8Array(key) };
    },
    initGenesis(ctx, gs) {
      k.setCount(ctx.store, gs.count);
      k.setValidatorKey(ctx.store, gs.validatorKey);
    },
    exportGenesis: (ctx) => ({ count: k.count(ctx.store), validatorKey: k.validatorKey(ctx.store) }),
    toJson: (g) => ({ count: g.count.toString(), validator_key: Buffer.from(g.validatorKey).toString("base64") }),
  };
}
