import type { Invariant } from "../../sdk/module.ts";
import type { BankKeeper } from "./expected-keepers.ts";
import type { MintViewKeeper } from "./keeper.ts";

/**
 * mint/supply: the mint denom's supply is exactly genesis + minted − burned (bank keeps the sum of balances equal
 * to the supply; together no unit appears or vanishes outside minting and burning).
 */
export function mintInvariants(k: MintViewKeeper, bank: Pick<BankKeeper, "getSupply" | "getBurned">): Invariant[] {
  return [
    {
      name: "mint/supply",
      check(ctx) {
        const denom = k.getParams(ctx.store).mintDenom;
        const supply = bank.getSupply(ctx.store, denom);
        const expected = k.genesisSupply(ctx.store) + k.totalMinted(ctx.store) - bank.getBurned(ctx.store, denom);
        if (supply !== expected) return { broken: true, msg: `supply ${supply}${denom} != genesis ${k.genesisSupply(ctx.store)} + minted ${k.totalMinted(ctx.store)} - burned ${bank.getBurned(ctx.store, denom)}` };
        return { broken: false, msg: "" };
      },
    },
  ];
}
