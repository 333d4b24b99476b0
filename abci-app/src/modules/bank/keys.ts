import { BoundedMap } from "../../store/index.ts";
import { concatBytes, lengthPrefixed, utf8 } from "../../sdk/keys.ts";

/** A denom's UTF-8 bytes, remembered: every balance and supply key encodes one, and a chain has few denoms. */
const denomBytes = new BoundedMap<string, Uint8Array>(1024);
function denomUtf8(denom: string): Uint8Array {
  let b = denomBytes.get(denom);
  if (b === undefined) {
    b = utf8(denom);
    denomBytes.set(denom, b);
  }
  return b; // never handed out: concatBytes copies it into each key
}

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

/** bank/b/ ‖ len ‖ address ‖ denom, built in one allocation (two per send are on every tx's path). */
export function balanceKey(addr: Uint8Array, denom: string): Uint8Array {
  if (addr.length > 255) throw new Error("key part longer than 255 bytes");
  const d = denomUtf8(denom);
  const p = Prefix.balance.length;
  const out = new Uint8Array(p + 1 + addr.length + d.length);
  out.set(Prefix.balance, 0);
  out[p] = addr.length;
  out.set(addr, p + 1);
  out.set(d, p + 1 + addr.length);
  return out;
}

export function supplyKey(denom: string): Uint8Array {
  return concatBytes(Prefix.supply, denomUtf8(denom));
}

export function burnedKey(denom: string): Uint8Array {
  return concatBytes(Prefix.burned, denomUtf8(denom));
}
