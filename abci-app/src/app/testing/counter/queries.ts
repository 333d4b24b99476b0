import type { QueryHandler } from "../../../sdk/module.ts";
import type { CounterKeeper } from "./keeper.ts";
import { QueryCountRequest, QueryCountResponse } from "./types.ts";

export const CountPath = "/trustnet.counter.v1.Query/Count";

export function counterQueries(k: CounterKeeper): QueryHandler[] {
  return [{ path: CountPath, request: QueryCountRequest.schema, handle: (ctx) => QueryCountResponse.encode({ count: k.count(ctx.store), validatorKey: k.validatorKey(ctx.store) }).finish() }];
}
