// `trustnet balance [addr]`: all balances of an address, a key, or the active key.
import type { Argv, CommandModule } from "yargs";
import { allBalancesOf, atOneHeight } from "@trustnet/abci-app";
import { BASE_DENOM, formatCoin, utrustToTrust } from "../coins.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { resolveAddress } from "../address-arg.ts";
import { withQueryClient } from "./module-query.ts";

type Args = GlobalOptions & { readonly address?: string };

async function run(a: Args): Promise<void> {
  const address = await resolveAddress(a.home, a.address);
  // Every page of AllBalances (100 a page), all at one height: cosmjs' getAllBalances reads the first page only, so an
  // account with more denominations would be shown some of them, and its utrust as 0 when it sorts past the page.
  const balances = await withQueryClient(a, (q) => allBalancesOf(atOneHeight(async (path, req, at) => {
    const r = await q.queryAbci(path, req, at === undefined ? undefined : Number(at));
    return { value: r.value, height: BigInt(r.height) };
  }), address));
  const utrust = balances.find((c) => c.denom === BASE_DENOM)?.amount ?? "0";
  printerFor(a).result(
    { address, utrust, trust: utrustToTrust(BigInt(utrust)), balances },
    () => [`${address}`, ...(balances.length === 0 ? ["  0 TRUST"] : balances.map((c) => `  ${formatCoin(c)}`))].join("\n"),
  );
}

export const balanceCommand: CommandModule<GlobalOptions, Args> = {
  command: "balance [address]",
  describe: "show the balances of an address or key (default: the active key)",
  builder: (y: Argv<GlobalOptions>) =>
    y.positional("address", { type: "string", describe: "trust1… address or key name" })
      .example("$0 balance", "the active key's balance")
      .example("$0 balance trust1… --output json", "as JSON: { address, utrust, trust, balances }")
      .example("$0 balance bob --node http://10.0.0.5:26657", "key bob's balance on another node") as unknown as Argv<Args>,
  handler: (a) => run(a),
};
