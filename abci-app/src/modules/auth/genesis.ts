import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { readList, readObject } from "../../sdk/genesis-json.ts";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { addressBytes, addressFromPubkey, bech32Address } from "../../sdk/address.ts";
import type { Ctx, QueryCtx } from "../../sdk/context.ts";
import type { GenesisHandler } from "../../sdk/module.ts";
import type { AuthKeeper } from "./keeper.ts";
import { type AuthParams, DefaultAuthParams, formatGasPrice, parseGasPrice } from "./types.ts";

export interface AuthGenesis {
  readonly params: AuthParams;
  /** Accounts created at genesis, in account-number order. */
  readonly accounts: readonly GenesisAccount[];
}

export interface GenesisAccount {
  readonly address: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  /** The 33-byte compressed secp256k1 key, once the account has signed (exported genesis carries it). */
  readonly pubKey?: Uint8Array;
}

function uint(v: unknown, field: string, dflt: bigint): bigint {
  if (v === undefined) return dflt;
  if ((typeof v === "string" && /^\d{1,19}$/.test(v)) || (typeof v === "number" && Number.isSafeInteger(v) && v >= 0)) return BigInt(v);
  throw ErrInvalidRequest.wrap(`auth genesis: ${field} must be a non-negative integer, got ${JSON.stringify(v)}`);
}

export function authGenesis(keeper: AuthKeeper): GenesisHandler<AuthGenesis> {
  return {
    defaultGenesis: () => ({ params: DefaultAuthParams, accounts: [] }),
    validateGenesis(raw) {
      const g = readObject(raw ?? {}, "auth genesis");
      const p = readObject(g.params ?? {}, "auth genesis.params");
      const params: AuthParams = {
        maxMemoCharacters: uint(p.max_memo_characters, "max_memo_characters", DefaultAuthParams.maxMemoCharacters),
        txSigLimit: uint(p.tx_sig_limit, "tx_sig_limit", DefaultAuthParams.txSigLimit),
        txSizeCostPerByte: uint(p.tx_size_cost_per_byte, "tx_size_cost_per_byte", DefaultAuthParams.txSizeCostPerByte),
        sigVerifyCostSecp256k1: uint(p.sig_verify_cost_secp256k1, "sig_verify_cost_secp256k1", DefaultAuthParams.sigVerifyCostSecp256k1),
        minGasPrice: p.min_gas_price === undefined ? DefaultAuthParams.minGasPrice : parseGasPrice(String(p.min_gas_price)),
      };
      const seen = new Set<string>();
      const numbers = new Set<bigint>();
      const accounts = readList(g.accounts, "auth genesis.accounts").map((a, i): GenesisAccount => {
        const o = readObject(a, `auth genesis.accounts[${i}]`);
        const address = bech32Address(addressBytes(String(o.address), `accounts[${i}].address`));
        if (seen.has(address)) throw ErrInvalidRequest.wrap(`auth genesis: duplicate account ${address}`);
        seen.add(address);
        const accountNumber = uint(o.account_number, `accounts[${i}].account_number`, BigInt(i));
        if (numbers.has(accountNumber)) throw ErrInvalidRequest.wrap(`auth genesis: account number ${accountNumber} is used twice`);
        numbers.add(accountNumber);
        const sequence = uint(o.sequence, `accounts[${i}].sequence`, 0n);
        if (o.pub_key === undefined) return { address, accountNumber, sequence };
        const pubKey = typeof o.pub_key === "string" && /^[A-Za-z0-9+/]{44}$/.test(o.pub_key) ? Buffer.from(o.pub_key, "base64") : undefined;
        if (pubKey?.length !== 33) throw ErrInvalidRequest.wrap(`auth genesis: accounts[${i}].pub_key must be a base64 33-byte secp256k1 key`);
        if (addressFromPubkey(pubKey) !== address) throw ErrInvalidRequest.wrap(`auth genesis: accounts[${i}].pub_key is not the key of ${address}`);
        return { address, accountNumber, sequence, pubKey: new Uint8Array(pubKey) };
      });
      return { params, accounts };
    },
    initGenesis(ctx: Ctx, gs) {
      keeper.setParams(ctx.store, gs.params);
      if (gs.accounts.length === 0) return;
      let next = 0n;
      for (const a of gs.accounts) {
        const acc = BaseAccount.fromPartial({ address: a.address, accountNumber: a.accountNumber, sequence: a.sequence });
        if (a.pubKey) keeper.setPubkey(ctx.store, acc, a.pubKey);
        else keeper.setAccount(ctx.store, acc);
        if (a.accountNumber >= next) next = a.accountNumber + 1n;
      }
      keeper.setNextAccountNumber(ctx.store, next);
    },
    toJson: authGenesisJson,
    exportGenesis(ctx: QueryCtx) {
      return {
        params: keeper.getParams(ctx.store),
        accounts: [...keeper.iterateAccounts(ctx.store)]
          .map((a): GenesisAccount => {
            const pubKey = keeper.pubkeyOf(a);
            return pubKey ? { address: a.address, accountNumber: a.accountNumber, sequence: a.sequence, pubKey } : { address: a.address, accountNumber: a.accountNumber, sequence: a.sequence };
          })
          .sort((x, y) => (x.accountNumber < y.accountNumber ? -1 : 1)),
      };
    },
  };
}

/** The JSON form of the auth params, as written in genesis.json. */
export function authParamsJson(p: AuthParams): Record<string, string> {
  return {
    max_memo_characters: p.maxMemoCharacters.toString(),
    tx_sig_limit: p.txSigLimit.toString(),
    tx_size_cost_per_byte: p.txSizeCostPerByte.toString(),
    sig_verify_cost_secp256k1: p.sigVerifyCostSecp256k1.toString(),
    min_gas_price: formatGasPrice(p.minGasPrice),
  };
}

/** The JSON form of an auth genesis section (accounts with their numbers, sequences and keys). */
export function authGenesisJson(g: AuthGenesis): unknown {
  return {
    params: authParamsJson(g.params),
    accounts: g.accounts.map((a) => ({
      address: a.address, account_number: a.accountNumber.toString(), sequence: a.sequence.toString(),
      ...(a.pubKey ? { pub_key: Buffer.from(a.pubKey).toString("base64") } : {}),
    })),
  };
}
