import {
  QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse,
  QuerySupplyOfRequest, QuerySupplyOfResponse, QueryTotalSupplyResponse,
  QueryDenomMetadataRequest, QueryDenomMetadataResponse, QueryDenomsMetadataResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import type { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { addressBytes } from "../../sdk/address.ts";
import { DENOM, toWireCoin, validDenom } from "../../sdk/coins.ts";
import { ErrInvalidCoins, ErrKeyNotFound } from "../../sdk/errors.ts";
import type { QueryHandler } from "../../sdk/module.ts";
import { schema } from "../../sdk/proto-scan.ts";
import { PageRequest } from "../../sdk/tx/schemas.ts";
import type { BankViewKeeper } from "./keeper.ts";

/** Display metadata of the native token (a protocol constant: 1 TRUST = 10^6 utrust). */
export const DENOM_METADATA: readonly Metadata[] = [{
  description: "The native staking and fee token of TrustNet",
  denomUnits: [{ denom: DENOM, exponent: 0, aliases: ["microtrust"] }, { denom: "trust", exponent: 6, aliases: [] }],
  base: DENOM, display: "trust", name: "TrustNet", symbol: "TRUST", uri: "", uriHash: "",
}];

function denomOf(d: string): string {
  if (!validDenom(d)) throw ErrInvalidCoins.wrap(`invalid denom ${JSON.stringify(d.slice(0, 140))}`);
  return d;
}

const Q = "cosmos.bank.v1beta1.";
const page = { name: "pagination", kind: "message", message: () => PageRequest } as const;
const BalanceRequest = schema(`${Q}QueryBalanceRequest`, [[1, { name: "address", kind: "string" }], [2, { name: "denom", kind: "string" }]]);
const AllBalancesRequest = schema(`${Q}QueryAllBalancesRequest`, [[1, { name: "address", kind: "string" }], [2, page], [3, { name: "resolve_denom", kind: "varint" }]]);
const TotalSupplyRequest = schema(`${Q}QueryTotalSupplyRequest`, [[1, page]]);
const SupplyOfRequest = schema(`${Q}QuerySupplyOfRequest`, [[1, { name: "denom", kind: "string" }]]);
const DenomsMetadataRequest = schema(`${Q}QueryDenomsMetadataRequest`, [[1, page]]);
const DenomMetadataRequest = schema(`${Q}QueryDenomMetadataRequest`, [[1, { name: "denom", kind: "string" }]]);

export function bankQueries(keeper: BankViewKeeper): QueryHandler[] {
  return [
    {
      path: "/cosmos.bank.v1beta1.Query/Balance",
      request: BalanceRequest,
      handle(ctx, data) {
        const { address, denom } = QueryBalanceRequest.decode(data);
        addressBytes(address);
        // cosmjs asserts `balance` is present: answer 0 rather than nothing.
        return QueryBalanceResponse.encode({ balance: { denom: denomOf(denom), amount: keeper.getBalance(ctx.store, address, denom).toString() } }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/AllBalances",
      request: AllBalancesRequest,
      handle(ctx, data) {
        const { address } = QueryAllBalancesRequest.decode(data);
        addressBytes(address);
        return QueryAllBalancesResponse.encode({ balances: keeper.getAllBalances(ctx.store, address).map(toWireCoin), pagination: undefined }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/TotalSupply",
      request: TotalSupplyRequest,
      handle(ctx) {
        return QueryTotalSupplyResponse.encode({ supply: keeper.getTotalSupply(ctx.store).map(toWireCoin), pagination: undefined }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/SupplyOf",
      request: SupplyOfRequest,
      handle(ctx, data) {
        const { denom } = QuerySupplyOfRequest.decode(data);
        return QuerySupplyOfResponse.encode({ amount: { denom: denomOf(denom), amount: keeper.getSupply(ctx.store, denom).toString() } }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/DenomsMetadata",
      request: DenomsMetadataRequest,
      handle() {
        return QueryDenomsMetadataResponse.encode({ metadatas: [...DENOM_METADATA], pagination: undefined }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/DenomMetadata",
      request: DenomMetadataRequest,
      handle(_ctx, data) {
        const { denom } = QueryDenomMetadataRequest.decode(data);
        const m = DENOM_METADATA.find((x) => x.base === denomOf(denom));
        if (!m) throw ErrKeyNotFound.wrap(`client metadata for denom ${denom}`);
        return QueryDenomMetadataResponse.encode({ metadata: m }).finish();
      },
    },
  ];
}
