// `trustnet query <module> <name> [args]` for every module that declares CLI queries (ModuleDescriptor.client.cli,
// exported by @trustnet/abci-app): the commands are built from that data, so a new module's queries appear here
// without a line in cli/. Each runs the module's ABCI query through the node's RPC; `--output json` prints the
// query's JSON. A query's own check (heights, their order) runs before the node is asked. `--height N` reads the state
// committed at block N (the abci_query height; 0 or omitted: the latest): the app serves the heights its store keeps
// (the last keepVersions, docs/store.md), and a height outside them is its error, printed as such. All of one command's
// queries (a list's pages) are read at one height: --height, or the first answer's.
import type { Argv, CommandModule } from "yargs";
import { QueryClient } from "@cosmjs/stargate";
import { Comet38Client, HttpClient } from "@cosmjs/tendermint-rpc";
import { atOneHeight, type CliQuery, type CliQueryArg, type CliQueryOption, moduleCliQueries, runCliQuery } from "@trustnet/abci-app";
import { connectQueryClient, normalizeNodeUrl, queryFailure, translateChainError } from "../chain/index.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { resolveAddress, resolveConsensus, resolveValidator } from "../address-arg.ts";
import { UsageError } from "../errors.ts";
import { terminalSafeField } from "../terminal-text.ts";

const INT64_MAX = 2n ** 63n - 1n;

/** `--height`'s help, on every query command that takes it. */
export const HEIGHT_DESCRIBE = "read the state at this block height (0 = the latest; the node keeps its last heights only)";

/**
 * `--height`: undefined (latest) when omitted or 0; a whole number up to 2^63-1 (CometBFT's int64) given once. cosmjs
 * sends heights as JSON safe integers, so a larger one (no chain reaches it) is refused here too, saying so.
 */
export function queryHeight(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) throw new UsageError("--height is given more than once", "give --height once");
  const s = String(v);
  const shown = s.length > 40 ? `${s.slice(0, 37)}…` : s;
  if (!/^\d{1,19}$/u.test(s) || BigInt(s) > INT64_MAX) throw new UsageError(`--height: "${terminalSafeField(shown)}" is not a block height (a whole number from 0 to ${INT64_MAX}; 0 = the latest)`);
  const h = BigInt(s);
  if (h > BigInt(Number.MAX_SAFE_INTEGER)) throw new UsageError(`--height: ${h} is above any height a chain reaches (the CLI sends heights up to ${Number.MAX_SAFE_INTEGER})`);
  return h === 0n ? undefined : Number(h);
}

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

/**
 * An option with choices reads a choice or one of its synonyms in any case as the choice (`BOND_STATUS_BONDED` and
 * `Bonded` as `bonded`); anything else is left as typed, for yargs to refuse by its choices. A repeated flag (an
 * array) is left for the handler's "given more than once".
 */
function choiceOf(o: CliQueryOption): (v: unknown) => unknown {
  const names = new Map<string, string>([...(o.choices ?? []).map((c) => [c.toLowerCase(), c] as const), ...Object.entries(o.synonyms ?? {}).map(([k, c]) => [k.toLowerCase(), c] as const)]);
  return (v) => (typeof v === "string" ? names.get(v.toLowerCase()) ?? v : v);
}

function command(module: string, q: CliQuery): CommandModule<GlobalOptions, Args> {
  if ([...q.args, ...(q.options ?? [])].some((x) => x.name === "height")) throw new Error(`query ${module} ${q.name}: "height" is every query's --height (the state it reads); name the argument otherwise`);
  const positional = q.args.map((x) => {
    const name = x.variadic ? `${x.name}..` : x.name;
    return x.optional ? `[${name}]` : `<${name}>`;
  }).join(" ");
  return {
    command: positional ? `${q.name} ${positional}` : q.name,
    ...(q.aliases ? { aliases: [...q.aliases] } : {}),
    describe: q.describe,
    builder: (y) => {
      const withArgs = q.args.reduce((acc, x) => acc.positional(x.name, { type: "string", describe: x.describe }), y as Argv<GlobalOptions>);
      const withOptions = (q.options ?? []).reduce((acc, o) => acc.option(o.name, {
        type: "string", describe: o.describe, ...(o.choices ? { choices: [...o.choices], coerce: choiceOf(o) } : {}), ...(o.default !== undefined ? { default: o.default } : {}),
      }), withArgs);
      return withOptions.option("height", { type: "string", describe: HEIGHT_DESCRIBE }) as unknown as Argv<Args>;
    },
    handler: async (a) => {
      const height = queryHeight(a.height);
      const args: Record<string, string> = {};
      for (const x of q.args) {
        // A variadic argument's words, comma-joined (its declaration says so).
        const given = a[x.name] as unknown;
        const v = await resolveArg(a.home, x, given === undefined || (Array.isArray(given) && given.length === 0) ? undefined : Array.isArray(given) ? given.map(String).join(",") : String(given));
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
      const what = `query ${module} ${q.name}`;
      // One height for all the command's queries (a list's pages): --height, or the first answer's.
      const out = await withQueryClient(a, (c) => runCliQuery(q, atOneHeight(async (path, req, at) => {
        try {
          const r = await c.queryAbci(path, req, at === undefined ? undefined : Number(at));
          return { value: r.value, height: BigInt(r.height) };
        } catch (err) {
          throw queryFailure(err, what);
        }
      }, height === undefined ? undefined : BigInt(height)), args));
      printerFor(a).result(out.json, () => out.text);
    },
  };
}

/** One `query <module>` command per module with CLI queries. */
export function moduleQueryCommands(): CommandModule<GlobalOptions, GlobalOptions>[] {
  return moduleCliQueries().map(({ module, queries }) => ({
    command: `${module} <command>`,
    describe: `${module} queries: ${queries.map((q) => q.name).join(", ")}`,
    builder: (y: Argv<GlobalOptions>) => queries.reduce((acc, q) => acc.command(command(module, q) as unknown as CommandModule<GlobalOptions, GlobalOptions>), y).demandCommand(1, `name a ${module} query`),
    handler: () => undefined,
  }));
}
