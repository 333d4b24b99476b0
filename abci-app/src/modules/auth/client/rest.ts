// x/auth's gateway routes.
import { QueryAccountRequest, QueryAccountResponse, QueryParamsResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { accountJson, protoJson } from "../../../sdk/client/json.ts";
import { addressParam, type RestModule, type RestRoute } from "../../../sdk/client/route-table.ts";

export const authRoutes: RestModule = {
  name: "auth",
  routes: (ctx): RestRoute[] => [
    {
      method: "get", path: "/cosmos/auth/v1beta1/accounts/{address}", summary: "An account (BaseAccount as an Any); 404 when it is not on chain", params: [addressParam],
      handler: async (c) => {
        const bytes = await ctx.abciQuery(c, "/cosmos.auth.v1beta1.Query/Account", QueryAccountRequest.encode({ address: c.params.address as string }).finish());
        return { account: accountJson(QueryAccountResponse.decode(bytes).account) };
      },
    },
    {
      method: "get", path: "/cosmos/auth/v1beta1/params", summary: "x/auth parameters",
      handler: async (c) => protoJson(QueryParamsResponse.decode(await ctx.abciQuery(c, "/cosmos.auth.v1beta1.Query/Params", new Uint8Array()))),
    },
  ],
};
