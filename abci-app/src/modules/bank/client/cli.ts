// `trustnet query bank …`: the bank module's CLI queries, declared as data (cli/ builds the commands).
import {
  QueryAllBalancesRequest, QueryAllBalancesResponse, QueryDenomOwnersRequest, QueryDenomOwnersResponse, QueryParamsResponse, QueryTotalSupplyResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import { allPages, type CliQuery } from "../../../sdk/client/cli-query.ts";

const Q = "/cosmos.bank.v1beta1.Query/";

const coinsText = (coins: readonly { denom: string; amount: string }[], none: string): string => (coins.length === 0 ? none : coins.map((c) => `${c.amount} ${c.denom}`).join("\n"));

export const bankCliQueries: readonly CliQuery[] = [
  {
    name: "balances", describe: "every balance of an account", path: "/cosmos.bank.v1beta1.Query/AllBalances",
    args: [{ name: "address", describe: "trust1… address or key name (default: the active key)", kind: "address", optional: true }],
    encode: (a) => QueryAllBalancesRequest.encode({ address: a.address ?? "", resolveDenom: false }).finish(),
    format(value, a) {
      const balances = QueryAllBalancesResponse.decode(value).balances.map((c) => ({ denom: c.denom, amount: c.amount }));
      return { json: { address: a.address, balances }, text: coinsText(balances, `${a.address} holds nothing`) };
    },
  },
  {
    name: "supply", describe: "the total supply of every denomination", path: "/cosmos.bank.v1beta1.Query/TotalSupply", args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const supply = QueryTotalSupplyResponse.decode(value).supply.map((c) => ({ denom: c.denom, amount: c.amount }));
      return { json: { supply }, text: coinsText(supply, "no supply") };
    },
  },
  {
    name: "params", describe: "the bank parameters (the SDK's defaults, constants: every denomination may be sent)", path: `${Q}Params`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const p = QueryParamsResponse.decode(value).params;
      const j = { send_enabled: (p?.sendEnabled ?? []).map((e) => ({ denom: e.denom, enabled: e.enabled })), default_send_enabled: p?.defaultSendEnabled ?? false };
      return { json: j, text: `send_enabled: ${j.send_enabled.length === 0 ? "none" : j.send_enabled.map((e) => `${e.denom}=${String(e.enabled)}`).join(", ")}\ndefault_send_enabled: ${String(j.default_send_enabled)}` };
    },
  },
  {
    name: "denom-owners", describe: "every account holding a denomination, by address (every page is fetched)",
    args: [{ name: "denom", describe: "denomination, e.g. utrust", kind: "string" }],
    async run(query, a) {
      const denom = a.denom ?? "";
      const owners = await allPages(query, `${Q}DenomOwners`, (key) => QueryDenomOwnersRequest.encode({ denom, pagination: key ? { key, offset: 0n, limit: 0n, countTotal: false, reverse: false } : undefined }).finish(), (value) => {
        const r = QueryDenomOwnersResponse.decode(value);
        return { items: r.denomOwners, nextKey: r.pagination?.nextKey };
      });
      const rows = owners.map((o) => ({ address: o.address, balance: { denom: o.balance?.denom ?? denom, amount: o.balance?.amount ?? "0" } }));
      return { json: { denom, denom_owners: rows }, text: rows.length === 0 ? `no account holds ${denom}` : rows.map((o) => `${o.address}  ${o.balance.amount} ${o.balance.denom}`).join("\n") };
    },
  },
];
