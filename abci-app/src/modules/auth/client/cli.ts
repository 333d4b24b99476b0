// `trustnet query auth …`: the auth module's CLI queries, declared as data (cli/ builds the commands). `-o json`
// prints the REST route's body, as simd prints the gRPC response: {account: …} (account, module-account), {accounts,
// pagination} (accounts: one page), {accounts} (module-accounts).
import {
  QueryAccountRequest, QueryAccountResponse, QueryAccountsRequest, QueryAccountsResponse, QueryModuleAccountByNameRequest, QueryModuleAccountByNameResponse,
  QueryModuleAccountsResponse,
} from "cosmjs-types/cosmos/auth/v1beta1/query";
import { checkPage, type CliQuery, PAGE_OPTIONS, pageOut, pageRequestOf } from "../../../sdk/client/cli-query.ts";
import { accountJson, moduleAccountJson } from "../../../sdk/client/json.ts";
import { accountResponseJson } from "./rest.ts";

const Q = "/cosmos.auth.v1beta1.Query/";
type AccountJson = { address: string; account_number: string; sequence: string; pub_key: { key: string } | null };
type ModuleAccountJson = { base_account: AccountJson | null; name: string; permissions: string[] };

const baseLine = (json: AccountJson): string => `${json.address}  account ${json.account_number}  sequence ${json.sequence}${json.pub_key ? `  pubkey ${json.pub_key.key}` : "  (no public key yet)"}`;
/** Account and Accounts' entries: a BaseAccount, or at a module account's address the ModuleAccount (its line names the module). */
const accountLine = (json: AccountJson | ModuleAccountJson): string =>
  "base_account" in json ? `${json.base_account ? baseLine(json.base_account) : ""}  module account ${json.name}` : baseLine(json);
const moduleAccountLine = (m: ModuleAccountJson): string =>
  `${m.name.padEnd(22)} ${m.base_account?.address ?? ""}  account ${m.base_account?.account_number ?? "?"}${m.permissions.length > 0 ? `  (${m.permissions.join(", ")})` : ""}`;

export const authCliQueries: readonly CliQuery[] = [
  {
    name: "account", describe: "an account: its number, sequence and public key (a module account's: also its name and permissions)", path: `${Q}Account`,
    args: [{ name: "address", describe: "trust1… address or key name (default: the active key)", kind: "address", optional: true }],
    encode: (a) => QueryAccountRequest.encode({ address: a.address ?? "" }).finish(),
    format(value) {
      const json = accountResponseJson(QueryAccountResponse.decode(value));
      return { json, text: accountLine(json.account as AccountJson | ModuleAccountJson) };
    },
  },
  {
    name: "accounts", describe: "the accounts on chain, by address bytes: one page (--limit, --page-key)", path: `${Q}Accounts`, args: [],
    options: PAGE_OPTIONS, check: checkPage,
    encode: (a) => QueryAccountsRequest.encode({ pagination: pageRequestOf(a) }).finish(),
    format(value) {
      const r = QueryAccountsResponse.decode(value);
      const rows = r.accounts.map((a) => accountJson(a) as AccountJson | ModuleAccountJson);
      const page = pageOut(r.pagination);
      return { json: { accounts: rows, pagination: page.json }, text: (rows.length === 0 ? "no accounts on this page" : rows.map(accountLine).join("\n")) + page.more };
    },
  },
  {
    name: "module-accounts", describe: "the module accounts that hold an account on chain: name, address, number, permissions", path: `${Q}ModuleAccounts`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const rows = QueryModuleAccountsResponse.decode(value).accounts.map((a) => moduleAccountJson(a) as ModuleAccountJson);
      return { json: { accounts: rows }, text: rows.length === 0 ? "no module accounts" : rows.map(moduleAccountLine).join("\n") };
    },
  },
  {
    name: "module-account", describe: "one module account, by name (fee_collector, bonded_tokens_pool, …)", path: `${Q}ModuleAccountByName`,
    args: [{ name: "name", describe: "module account name", kind: "string" }],
    encode: (a) => QueryModuleAccountByNameRequest.encode({ name: a.name ?? "" }).finish(),
    format(value) {
      const json = accountResponseJson(QueryModuleAccountByNameResponse.decode(value));
      return { json, text: json.account ? moduleAccountLine(json.account as ModuleAccountJson) : "no module account" };
    },
  },
];
