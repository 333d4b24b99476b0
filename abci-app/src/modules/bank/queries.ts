import {
  QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse,
  QuerySupplyOfRequest, QuerySupplyOfResponse, QueryTotalSupplyRequest, QueryTotalSupplyResponse,
  QueryDenomMetadataByQueryStringRequest, QueryDenomMetadataByQueryStringResponse, QueryDenomMetadataRequest, QueryDenomMetadataResponse,
  QueryDenomsMetadataRequest, QueryDenomsMetadataResponse,
  QueryDenomOwnersByQueryRequest, QueryDenomOwnersByQueryResponse, QueryDenomOwnersRequest, QueryDenomOwnersResponse,
  QueryParamsResponse, QuerySendEnabledRequest, QuerySendEnabledResponse,
  QuerySpendableBalanceByDenomRequest, QuerySpendableBalanceByDenomResponse, QuerySpendableBalancesRequest, QuerySpendableBalancesResponse,
  type DenomOwner,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import type { Metadata, Params } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import type { PageRequest as SdkPageRequest, PageResponse as SdkPageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { addressBytes, bech32Address } from "../../sdk/address.ts";
import { DENOM, toWireCoin, validDenom } from "../../sdk/coins.ts";
import { ErrInvalidCoins, ErrInvalidRequest, ErrKeyNotFound } from "../../sdk/errors.ts";
import { fromUtf8, utf8 } from "../../sdk/keys.ts";
import type { QueryCtx } from "../../sdk/context.ts";
import type { QueryHandler } from "../../sdk/module.ts";
import { paginate, paginateSorted } from "../../sdk/pagination.ts";
import { schema } from "../../sdk/proto-scan.ts";
import { PageRequest } from "../../sdk/tx/schemas.ts";
import type { BankViewKeeper } from "./keeper.ts";

/** Display metadata of the native token (a protocol constant: 1 TRUST = 10^6 utrust). */
export const DENOM_METADATA: readonly Metadata[] = [{
  description: "The native staking and fee token of TrustNet",
  denomUnits: [{ denom: DENOM, exponent: 0, aliases: ["microtrust"] }, { denom: "trust", exponent: 6, aliases: [] }],
  base: DENOM, display: "trust", name: "TrustNet", symbol: "TRUST", uri: "", uriHash: "",
}];

/**
 * x/bank's params, constants: TrustNet's bank has no params store and no governance to change them, so it answers the
 * SDK's defaults (every denom may be sent; no per-denom entry).
 */
const BANK_PARAMS: Params = { sendEnabled: [], defaultSendEnabled: true };

function denomOf(d: string): string {
  if (!validDenom(d)) throw ErrInvalidCoins.wrap(`invalid denom ${JSON.stringify(d.slice(0, 140))}`);
  return d;
}

/** The display metadata of one denomination (DenomMetadata and DenomMetadataByQueryString); none known is a not-found. */
function metadataOf(denom: string): Metadata {
  const m = DENOM_METADATA.find((x) => x.base === denomOf(denom));
  if (!m) throw ErrKeyNotFound.wrap(`client metadata for denom ${denom}`);
  return m;
}

const Q = "cosmos.bank.v1beta1.";
const page = { name: "pagination", kind: "message", message: () => PageRequest } as const;
const BalanceRequest = schema(`${Q}QueryBalanceRequest`, [[1, { name: "address", kind: "string" }], [2, { name: "denom", kind: "string" }]]);
const AllBalancesRequest = schema(`${Q}QueryAllBalancesRequest`, [[1, { name: "address", kind: "string" }], [2, page], [3, { name: "resolve_denom", kind: "varint" }]]);
const TotalSupplyRequest = schema(`${Q}QueryTotalSupplyRequest`, [[1, page]]);
const SupplyOfRequest = schema(`${Q}QuerySupplyOfRequest`, [[1, { name: "denom", kind: "string" }]]);
const DenomsMetadataRequest = schema(`${Q}QueryDenomsMetadataRequest`, [[1, page]]);
const DenomMetadataRequest = schema(`${Q}QueryDenomMetadataRequest`, [[1, { name: "denom", kind: "string" }]]);
const DenomMetadataByQueryStringRequest = schema(`${Q}QueryDenomMetadataByQueryStringRequest`, [[1, { name: "denom", kind: "string" }]]);
const ParamsRequest = schema(`${Q}QueryParamsRequest`, []);
const SpendableBalancesRequest = schema(`${Q}QuerySpendableBalancesRequest`, [[1, { name: "address", kind: "string" }], [2, page]]);
const SpendableBalanceByDenomRequest = schema(`${Q}QuerySpendableBalanceByDenomRequest`, [[1, { name: "address", kind: "string" }], [2, { name: "denom", kind: "string" }]]);
const SendEnabledRequest = schema(`${Q}QuerySendEnabledRequest`, [[1, { name: "denoms", kind: "string", repeated: true }], [99, page]]);
const DenomOwnersRequest = schema(`${Q}QueryDenomOwnersRequest`, [[1, { name: "denom", kind: "string" }], [2, page]]);
const DenomOwnersByQueryRequest = schema(`${Q}QueryDenomOwnersByQueryRequest`, [[1, { name: "denom", kind: "string" }], [2, page]]);

/**
 * The holders of `denom`, a page of them in balance-key order (address, as the SDK's denom index orders them). No
 * denom index exists (adding one would change the state layout and the app hash): the balances are scanned and
 * filtered, at most MAX_SCAN entries per query (sdk/pagination.ts); a page the budget ends early has fewer owners,
 * or none, and a next_key to go on from.
 */
function denomOwners(keeper: BankViewKeeper, ctx: QueryCtx, denom: string, req: SdkPageRequest | undefined): { owners: DenomOwner[]; page: SdkPageResponse } {
  denomOf(denom);
  const { items, page: p } = paginate(req, (start) => keeper.balancesKeyed(ctx.store, start), (e) => ({ address: bech32Address(e.addr), balance: { denom, amount: e.amount.toString() } }), (e) => e.denom === denom);
  return { owners: items, page: p };
}

/** One balance of an address (cosmjs asserts `balance` is present: 0 rather than nothing); Balance and SpendableBalanceByDenom. */
function balanceOf(keeper: BankViewKeeper, ctx: QueryCtx, address: string, denom: string): { denom: string; amount: string } {
  addressBytes(address);
  return { denom: denomOf(denom), amount: keeper.getBalance(ctx.store, address, denom).toString() };
}

/** A pagination key of an address's balances: a denomination's bytes (the next_key of the previous page). */
function denomKey(key: Uint8Array): void {
  let denom: string | undefined;
  try {
    denom = fromUtf8(key);
  } catch {
    denom = undefined;
  }
  if (denom === undefined || !validDenom(denom)) throw ErrInvalidRequest.wrap("pagination key is not a denomination: give the next_key of the previous page");
}

/**
 * A page of an address's balances, by denom (the store's order, as the SDK pages them); AllBalances and
 * SpendableBalances (no vesting: the same), over ABCI and so over REST, which forwards the request's pagination.
 */
function balancesOf(keeper: BankViewKeeper, ctx: QueryCtx, address: string, req: SdkPageRequest | undefined): { balances: { denom: string; amount: string }[]; pagination: SdkPageResponse } {
  addressBytes(address);
  const { items, page: p } = paginateSorted(keeper.getAllBalances(ctx.store, address).map(toWireCoin), req, (c) => utf8(c.denom), denomKey);
  return { balances: items, pagination: p };
}

export function bankQueries(keeper: BankViewKeeper): QueryHandler[] {
  return [
    {
      path: "/cosmos.bank.v1beta1.Query/Balance",
      request: BalanceRequest,
      handle(ctx, data) {
        const { address, denom } = QueryBalanceRequest.decode(data);
        return QueryBalanceResponse.encode({ balance: balanceOf(keeper, ctx, address, denom) }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/AllBalances",
      request: AllBalancesRequest,
      handle(ctx, data) {
        const { address, pagination } = QueryAllBalancesRequest.decode(data);
        return QueryAllBalancesResponse.encode(balancesOf(keeper, ctx, address, pagination)).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/TotalSupply",
      request: TotalSupplyRequest,
      handle(ctx, data) {
        // paged by denom as the SDK pages it (the store's order), as AllBalances
        const { items, page: p } = paginateSorted(keeper.getTotalSupply(ctx.store).map(toWireCoin), QueryTotalSupplyRequest.decode(data).pagination, (c) => utf8(c.denom), denomKey);
        return QueryTotalSupplyResponse.encode({ supply: items, pagination: p }).finish();
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
      handle(_ctx, data) {
        const { items, page: p } = paginateSorted(DENOM_METADATA, QueryDenomsMetadataRequest.decode(data).pagination, (m) => utf8(m.base), denomKey);
        return QueryDenomsMetadataResponse.encode({ metadatas: items, pagination: p }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/DenomMetadata",
      request: DenomMetadataRequest,
      handle(_ctx, data) {
        return QueryDenomMetadataResponse.encode({ metadata: metadataOf(QueryDenomMetadataRequest.decode(data).denom) }).finish();
      },
    },
    {
      // SDK v0.50: DenomMetadata with the denom in the gateway's query string (denoms holding '/' need no path escaping).
      path: "/cosmos.bank.v1beta1.Query/DenomMetadataByQueryString",
      request: DenomMetadataByQueryStringRequest,
      handle(_ctx, data) {
        return QueryDenomMetadataByQueryStringResponse.encode({ metadata: metadataOf(QueryDenomMetadataByQueryStringRequest.decode(data).denom) }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/Params",
      request: ParamsRequest,
      handle() {
        return QueryParamsResponse.encode({ params: BANK_PARAMS }).finish();
      },
    },
    {
      // No vesting accounts and no locked coins: what an account may spend is its balance.
      path: "/cosmos.bank.v1beta1.Query/SpendableBalances",
      request: SpendableBalancesRequest,
      handle(ctx, data) {
        const { address, pagination } = QuerySpendableBalancesRequest.decode(data);
        return QuerySpendableBalancesResponse.encode(balancesOf(keeper, ctx, address, pagination)).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/SpendableBalanceByDenom",
      request: SpendableBalanceByDenomRequest,
      handle(ctx, data) {
        const { address, denom } = QuerySpendableBalanceByDenomRequest.decode(data);
        return QuerySpendableBalanceByDenomResponse.encode({ balance: balanceOf(keeper, ctx, address, denom) }).finish();
      },
    },
    {
      // The SDK answers the per-denom entries stored (params.send_enabled is deprecated for them); TrustNet stores
      // none. Asked for denoms, it answers no pagination (as the SDK); asked for the list, an empty page.
      path: "/cosmos.bank.v1beta1.Query/SendEnabled",
      request: SendEnabledRequest,
      handle(_ctx, data) {
        const req = QuerySendEnabledRequest.decode(data);
        for (const d of req.denoms) denomOf(d);
        if (req.denoms.length > 0) return QuerySendEnabledResponse.encode({ sendEnabled: [], pagination: undefined }).finish();
        // The empty list through the shared pager: its page request is checked (limit, key with offset) as any list's.
        return QuerySendEnabledResponse.encode({ sendEnabled: [], pagination: paginate(req.pagination, () => [], (x: never) => x).page }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/DenomOwners",
      request: DenomOwnersRequest,
      handle(ctx, data) {
        const req = QueryDenomOwnersRequest.decode(data);
        const { owners, page: p } = denomOwners(keeper, ctx, req.denom, req.pagination);
        return QueryDenomOwnersResponse.encode({ denomOwners: owners, pagination: p }).finish();
      },
    },
    {
      path: "/cosmos.bank.v1beta1.Query/DenomOwnersByQuery",
      request: DenomOwnersByQueryRequest,
      handle(ctx, data) {
        const req = QueryDenomOwnersByQueryRequest.decode(data);
        const { owners, page: p } = denomOwners(keeper, ctx, req.denom, req.pagination);
        return QueryDenomOwnersByQueryResponse.encode({ denomOwners: owners, pagination: p }).finish();
      },
    },
  ];
}
