import type { RestModule } from "../../../../sdk/client/route-table.ts";
import { QueryCountResponse } from "../types.ts";

export const counterRoutes: RestModule = {
  name: "counter",
  routes: (ctx) => [
    {
      method: "get", path: "/trustnet/counter/v1/count", summary: "The counter's value",
      handler: async (c) => ({ count: QueryCountResponse.decode(await ctx.abciQuery(c, "/trustnet.counter.v1.Query/Count", new Uint8Array())).count.toString() }),
    },
  ],
};
