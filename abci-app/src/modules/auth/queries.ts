import {
  AddressBytesToStringRequest, AddressBytesToStringResponse, AddressStringToBytesRequest, AddressStringToBytesResponse, Bech32PrefixResponse,
  QueryAccountInfoRequest, QueryAccountInfoResponse, QueryAccountRequest, QueryAccountResponse, QueryAccountsRequest, QueryAccountsResponse,
  QueryModuleAccountByNameRequest, QueryModuleAccountByNameResponse, QueryModuleAccountsResponse, QueryParamsResponse,
} from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount, ModuleAccount, Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { Any } from "cosmjs-types/google/protobuf/any";
import { ErrInvalidAddress, ErrInvalidRequest, ErrKeyNotFound } from "../../sdk/errors.ts";
import { addressBytes, BECH32_PREFIX, bech32Address } from "../../sdk/address.ts";
import type { KVReader } from "../../store/index.ts";
import type { QueryHandler } from "../../sdk/module.ts";
import { paginate } from "../../sdk/pagination.ts";
import { schema } from "../../sdk/proto-scan.ts";
import { PageRequest } from "../../sdk/tx/schemas.ts";
import type { ModuleAccountsView } from "./expected-keepers.ts";
import { BASE_ACCOUNT_TYPE, MODULE_ACCOUNT_TYPE, type AuthViewKeeper } from "./keeper.ts";

const S = "cosmos.auth.v1beta1.";
const AccountRequest = schema(`${S}QueryAccountRequest`, [[1, { name: "address", kind: "string" }]]);
const AccountsRequest = schema(`${S}QueryAccountsRequest`, [[1, { name: "pagination", kind: "message", message: () => PageRequest }]]);
const ParamsRequest = schema(`${S}QueryParamsRequest`, []);
const ModuleAccountsRequest = schema(`${S}QueryModuleAccountsRequest`, []);
const ModuleAccountByNameRequest = schema(`${S}QueryModuleAccountByNameRequest`, [[1, { name: "name", kind: "string" }]]);
const Bech32PrefixRequest = schema(`${S}Bech32PrefixRequest`, []);
const BytesToStringRequest = schema(`${S}AddressBytesToStringRequest`, [[1, { name: "address_bytes", kind: "bytes" }]]);
const StringToBytesRequest = schema(`${S}AddressStringToBytesRequest`, [[1, { name: "address_string", kind: "string" }]]);
const AccountInfoRequest = schema(`${S}QueryAccountInfoRequest`, [[1, { name: "address", kind: "string" }]]);

const baseAccountAny = (acc: BaseAccount): Any => Any.fromPartial({ typeUrl: BASE_ACCOUNT_TYPE, value: BaseAccount.encode(acc).finish() });

/** The account stored at `address`, or the SDK's NotFound (cosmjs maps exactly this text to `null`: keep the gRPC wording). */
function account(keeper: AuthViewKeeper, store: KVReader, address: string): BaseAccount {
  addressBytes(address);
  const acc = keeper.getAccount(store, address);
  if (!acc) throw ErrKeyNotFound.wrap(`rpc error: code = NotFound desc = account ${address} not found`);
  return acc;
}

/**
 * x/auth's Query service (SDK v0.50 x/auth/keeper/grpc_query.go) but AccountAddressByID: accounts are stored by
 * address only, so finding one by number would take a scan of every account.
 *
 * Module accounts: this chain stores no ModuleAccount records. A module account's address gets a plain BaseAccount
 * when it first holds coins (as any address does), and its name and permissions are the modules' declarations. The
 * ModuleAccount answered joins the two, by name (ModuleAccounts, ModuleAccountByName) and at its address (Account,
 * each of Accounts' entries), as the SDK answers it everywhere; AccountInfo is the base fields, for any account, as the
 * SDK's. One whose address has no account yet is absent from the lists and a NotFound by name and by address (the SDK
 * would make one up with the next account number, uncommitted).
 */
export function authQueries(keeper: AuthViewKeeper, moduleAccounts: ModuleAccountsView): QueryHandler[] {
  type Declared = { readonly name: string; readonly address: string; readonly permissions: readonly string[] };
  /** The ModuleAccount of declaration `m`, whose stored account is `acc`: every query that answers one builds it here. */
  const moduleAccountOf = (m: Declared, acc: BaseAccount): Any =>
    Any.fromPartial({ typeUrl: MODULE_ACCOUNT_TYPE, value: ModuleAccount.encode(ModuleAccount.fromPartial({ baseAccount: acc, name: m.name, permissions: [...m.permissions] })).finish() });
  const moduleAccountAny = (store: KVReader, m: Declared): Any | undefined => {
    const acc = keeper.getAccount(store, m.address);
    return acc ? moduleAccountOf(m, acc) : undefined;
  };
  /** A stored account as Account and Accounts answer it: the ModuleAccount at a module account's address, else the BaseAccount. */
  const accountAny = (acc: BaseAccount): Any => {
    const m = moduleAccounts.list().find((x) => x.address === acc.address);
    return m ? moduleAccountOf(m, acc) : baseAccountAny(acc);
  };
  return [
    {
      path: "/cosmos.auth.v1beta1.Query/Account",
      request: AccountRequest,
      handle(ctx, data) {
        const { address } = QueryAccountRequest.decode(data);
        return QueryAccountResponse.encode({ account: accountAny(account(keeper, ctx.store, address)) }).finish();
      },
    },
    {
      path: "/cosmos.auth.v1beta1.Query/Accounts",
      request: AccountsRequest,
      handle(ctx, data) {
        const req = QueryAccountsRequest.decode(data);
        const { items, page } = paginate(req.pagination, (start) => keeper.iterateAccountsFrom(ctx.store, start), accountAny);
        return QueryAccountsResponse.encode({ accounts: items, pagination: page }).finish();
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
    {
      path: "/cosmos.auth.v1beta1.Query/ModuleAccounts",
      request: ModuleAccountsRequest,
      handle(ctx) {
        // by name, as the SDK sorts them
        const sorted = [...moduleAccounts.list()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        const accounts = sorted.flatMap((m) => moduleAccountAny(ctx.store, m) ?? []);
        return QueryModuleAccountsResponse.encode({ accounts }).finish();
      },
    },
    {
      path: "/cosmos.auth.v1beta1.Query/ModuleAccountByName",
      request: ModuleAccountByNameRequest,
      handle(ctx, data) {
        const { name } = QueryModuleAccountByNameRequest.decode(data);
        if (name === "") throw ErrInvalidRequest.wrap("module name is empty");
        const m = moduleAccounts.list().find((x) => x.name === name);
        if (!m) throw ErrKeyNotFound.wrap(`module account ${JSON.stringify(name.slice(0, 100))} not found (this chain's: ${moduleAccounts.list().map((x) => x.name).sort().join(", ")})`);
        const any = moduleAccountAny(ctx.store, m);
        if (!any) throw ErrKeyNotFound.wrap(`module account ${name} (${m.address}) has no account on chain yet: it gets one when it first holds coins`);
        return QueryModuleAccountByNameResponse.encode({ account: any }).finish();
      },
    },
    {
      path: "/cosmos.auth.v1beta1.Query/Bech32Prefix",
      request: Bech32PrefixRequest,
      handle: () => Bech32PrefixResponse.encode({ bech32Prefix: BECH32_PREFIX }).finish(),
    },
    {
      path: "/cosmos.auth.v1beta1.Query/AddressBytesToString",
      request: BytesToStringRequest,
      handle(_ctx, data) {
        const { addressBytes: raw } = AddressBytesToStringRequest.decode(data);
        if (raw.length === 0) throw ErrInvalidAddress.wrap("empty address bytes is not allowed");
        if (raw.length !== 20 && raw.length !== 32) throw ErrInvalidAddress.wrap(`address bytes are ${raw.length} bytes; an address is 20 (or 32) bytes`);
        return AddressBytesToStringResponse.encode({ addressString: bech32Address(raw) }).finish();
      },
    },
    {
      path: "/cosmos.auth.v1beta1.Query/AddressStringToBytes",
      request: StringToBytesRequest,
      handle(_ctx, data) {
        const { addressString } = AddressStringToBytesRequest.decode(data);
        if (addressString.trim() === "") throw ErrInvalidAddress.wrap("empty address string is not allowed");
        return AddressStringToBytesResponse.encode({ addressBytes: addressBytes(addressString) }).finish();
      },
    },
    {
      path: "/cosmos.auth.v1beta1.Query/AccountInfo",
      request: AccountInfoRequest,
      handle(ctx, data) {
        const { address } = QueryAccountInfoRequest.decode(data);
        return QueryAccountInfoResponse.encode({ info: account(keeper, ctx.store, address) }).finish();
      },
    },
  ];
}
