// A module's CLI queries, declared as data (no yargs here): the CLI builds `trustnet query <module> <name> [args]`
// from them, runs the ABCI query at `path` through the node's RPC and prints `format`'s result (`--output json`
// prints its `json`).

export interface CliQueryArg {
  readonly name: string;
  readonly describe: string;
  /** An address argument also takes a key name (the CLI resolves it, cli/src/address-arg.ts). */
  readonly kind: "address" | "string";
  /** Optional arguments become `[name]`; an optional address defaults to the active key. */
  readonly optional?: boolean;
}

export interface CliQuery {
  /** The command name under `trustnet query <module>`. */
  readonly name: string;
  readonly describe: string;
  readonly args: readonly CliQueryArg[];
  /** The ABCI query path, `/<package>.Query/<Method>`. */
  readonly path: string;
  /** Encodes the request from the (resolved) arguments. */
  encode(args: Readonly<Record<string, string>>): Uint8Array;
  /** Decodes the answer: `json` for `--output json`, `text` for people. */
  format(value: Uint8Array, args: Readonly<Record<string, string>>): { readonly json: unknown; readonly text: string };
}
