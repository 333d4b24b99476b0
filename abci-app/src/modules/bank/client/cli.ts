// `trustnet query bank …`: the bank module's CLI queries, declared as data (cli/ builds the commands).
import { QueryAllBalancesRequest, QueryAllBalancesResponse, QueryTotalSupplyResponse } from "cosmjs-types/cosmos/bank/v1beta1/query";
import type { CliQuery } from "../../../sdk/client/cli-query.ts";

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
];
