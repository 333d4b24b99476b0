// x/auth's gateway routes (SDK v0.50's x/auth Query service but AccountAddressByID: see ../queries.ts).
import {
  AddressBytesToStringRequest, AddressBytesToStringResponse, AddressStringToBytesRequest, AddressStringToBytesResponse, Bech32PrefixResponse,
  QueryAccountInfoRequest, QueryAccountInfoResponse, QueryAccountRequest, QueryAccountResponse, QueryAccountsRequest, QueryAccountsResponse,
  QueryModuleAccountByNameRequest, QueryModuleAccountByNameResponse, QueryModuleAccountsResponse, QueryParamsResponse,
} from "cosmjs-types/cosmos/auth/v1beta1/query";
import { accountJson, baseAccountJson, moduleAccountJson, protoJson } from "../../../sdk/client/json.ts";
import { forwardedPage, pageResponseJson } from "../../../sdk/client/pagination.ts";
import { badRequest } from "../../../sdk/client/rest-errors.ts";
import { addressParam, type RestModule, type RestRoute } from "../../../sdk/client/route-table.ts";
import { BECH32_PREFIX } from "../../../sdk/address.ts";

const Q = "/cosmos.auth.v1beta1.Query/";

/**
 * /accounts/{address} and /module_accounts/{name}'s body, {account: the Any as JSON}; `trustnet query auth account|module-account
 * -o json` prints the same (client/cli.ts), as simd prints the gRPC response.
 */
export const accountResponseJson = (r: QueryAccountResponse | QueryModuleAccountByNameResponse): { account: unknown } => ({ account: accountJson(r.account) });
const BASE64_PATH = /^[A-Za-z0-9+/_-]+={0,2}$/;
/** A bech32 string's shape: a lower-case human-readable part, the separator 1, lower-case letters and digits. */
const BECH32_SHAPE = /^[a-z]{1,83}1[a-z0-9]+$/;

/** Standard or URL-safe base64 (padding optional) to bytes; a 400 otherwise. */
function base64Bytes(s: string): Uint8Array {
  const std = s.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  if (!BASE64_PATH.test(s) || std.length % 4 === 1) throw badRequest(`address_bytes ${JSON.stringify(s.slice(0, 100))} is not base64`);
  return Buffer.from(std, "base64");
}

export const authRoutes: RestModule = {
  name: "auth",
  routes: (ctx): RestRoute[] => [
    {
      method: "get", path: "/cosmos/auth/v1beta1/accounts", summary: "Every account (BaseAccount Anys; a module account's a ModuleAccount Any), in the store's order (by address bytes)", paginated: true,
      handler: async (c) => {
        const r = QueryAccountsResponse.decode(await ctx.abciQuery(c, `${Q}Accounts`, QueryAccountsRequest.encode({ pagination: forwardedPage(c.query) }).finish()));
        return { accounts: r.accounts.map(accountJson), pagination: pageResponseJson(r.pagination) };
      },
    },
    {
      method: "get", path: "/cosmos/auth/v1beta1/accounts/{address}", summary: "An account (BaseAccount as an Any; at a module account's address the ModuleAccount, as module_accounts/{name}); 404 when it is not on chain", params: [addressParam],
      handler: async (c) => {
        const bytes = await ctx.abciQuery(c, `${Q}Account`, QueryAccountRequest.encode({ address: c.params.address as string }).finish());
        return accountResponseJson(QueryAccountResponse.decode(bytes));
      },
    },
    {
      method: "get", path: "/cosmos/auth/v1beta1/account_info/{address}", summary: "An account's address, public key, number and sequence; 404 when it is not on chain", params: [addressParam],
      handler: async (c) => {
        const { info } = QueryAccountInfoResponse.decode(await ctx.abciQuery(c, `${Q}AccountInfo`, QueryAccountInfoRequest.encode({ address: c.params.address as string }).finish()));
        return { info: info ? baseAccountJson(info) : null };
      },
    },
    {
      method: "get", path: "/cosmos/auth/v1beta1/params", summary: "x/auth parameters",
      handler: async (c) => protoJson(QueryParamsResponse.decode(await ctx.abciQuery(c, `${Q}Params`, new Uint8Array()))),
    },
    {
      method: "get", path: "/cosmos/auth/v1beta1/module_accounts", summary: "The module accounts that hold an account on chain (ModuleAccount Anys), by name",
      handler: async (c) => ({ accounts: QueryModuleAccountsResponse.decode(await ctx.abciQuery(c, `${Q}ModuleAccounts`, new Uint8Array())).accounts.map(moduleAccountJson) }),
    },
    {
      method: "get", path: "/cosmos/auth/v1beta1/module_accounts/{name}", summary: "One module account (a ModuleAccount Any); 404 for an unknown name or one with no account on chain yet",
      params: [{ name: "name", in: "path", required: true, description: "module account name (fee_collector, bonded_tokens_pool, …)", pattern: /^[A-Za-z0-9_.-]{1,64}$/ }],
      handler: async (c) => accountResponseJson(QueryModuleAccountByNameResponse.decode(await ctx.abciQuery(c, `${Q}ModuleAccountByName`, QueryModuleAccountByNameRequest.encode({ name: c.params.name as string }).finish()))),
    },
    {
      method: "get", path: "/cosmos/auth/v1beta1/bech32", summary: "The chain's bech32 account prefix",
      handler: async (c) => ({ bech32_prefix: Bech32PrefixResponse.decode(await ctx.abciQuery(c, `${Q}Bech32Prefix`, new Uint8Array())).bech32Prefix }),
    },
    {
      // The SDK's gateway has AddressBytesToString and AddressStringToBytes on this one pattern, and its router (the
      // last registered wins) sends every request to AddressStringToBytes. Here a value of bech32's shape (`hrp1…`,
      // lower case) is an address string (→ its bytes; another prefix gets the chain's "expected prefix trust"),
      // anything else base64 bytes (→ the address string): both conversions are reachable.
      method: "get", path: "/cosmos/auth/v1beta1/bech32/{address}", summary: "A bech32 address (trust1…) → {address_bytes} (base64); base64 address bytes → {address_string}",
      params: [{ name: "address", in: "path", required: true, description: `a bech32 address (${BECH32_PREFIX}1…), or 20 or 32 address bytes in base64 (standard or URL-safe)`, pattern: /^[A-Za-z0-9+/_=-]{1,200}$/ }],
      handler: async (c) => {
        const v = c.params.address as string;
        if (BECH32_SHAPE.test(v)) {
          const r = AddressStringToBytesResponse.decode(await ctx.abciQuery(c, `${Q}AddressStringToBytes`, AddressStringToBytesRequest.encode({ addressString: v }).finish()));
          return { address_bytes: Buffer.from(r.addressBytes).toString("base64") };
        }
        const r = AddressBytesToStringResponse.decode(await ctx.abciQuery(c, `${Q}AddressBytesToString`, AddressBytesToStringRequest.encode({ addressBytes: base64Bytes(v) }).finish()));
        return { address_string: r.addressString };
      },
    },
  ],
};
