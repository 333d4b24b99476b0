import {
  QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse,
  QuerySupplyOfRequest, QuerySupplyOfResponse, QueryTotalSupplyResponse,
  QueryDenomMetadataRequest, QueryDenomMetadataResponse, QueryDenomsMetadataResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import type { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { addressBytes } from "../../app/address.ts";
import { toWireCoin, validDenom } from "../../app/coins.ts";
import { ErrInvalidCoins, ErrKeyNotFound } from "../../app/errors.ts";
import type { QueryHandler } from "../../app/module.ts";
import type { BankViewKeeper } from "./keeper.ts";

/** Display metadata of the native token (a protocol constant: 1 TRUST = 10^6 utrust). */
export const DENOM_METADATA: readonly Metadata[] = [{
  description: "The native staking and fee token of TrustNet",
  denomUnits: [{ denom: "utrust", exponent: 0, aliases: ["microtrust"] }, { denom: "trust", exponent: 6, aliases: [] }],
  base: "utrust", display: "trust", name: "TrustNet", symbol: "TRUST", uri: "", uriHash: "",
}];

function denomOf(d: string): string {
  if (!validDenom(d)) throw ErrInvalidCoins.wrap(`invalid denom ${JSON.stringify(d.slice(0, 140))}`);
  return d;
}

export function bankQueries(keeper: BankViewKeeper): QueryHandler[] {
  return [
    {
      path: "/cosmos.bank.v1beta1.Query/Balance",
      handle(ctx, data) {
        const { address, denom } = QueryBalanceRequest.decode(data);
        addressBytes(address);
        // cosmjs asserts `balance` is present: answer 0 rather than nothing.
        return QueryBalanceResponse.encode({ balance: { denom: denomOf(denom), amount: keeper.getBalance(ctx.store, address, denom).toString() } }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/AllBalances",
      handle(ctx, data) {
        const { address } = QueryAllBalancesRequest.decode(data);
        addressBytes(address);
        return QueryAllBalancesResponse.encode({ balances: keeper.getAllBalances(ctx.store, address).map(toWireCoin), pagination: undefined }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/TotalSupply",
      handle(ctx) {
        return QueryTotalSupplyResponse.encode({ supply: keeper.getTotalSupply(ctx.store).map(toWireCoin), pagination: undefined }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/SupplyOf",
      handle(ctx, data) {
        const { denom } = QuerySupplyOfRequest.decode(data);
        return QuerySupplyOfResponse.encode({ amount: { denom: denomOf(denom), amount: keeper.getSupply(ctx.store, denom).toString() } }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/DenomsMetadata",
      handle() {
        return QueryDenomsMetadataResponse.encode({ metadatas: [...DENOM_METADATA], pagination: undefined }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/DenomMetadata",
      handle(_ctx, data) {
        const { denom } = QueryDenomMetadataRequest.decode(data);
        const m = DENOM_METADATA.find((x) => x.base === denomOf(denom));
        if (!m) throw ErrKeyNotFound.wrap(`client metadata for denom ${denom}`);
        return QueryDenomMetadataResponse.encode({ metadata: m }).finish();
      },
    },
  ];
}
