import { BaseAccount, Params } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { Any } from "cosmjs-types/google/protobuf/any";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import { addressBytes, bech32Address } from "../../sdk/address.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { fromUtf8, startsWith, utf8 } from "../../sdk/keys.ts";
import { protoReader } from "../../sdk/proto-reader.ts";
import { bytesEqual, type KVStore, type KVReader } from "../../store/index.ts";
import { accountKey, Prefix } from "./keys.ts";
import { type AuthParams, DefaultAuthParams, formatGasPrice, parseGasPrice } from "./types.ts";

export const PUBKEY_TYPE_SECP256K1 = "/cosmos.crypto.secp256k1.PubKey";
export const BASE_ACCOUNT_TYPE = "/cosmos.auth.v1beta1.BaseAccount";
export const MODULE_ACCOUNT_TYPE = "/cosmos.auth.v1beta1.ModuleAccount";

/** Read-only view of accounts. */
export class AuthViewKeeper {
  /** The last params parsed, with the bytes they came from: every tx's ante reads them, and they rarely change. */
  #params: { readonly raw: Uint8Array; readonly gp: Uint8Array; readonly params: AuthParams } | undefined;

  getAccount(store: KVReader, address: string): BaseAccount | undefined {
    const raw = store.get(accountKey(addressBytes(address)));
    return raw ? BaseAccount.decode(protoReader(raw)) : undefined;
  }

  /** Whether the account exists: the same one store read as getAccount (so the same gas), without decoding it. */
  hasAccount(store: KVReader, address: string): boolean {
    return store.get(accountKey(addressBytes(address))) !== undefined;
  }

  *iterateAccounts(store: KVReader): IterableIterator<BaseAccount> {
    for (const [, v] of store.iterate(Prefix.account)) yield BaseAccount.decode(protoReader(v));
  }

  /**
   * [store key, account] in key order (the raw address's) from `start` (a store key, inclusive): for paging. A `start`
   * that is not an account key (another list's next_key, or garbage) is refused before anything is read: the store
   * would clamp it to the first account, or past the last (an empty page answered as the end of the list).
   */
  *iterateAccountsFrom(store: KVReader, start?: Uint8Array): IterableIterator<[Uint8Array, BaseAccount]> {
    if (start && !startsWith(start, Prefix.account)) throw ErrInvalidRequest.wrap("pagination key is not an account key: give the next_key of the previous page");
    for (const [k, v] of store.iterate(Prefix.account, start ? { start } : {})) yield [k, BaseAccount.decode(protoReader(v))];
  }

  getParams(store: KVReader): AuthParams {
    const raw = store.get(Prefix.params);
    const gp = store.get(Prefix.minGasPrice);
    if (!raw || !gp) return DefaultAuthParams;
    // The same bytes parse to the same params (a pure function), so the last parse is reused when the bytes match.
    const last = this.#params;
    if (last && bytesEqual(last.raw, raw) && bytesEqual(last.gp, gp)) return last.params;
    const p = Params.decode(raw);
    const params: AuthParams = Object.freeze({
      maxMemoCharacters: p.maxMemoCharacters,
      txSigLimit: p.txSigLimit,
      txSizeCostPerByte: p.txSizeCostPerByte,
      sigVerifyCostSecp256k1: p.sigVerifyCostSecp256k1,
      minGasPrice: Object.freeze(parseGasPrice(fromUtf8(gp))),
    });
    this.#params = { raw: raw.slice(), gp: gp.slice(), params };
    return params;
  }

  /** The 33-byte compressed secp256k1 key recorded for the account, if any. */
  pubkeyOf(acc: BaseAccount): Uint8Array | undefined {
    if (!acc.pubKey || acc.pubKey.typeUrl !== PUBKEY_TYPE_SECP256K1) return undefined;
    return PubKey.decode(acc.pubKey.value).key;
  }
}

/** The auth keeper: the only code that writes accounts. */
export class AuthKeeper extends AuthViewKeeper {
  setAccount(store: KVStore, acc: BaseAccount): void {
    store.set(accountKey(addressBytes(acc.address)), BaseAccount.encode(acc).finish());
  }

  nextAccountNumber(store: KVStore): bigint {
    const raw = store.get(Prefix.nextAccountNumber);
    const n = raw ? BigInt(fromUtf8(raw)) : 0n;
    store.set(Prefix.nextAccountNumber, utf8((n + 1n).toString()));
    return n;
  }

  /** Genesis only: the number the next new account gets. */
  setNextAccountNumber(store: KVStore, n: bigint): void {
    store.set(Prefix.nextAccountNumber, utf8(n.toString()));
  }

  /** Creates a BaseAccount with the next account number (on first receipt of funds, or at genesis). */
  newAccount(store: KVStore, address: string): BaseAccount {
    const acc = BaseAccount.fromPartial({ address: bech32Address(addressBytes(address)), accountNumber: this.nextAccountNumber(store), sequence: 0n });
    this.setAccount(store, acc);
    return acc;
  }

  /** Creates the account if it does not exist. The same one store read as getAccount (so the same gas), no decode. */
  ensureAccount(store: KVStore, address: string): void {
    if (!this.hasAccount(store, address)) this.newAccount(store, address);
  }

  setPubkey(store: KVStore, acc: BaseAccount, pubkey33: Uint8Array): BaseAccount {
    const next = { ...acc, pubKey: Any.fromPartial({ typeUrl: PUBKEY_TYPE_SECP256K1, value: PubKey.encode({ key: pubkey33 }).finish() }) };
    this.setAccount(store, next);
    return next;
  }

  incrementSequence(store: KVStore, acc: BaseAccount): BaseAccount {
    const next = { ...acc, sequence: acc.sequence + 1n };
    this.setAccount(store, next);
    return next;
  }

  setParams(store: KVStore, p: AuthParams): void {
    store.set(Prefix.params, Params.encode(Params.fromPartial({
      maxMemoCharacters: p.maxMemoCharacters,
      txSigLimit: p.txSigLimit,
      txSizeCostPerByte: p.txSizeCostPerByte,
      sigVerifyCostSecp256k1: p.sigVerifyCostSecp256k1,
      sigVerifyCostEd25519: 590n,
    })).finish());
    store.set(Prefix.minGasPrice, utf8(formatGasPrice(p.minGasPrice)));
  }
}
