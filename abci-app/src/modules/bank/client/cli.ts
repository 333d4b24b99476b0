// `trustnet query bank …`: the bank module's CLI queries, declared as data (cli/ builds the commands). `-o json`
// prints the REST route's body, as simd's CLI prints the gRPC response (balances and supply read every page, so they
// print no `pagination`; denom-owners reads one, and prints its `pagination` {next_key, total}).
import {
  QueryAllBalancesRequest, QueryAllBalancesResponse, QueryBalanceRequest, QueryBalanceResponse, QueryDenomMetadataRequest, QueryDenomMetadataResponse,
  QueryDenomOwnersRequest, QueryDenomOwnersResponse, QueryDenomsMetadataRequest, QueryDenomsMetadataResponse, QueryParamsResponse, QuerySendEnabledRequest,
  QuerySendEnabledResponse, QuerySpendableBalancesRequest, QuerySpendableBalancesResponse, QueryTotalSupplyRequest, QueryTotalSupplyResponse,
} from "cosmjs-types/cosmos/bank/v1beta1/query";
import type { Metadata } from "cosmjs-types/cosmos/bank/v1beta1/bank";
import { metadataJson, type MetadataJson, ownerJson, paramsJson } from "./rest.ts";
import { type AbciQuery, allPages, checkPage, type CliQuery, PAGE_OPTIONS, pageAfter, pageOut, pageRequestOf } from "../../../sdk/client/cli-query.ts";
import { coinJson } from "../../../sdk/client/json.ts";
import { pageResponseJson } from "../../../sdk/client/pagination.ts";
import { DENOM } from "../../../sdk/client/route-table.ts";

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

/** A denomination typed by a person, checked as the REST routes check one (`what` names it in the message). */
function checkDenom(denom: string | undefined, what = "denom"): void {
  if (denom !== undefined && !DENOM.test(denom)) throw new Error(`${what}: "${denom.length > 40 ? `${denom.slice(0, 37)}…` : denom}" is not a denomination (a letter, then 2 to 127 letters, digits or / : . _ -; e.g. utrust)`);
}

/** The denominations of `send-enabled` (a variadic argument reaches the query comma-joined). */
const denomList = (v: string | undefined): string[] => (v ?? "").split(",").filter((d) => d !== "");

const metadataText = (m: MetadataJson): string =>
  `${m.base}: ${m.display || "-"}${m.name ? ` (${m.name}${m.symbol ? `, ${m.symbol}` : ""})` : ""}; units ${m.denom_units.map((u) => `${u.denom}=10^${u.exponent}`).join(", ")}${m.description ? `; ${m.description}` : ""}`;

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
    name: "balance", describe: "one balance of an account: a denomination's amount (0 when none)", path: `${Q}Balance`,
    args: [
      { name: "address", describe: "trust1… address or key name", kind: "address" },
      { name: "denom", describe: "denomination, e.g. utrust", kind: "string" },
    ],
    check: (a) => checkDenom(a.denom),
    encode: (a) => QueryBalanceRequest.encode({ address: a.address ?? "", denom: a.denom ?? "" }).finish(),
    format(value, a) {
      // The REST route's body (balances/{address}/by_denom), as simd prints the gRPC response.
      const balance = QueryBalanceResponse.decode(value).balance;
      return { json: { balance: coinJson(balance) }, text: `${balance?.amount ?? "0"} ${balance?.denom ?? a.denom ?? ""}` };
    },
  },
  {
    // One page, as simd's CLI and the REST route (spendable_balances/{address}) read it: an account holds few denominations.
    name: "spendable-balances", describe: "the balances an account can spend (no vesting: its balances): one page (--limit, --page-key)", path: `${Q}SpendableBalances`,
    args: [{ name: "address", describe: "trust1… address or key name (default: the active key)", kind: "address", optional: true }],
    options: PAGE_OPTIONS, check: checkPage,
    encode: (a) => QuerySpendableBalancesRequest.encode({ address: a.address ?? "", pagination: pageRequestOf(a) }).finish(),
    format(value, a) {
      const r = QuerySpendableBalancesResponse.decode(value);
      const balances = r.balances.map((c) => ({ denom: c.denom, amount: c.amount }));
      return { json: { balances, pagination: pageResponseJson(r.pagination) }, text: coinsText(balances, `${a.address} can spend nothing`) + pageOut(r.pagination).more };
    },
  },
  {
    // With a denomination: DenomMetadata ({metadata}); without: DenomsMetadata, one page ({metadatas, pagination}).
    name: "denom-metadata", aliases: ["denoms-metadata"], describe: "a denomination's display metadata, or every denomination's (one page: --limit, --page-key)",
    args: [{ name: "denom", describe: "base denomination, e.g. utrust (default: every denomination)", kind: "string", optional: true }],
    options: PAGE_OPTIONS,
    check(a) {
      checkDenom(a.denom);
      checkPage(a);
    },
    async run(query, a) {
      if (a.denom !== undefined) {
        let value: Uint8Array;
        try {
          value = await query(`${Q}DenomMetadata`, QueryDenomMetadataRequest.encode({ denom: a.denom }).finish());
        } catch (err) {
          // A denomination without metadata is the SDK's ErrKeyNotFound (code 22, "… metadata for denom X: key not found").
          if (err instanceof Error && /\bkey not found\b/u.test(err.message)) throw new Error(`no metadata for denomination ${a.denom} (list those that have some: 'query bank denom-metadata')`, { cause: err });
          throw err;
        }
        const m = metadataJson(QueryDenomMetadataResponse.decode(value).metadata as Metadata);
        return { json: { metadata: m }, text: metadataText(m) };
      }
      const r = QueryDenomsMetadataResponse.decode(await query(`${Q}DenomsMetadata`, QueryDenomsMetadataRequest.encode({ pagination: pageRequestOf(a) }).finish()));
      const metadatas = r.metadatas.map(metadataJson);
      return { json: { metadatas, pagination: pageResponseJson(r.pagination) }, text: (metadatas.length === 0 ? "no denomination has metadata" : metadatas.map(metadataText).join("\n")) + pageOut(r.pagination).more };
    },
  },
  {
    // Every denomination follows default_send_enabled unless it has an entry; none are stored (docs/API.md).
    name: "send-enabled", describe: "the per-denomination send-enabled entries, of the given denominations or all (--limit, --page-key)", path: `${Q}SendEnabled`,
    args: [{ name: "denoms", describe: "denominations (default: every entry)", kind: "string", optional: true, variadic: true }],
    options: PAGE_OPTIONS,
    check(a) {
      for (const d of denomList(a.denoms)) checkDenom(d);
      checkPage(a);
    },
    encode: (a) => {
      const denoms = denomList(a.denoms);
      // As the SDK: with denominations the entries are looked up, not paged.
      return QuerySendEnabledRequest.encode({ denoms, pagination: denoms.length > 0 ? undefined : pageRequestOf(a) }).finish();
    },
    format(value) {
      const r = QuerySendEnabledResponse.decode(value);
      const entries = r.sendEnabled.map((e) => ({ denom: e.denom, enabled: e.enabled }));
      const text = entries.length === 0 ? "no per-denomination entries: every denomination follows default_send_enabled (query bank params)" : entries.map((e) => `${e.denom}=${String(e.enabled)}`).join("\n");
      return { json: { send_enabled: entries, pagination: r.pagination ? pageResponseJson(r.pagination) : null }, text: text + (r.pagination ? pageOut(r.pagination).more : "") };
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
