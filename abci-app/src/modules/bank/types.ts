// The bank module's own types. Messages and queries are the Cosmos SDK's (cosmjs-types, cosmos.bank.v1beta1);
// coins are the kernel's (sdk/coins.ts). What bank defines itself: a balance entry and the genesis section.
import type { Coin } from "../../sdk/coins.ts";

/** One balance row as the store holds it (raw 20-byte address, one denom). */
export interface BalanceEntry {
  readonly addr: Uint8Array;
  readonly denom: string;
  readonly amount: bigint;
}

/** The bank genesis section: every balance, and the supply (the sum of the balances). */
export interface BankGenesis {
  readonly balances: readonly { readonly address: string; readonly coins: readonly Coin[] }[];
  readonly supply: readonly Coin[];
}
