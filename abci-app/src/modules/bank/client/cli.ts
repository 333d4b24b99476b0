// `trustnet query bank …`: the bank module's CLI queries, declared as data (cli/ builds the commands). `-o json`
// prints the REST route's body, as simd's CLI prints the gRPC response (balances and supply read every page, so they
// print no `pagination`; denom-owners reads one, and prints its `pagination` {next_key, total}).
import {
  QueryAllBalancesRequest, QueryAllBalancesResponse, QueryDenomOwnersRequest, QueryDenomOwnersResponse, QueryParamsResponse, QueryTotalSupplyRequest, QueryTotalSupplyResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import { ownerJson, paramsJson } from "./rest.ts";
import { type AbciQuery, allPages, checkPage, type CliQuery, PAGE_OPTIONS, pageAfter, pageOut, pageRequestOf } from "../../../sdk/client/cli-query.ts";

const Q = "/cosmos.bank.v1beta1.Query/";

const coinsText = (coins: readonly { denom: string; amount: string }[], none: string): string => (coins.length === 0 ? none : coins.map((c) => `${c.amount} ${c.denom}`).join("\n"));

/**
 * Every balance of `address`, every page of AllBalances (100 a page unless asked) read through `query` (one height:
 * atOneHeight), in denomination order: `query bank balances` and `trustnet balance`.
 */
export async function allBalancesOf(query: AbciQuery, address: string): Promise<{ denom: string; amount: string }[]> {
  return allPages(query, `${Q}AllBalances`, (key) => QueryAllBalancesRequest.encode({ address, pagination: pageAfter(key), resolveDenom: false }).finish(), (value) => {
    const r = QueryAllBalancesResponse.decode(value);
    return { items: r.balances.map((c) => ({ denom: c.denom, amount: c.amount })), nextKey: r.pagination?.nextKey };
  });
}

export const bankCliQueries: readonly CliQuery[] = [
  {
    // AllBalances pages (100 a page unless asked): every page read, so the command still prints every balance
    name: "balances", describe: "every balance of an account",
    args: [{ name: "address", describe: "trust1… address or key name (default: the active key)", kind: "address", optional: true }],
    async run(query, a) {
      const balances = await allBalancesOf(query, a.address ?? "");
      return { json: { balances }, text: coinsText(balances, `${a.address} holds nothing`) };
    },
  },
  {
    // TotalSupply pages (100 a page unless asked): every page read, at one height
    name: "supply", describe: "the total supply of every denomination", args: [],
    async run(query) {
      const supply = await allPages(query, `${Q}TotalSupply`, (key) => QueryTotalSupplyRequest.encode({ pagination: pageAfter(key) }).finish(), (value) => {
        const r = QueryTotalSupplyResponse.decode(value);
        return { items: r.supply.map((c) => ({ denom: c.denom, amount: c.amount })), nextKey: r.pagination?.nextKey };
      });
      return { json: { supply }, text: coinsText(supply, "no supply") };
    },
  },
  {
    name: "params", describe: "the bank parameters (the SDK's defaults, constants: every denomination may be sent)", path: `${Q}Params`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const j = paramsJson(QueryParamsResponse.decode(value).params);
      return { json: { params: j }, text: `send_enabled: ${j.send_enabled.length === 0 ? "none" : j.send_enabled.map((e) => `${e.denom}=${String(e.enabled)}`).join(", ")}\ndefault_send_enabled: ${String(j.default_send_enabled)}` };
    },
  },
  {
    name: "denom-owners", describe: "the accounts holding a denomination, by address: one page (--limit, --page-key)", path: `${Q}DenomOwners`,
    args: [{ name: "denom", describe: "denomination, e.g. utrust", kind: "string" }],
    options: PAGE_OPTIONS, check: checkPage,
    encode: (a) => QueryDenomOwnersRequest.encode({ denom: a.denom ?? "", pagination: pageRequestOf(a) }).finish(),
    format(value, a) {
      const denom = a.denom ?? "";
      const r = QueryDenomOwnersResponse.decode(value);
      const rows = r.denomOwners.map((o) => ({ address: o.address, balance: { denom: o.balance?.denom ?? denom, amount: o.balance?.amount ?? "0" } }));
      const page = pageOut(r.pagination);
      const text = rows.length === 0 ? `no account holds ${denom}${page.more === "" ? "" : " on this page"}` : rows.map((o) => `${o.address}  ${o.balance.amount} ${o.balance.denom}`).join("\n");
      return { json: { denom_owners: r.denomOwners.map(ownerJson), pagination: page.json }, text: text + page.more };
    },
  },
];
