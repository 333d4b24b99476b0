import { QueryAccountRequest, QueryAccountResponse, QueryParamsResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { Any } from "cosmjs-types/google/protobuf/any";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { ErrKeyNotFound } from "../../sdk/errors.ts";
import { addressBytes } from "../../sdk/address.ts";
import type { QueryHandler } from "../../sdk/module.ts";
import { schema } from "../../sdk/proto-scan.ts";
import { BASE_ACCOUNT_TYPE, type AuthViewKeeper } from "./keeper.ts";

const AccountRequest = schema("cosmos.auth.v1beta1.QueryAccountRequest", [[1, { name: "address", kind: "string" }]]);
const ParamsRequest = schema("cosmos.auth.v1beta1.QueryParamsRequest", []);

export function authQueries(keeper: AuthViewKeeper): QueryHandler[] {
  return [
    {
      path: "/cosmos.auth.v1beta1.Query/Account",
      request: AccountRequest,
      handle(ctx, data) {
        const { address } = QueryAccountRequest.decode(data);
        addressBytes(address);
        const acc = keeper.getAccount(ctx.store, address);
        // cosmjs maps exactly this text to `null` (getAccount) - keep the gRPC wording.
        if (!acc) throw ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = account ${address} not found`);
        return QueryAccountResponse.encode({ account: Any.fromPartial({ typeUrl: BASE_ACCOUNT_TYPE, value: BaseAccount.encode(acc).finish() }) }).finish();
      },
    },
    {
      path: "/cosmos.auth.v1beta1.Query/Params",
      request: ParamsRequest,
      handle(ctx) {
        const p = keeper.getParams(ctx.store);
        return QueryParamsResponse.encode({
          params: Params.fromPartial({
            maxMemoCharacters: p.maxMemoCharacters, txSigLimit: p.txSigLimit, txSizeCostPerByte: p.txSizeCostPerByte,
            sigVerifyCostSecp256k1: p.sigVerifyCostSecp256k1, sigVerifyCostEd25519: 590n,
          }),
        }).finish();
      },
    },
  ];
}
