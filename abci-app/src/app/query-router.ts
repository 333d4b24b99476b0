import type { ResponseQuery } from "cosmjs-types/tendermint/abci/types";
import { AppError, ErrUnknownRequest } from "./errors.ts";
import type { QueryCtx } from "./context.ts";
import type { QueryHandler } from "./module.ts";

/** Routes gRPC-style ABCI query paths to handlers; maps AppErrors to code/codespace/log. */
export class QueryRouter {
  readonly #routes = new Map<string, QueryHandler>();

  add(h: QueryHandler): void {
    if (this.#routes.has(h.path)) throw new Error(`query path ${h.path} registered twice`);
    this.#routes.set(h.path, h);
  }

  paths(): string[] {
    return [...this.#routes.keys()].sort();
  }

  run(path: string, data: Uint8Array, ctx: QueryCtx): Partial<ResponseQuery> {
    const h = this.#routes.get(path);
    try {
      if (!h) throw ErrUnknownRequest.wrap(`unknown query path ${JSON.stringify(path.slice(0, 200))}`);
      return { code: 0, value: h.handle(ctx, data), height: ctx.height };
    } catch (err) {
      if (err instanceof AppError) return { code: err.code, codespace: err.codespace, log: err.message, height: ctx.height };
      if (err instanceof Error && /index out of range|invalid wire type|premature EOF/i.test(err.message)) {
        return { code: 2, codespace: "sdk", log: `cannot decode query request: ${err.message}`, height: ctx.height };
      }
      throw err;
    }
  }
}
