import { bech32Address, addressBytes } from "../../sdk/address.ts";
import { type Coin, coinsEqual, parsePositiveCoins, sumCoins, toWireCoin } from "../../sdk/coins.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import type { GenesisHandler } from "../../sdk/module.ts";
import type { BankKeeper } from "./keeper.ts";
import type { BankGenesis } from "./types.ts";

export type { BankGenesis } from "./types.ts";


export function bankGenesis(keeper: BankKeeper): GenesisHandler<BankGenesis> {
  return {
    defaultGenesis: () => ({ balances: [], supply: [] }),
    validateGenesis(raw) {
      if (raw === undefined) return { balances: [], supply: [] };
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw ErrInvalidRequest.wrap("bank genesis must be an object");
      const g = raw as { balances?: unknown; supply?: unknown };
      if (g.balances !== undefined && !Array.isArray(g.balances)) throw ErrInvalidRequest.wrap("bank genesis: balances must be a list");
      const seen = new Set<string>();
      const balances = ((g.balances ?? []) as { address?: unknown; coins?: unknown }[]).map((b, i) => {
        if (typeof b !== "object" || b === null || typeof b.address !== "string" || !Array.isArray(b.coins)) {
          throw ErrInvalidRequest.wrap(`bank genesis: balances[${i}] needs an address and a coins list`);
        }
        const address = bech32Address(addressBytes(b.address, `balances[${i}].address`));
        if (seen.has(address)) throw ErrInvalidRequest.wrap(`bank genesis: duplicate balance for ${address}`);
        seen.add(address);
        const coins = parsePositiveCoins((b.coins as { denom?: unknown; amount?: unknown }[]).map((c) => ({ denom: String(c?.denom), amount: String(c?.amount) })), `balances[${i}].coins`);
        return { address, coins };
      });
      const total = sumCoins(balances.map((b) => b.coins));
      if (g.supply !== undefined) {
        if (!Array.isArray(g.supply)) throw ErrInvalidRequest.wrap("bank genesis: supply must be a list");
        const declared = (g.supply as { denom?: unknown; amount?: unknown }[]).length === 0 ? [] : parsePositiveCoins((g.supply as { denom?: unknown; amount?: unknown }[]).map((c) => ({ denom: String(c?.denom), amount: String(c?.amount) })), "supply");
        if (declared.length > 0 && !coinsEqual(declared, total)) throw ErrInvalidRequest.wrap("bank genesis: supply does not equal the sum of balances");
      }
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
