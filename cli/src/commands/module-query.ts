// `trustnet query <module> <name> [args]` for every module that declares CLI queries (ModuleDescriptor.client.cli,
// exported by @trustnet/abci-app): the commands are built from that data, so a new module's queries appear here
// without a line in cli/. Each runs the module's ABCI query through the node's RPC; `--output json` prints the
// query's JSON.
import type { Argv, CommandModule } from "yargs";
import { QueryClient } from "@cosmjs/stargate";
import { Comet38Client, HttpClient } from "@cosmjs/tendermint-rpc";
import { type CliQuery, moduleCliQueries } from "@trustnet/abci-app";
import { connectQueryClient, normalizeNodeUrl, translateChainError } from "../chain/index.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { resolveAddress } from "../address-arg.ts";

/** Runs `f` with a cosmjs QueryClient on the node, after checking it answers with the expected chain id. */
export async function withQueryClient<T>(a: GlobalOptions, f: (q: QueryClient) => Promise<T>): Promise<T> {
  (await connectQueryClient({ node: a.node, chainId: a["chain-id"] })).disconnect(); // reachability and chain id, with clear errors
  const client = Comet38Client.create(new HttpClient(normalizeNodeUrl(a.node), 20_000));
  try {
    return await f(QueryClient.withExtensions(client));
  } catch (err) {
    throw translateChainError(err, { node: a.node });
  } finally {
    client.disconnect();
  }
}

type Args = GlobalOptions & Readonly<Record<string, string | undefined>>;

function command(q: CliQuery): CommandModule<GlobalOptions, Args> {
  const positional = q.args.map((x) => (x.optional ? `[${x.name}]` : `<${x.name}>`)).join(" ");
  return {
    command: positional ? `${q.name} ${positional}` : q.name,
    describe: q.describe,
    builder: (y) => q.args.reduce((acc, x) => acc.positional(x.name, { type: "string", describe: x.describe }), y as Argv<GlobalOptions>) as unknown as Argv<Args>,
    handler: async (a) => {
      const args: Record<string, string> = {};
      for (const x of q.args) {
        const v = a[x.name];
        if (x.kind === "address") args[x.name] = await resolveAddress(a.home, v, { what: x.name });
        else if (v !== undefined) args[x.name] = String(v);
      }
      const { value } = await withQueryClient(a, (c) => c.queryAbci(q.path, q.encode(args)));
      const out = q.format(value, args);
      printerFor(a).result(out.json, () => out.text);
    },
  };
}

/** One `query <module>` command per module with CLI queries. */
export function moduleQueryCommands(): CommandModule<GlobalOptions, GlobalOptions>[] {
  return moduleCliQueries().map(({ module, queries }) => ({
    command: `${module} <command>`,
    describe: `${module} queries: ${queries.map((q) => q.name).join(", ")}`,
    builder: (y: Argv<GlobalOptions>) => queries.reduce((acc, q) => acc.command(command(q) as unknown as CommandModule<GlobalOptions, GlobalOptions>), y).demandCommand(1, `name a ${module} query`),
    handler: () => undefined,
  }));
}
