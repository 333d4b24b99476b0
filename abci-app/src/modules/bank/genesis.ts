import { bech32Address, addressBytes } from "../../sdk/address.ts";
import { type Coin, coinsEqual, parsePositiveCoins, sumCoins, toWireCoin } from "../../sdk/coins.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { readList, readObject, readString } from "../../sdk/genesis-json.ts";
import type { GenesisHandler } from "../../sdk/module.ts";
import type { BankKeeper } from "./keeper.ts";
import type { BankGenesis } from "./types.ts";

export type { BankGenesis } from "./types.ts";


/** A coins list as genesis JSON has it, each denom and amount as text for parsePositiveCoins to check. */
const wireCoins = (v: unknown, what: string): { denom: string; amount: string }[] =>
  readList(v, what).map((c) => ({ denom: String((c as { denom?: unknown } | null)?.denom), amount: String((c as { amount?: unknown } | null)?.amount) }));

export function bankGenesis(keeper: BankKeeper): GenesisHandler<BankGenesis> {
  return {
    defaultGenesis: () => ({ balances: [], supply: [] }),
    validateGenesis(raw) {
      if (raw === undefined) return { balances: [], supply: [] };
      const g = readObject(raw, "bank genesis");
      const seen = new Set<string>();
      const balances = readList(g.balances, "bank genesis.balances").map((raw, i) => {
        const b = readObject(raw, `bank genesis.balances[${i}]`);
        const address = bech32Address(addressBytes(readString(b.address, `bank genesis.balances[${i}].address`), `balances[${i}].address`));
        if (seen.has(address)) throw ErrInvalidRequest.wrap(`bank genesis: duplicate balance for ${address}`);
        seen.add(address);
        if (b.coins === undefined) throw ErrInvalidRequest.wrap(`bank genesis.balances[${i}] needs a coins list`);
        const coins = parsePositiveCoins(wireCoins(b.coins, `bank genesis.balances[${i}].coins`), `balances[${i}].coins`);
        return { address, coins };
      });
      const total = sumCoins(balances.map((b) => b.coins));
      const supply = wireCoins(g.supply, "bank genesis.supply");
      if (supply.length > 0 && !coinsEqual(parsePositiveCoins(supply, "supply"), total)) throw ErrInvalidRequest.wrap("bank genesis: supply does not equal the sum of balances");
      return { balances, supply: total };
    },
    initGenesis(ctx, gs) {
      for (const b of [...gs.balances].sort((x, y) => (x.address < y.address ? -1 : 1))) keeper.mintCoins(ctx, b.address, b.coins);
    },
    toJson: bankGenesisJson,
    exportGenesis(ctx) {
      const byAddr = new Map<string, Coin[]>();
      for (const e of keeper.iterateAllBalances(ctx.store)) {
        const a = bech32Address(e.addr);
        byAddr.set(a, [...(byAddr.get(a) ?? []), { denom: e.denom, amount: e.amount }]);
      }
      return {
        balances: [...byAddr.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([address, coins]) => ({ address, coins })),
        supply: keeper.getTotalSupply(ctx.store),
      };
    },
  };
}

export function bankGenesisJson(g: BankGenesis): unknown {
  return { balances: g.balances.map((b) => ({ address: b.address, coins: b.coins.map(toWireCoin) })), supply: g.supply.map(toWireCoin) };
}

/** A bank genesis from its balances (the builder `trustnet devnet` uses): the supply is their sum. */
export function bankGenesisOf(balances: BankGenesis["balances"]): BankGenesis {
  return { balances, supply: sumCoins(balances.map((b) => b.coins)) };
}
