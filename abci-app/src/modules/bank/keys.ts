import { concatBytes, lengthPrefixed, utf8 } from "../../sdk/keys.ts";

export const ModuleName = "bank";
/** Store layout of the bank module. Only the keeper touches these (house rule 4). */
export const Prefix = {
  balance: utf8("bank/b/"), // + len|address + denom -> decimal amount
  supply: utf8("bank/s/"), // + denom -> decimal amount
  burned: utf8("bank/x/"), // + denom -> decimal amount burned since genesis (for mint's supply invariant)
} as const;

export function balancesPrefix(addr: Uint8Array): Uint8Array {
  return concatBytes(Prefix.balance, lengthPrefixed(addr));
}

export function balanceKey(addr: Uint8Array, denom: string): Uint8Array {
  return concatBytes(balancesPrefix(addr), utf8(denom));
}

export function supplyKey(denom: string): Uint8Array {
  return concatBytes(Prefix.supply, utf8(denom));
}

export function burnedKey(denom: string): Uint8Array {
  return concatBytes(Prefix.burned, utf8(denom));
}
