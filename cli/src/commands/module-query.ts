// `trustnet query <module> <name> [args]` for every module that declares CLI queries (ModuleDescriptor.client.cli,
// exported by @trustnet/abci-app): the commands are built from that data, so a new module's queries appear here
// without a line in cli/. Each runs the module's ABCI query through the node's RPC; `--output json` prints the
// query's JSON. A query's own check (heights, their order) runs before the node is asked.
import type { Argv, CommandModule } from "yargs";
import { QueryClient } from "@cosmjs/stargate";
import { Comet38Client, HttpClient } from "@cosmjs/tendermint-rpc";
import { type CliQuery, type CliQueryArg, moduleCliQueries, runCliQuery } from "@trustnet/abci-app";
import { connectQueryClient, normalizeNodeUrl, translateChainError } from "../chain/index.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { resolveAddress, resolveConsensus, resolveValidator } from "../address-arg.ts";
import { UsageError } from "../errors.ts";

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

/** Resolves one declared argument: key names become addresses, an omitted address the active key's (unless "absent"). */
async function resolveArg(home: string, x: CliQueryArg, v: string | undefined): Promise<string | undefined> {
  if (x.kind === "string") return v;
  if (v === undefined && x.whenOmitted === "absent") return undefined;
  if (x.kind === "address") return resolveAddress(home, v, { what: x.name });
  if (x.kind === "consensus") return resolveConsensus(home, v);
  return resolveValidator(home, v);
}

function command(q: CliQuery): CommandModule<GlobalOptions, Args> {
  const positional = q.args.map((x) => (x.optional ? `[${x.name}]` : `<${x.name}>`)).join(" ");
  return {
    command: positional ? `${q.name} ${positional}` : q.name,
    ...(q.aliases ? { aliases: [...q.aliases] } : {}),
    describe: q.describe,
    builder: (y) => {
      const withArgs = q.args.reduce((acc, x) => acc.positional(x.name, { type: "string", describe: x.describe }), y as Argv<GlobalOptions>);
      return (q.options ?? []).reduce((acc, o) => acc.option(o.name, { type: "string", describe: o.describe, ...(o.choices ? { choices: [...o.choices] } : {}), ...(o.default !== undefined ? { default: o.default } : {}) }), withArgs) as unknown as Argv<Args>;
    },
    handler: async (a) => {
      const args: Record<string, string> = {};
      for (const x of q.args) {
        const v = await resolveArg(a.home, x, a[x.name] === undefined ? undefined : String(a[x.name]));
        if (v !== undefined) args[x.name] = v;
      }
      for (const o of q.options ?? []) {
        if (Array.isArray(a[o.name])) throw new UsageError(`--${o.name} is given more than once`, `give --${o.name} once`);
        const v = a[o.name] === undefined ? undefined : await resolveArg(a.home, { ...o, kind: o.kind ?? "string", whenOmitted: "absent" }, String(a[o.name]));
        if (v !== undefined) args[o.name] = v;
      }
      try {
        q.check?.(args);
      } catch (err) {
        throw new UsageError(err instanceof Error ? err.message : String(err));
      }
      const out = await withQueryClient(a, (c) => runCliQuery(q, async (path, req) => (await c.queryAbci(path, req)).value, args));
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
