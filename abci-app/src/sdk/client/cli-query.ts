// A module's CLI queries, declared as data (no yargs here): the CLI builds `trustnet query <module> <name> [args]
// [--options]` from them, resolves the arguments (key names → addresses), runs the query through the node's RPC
// and prints the result (`--output json` prints its `json`).
//
// Two forms: a single ABCI query (`path`, `encode`, `format`), or `run`, which may make several (every page of a
// paginated list, or a lookup that needs another module's record first).

import type { PageRequest, PageResponse as SdkPageResponse } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { type PageResponse, pageResponseJson, STANDARD_BASE64 } from "./pagination.ts";

export interface CliQueryArg {
  readonly name: string;
  readonly describe: string;
  /**
   * How the CLI resolves the argument before the query sees it:
   * - "address": a trust1… address or a key name → the trust1… address;
   * - "validator": a trustvaloper1… address, or a trust1… address or key name → that account's trustvaloper1…;
   * - "consensus": a trustvalcons1… address as given (checked), anything else as "validator";
   * - "string": as typed.
   */
  readonly kind: "address" | "validator" | "consensus" | "string";
  /** Optional arguments become `[name]`. */
  readonly optional?: boolean;
  /** The last argument only: it takes every remaining word (`[name..]`), which reach the query comma-joined. */
  readonly variadic?: boolean;
  /**
   * What an omitted optional address/validator argument becomes: the active key's address (or its operator
   * address), the default; or "absent", where the query's meaning changes without it.
   */
  readonly whenOmitted?: "active-key" | "absent";
}

export interface CliQueryOption {
  /** The flag, `--<name>`; its value reaches the query under the same name. */
  readonly name: string;
  readonly describe: string;
  /** How the CLI resolves the value, as for an argument (default "string"): an address flag takes a key name too. */
  readonly kind?: CliQueryArg["kind"];
  readonly choices?: readonly string[];
  /**
   * Other names of the choices, matched case-insensitively (the SDK's enum names: `BOND_STATUS_BONDED` for
   * `bonded`): the CLI reads one as the choice it names. The choices themselves are matched case-insensitively too.
   */
  readonly synonyms?: Readonly<Record<string, string>>;
  readonly default?: string;
}

/** One ABCI query on the node: the answer's value bytes, or a thrown error (translated by the CLI). */
export type AbciQuery = (path: string, request: Uint8Array) => Promise<Uint8Array>;

/** The node's query with its height (undefined: the latest): the answer's value bytes and the height it was read at. */
export type HeightQuery = (path: string, request: Uint8Array, height: bigint | undefined) => Promise<{ readonly value: Uint8Array; readonly height: bigint }>;

/**
 * Every query of one command at one height: the given one, or else the height of the first answer. Without it, the
 * later pages of a list asked at "the latest" would come from later blocks and skip or repeat what moved between them.
 */
export function atOneHeight(query: HeightQuery, height?: bigint): AbciQuery {
  let at = height;
  return async (path, request) => {
    const r = await query(path, request, at);
    at ??= r.height;
    return r.value;
  };
}

/** `json` for `--output json`, `text` for people. */
export interface CliQueryResult {
  readonly json: unknown;
  readonly text: string;
}

interface CliQueryBase {
  /** The command name under `trustnet query <module>`. */
  readonly name: string;
  readonly describe: string;
  /** Other names of the command (the Cosmos SDK's, where ours is shorter: `unbonding` is `unbonding-delegations`). */
  readonly aliases?: readonly string[];
  readonly args: readonly CliQueryArg[];
  readonly options?: readonly CliQueryOption[];
  /**
   * Checks the resolved arguments and options together (numbers, their order) and throws a message for people; the
   * CLI calls it before it contacts the node, runCliQuery before the query.
   */
  check?(args: Readonly<Record<string, string>>): void;
}

/** The common case: one ABCI query. */
export interface SingleCliQuery extends CliQueryBase {
  /** The ABCI query path, `/<package>.Query/<Method>`. */
  readonly path: string;
  /** Encodes the request from the (resolved) arguments and options. */
  encode(args: Readonly<Record<string, string>>): Uint8Array;
  /** Decodes the answer. */
  format(value: Uint8Array, args: Readonly<Record<string, string>>): CliQueryResult;
}

/** Several ABCI queries (pages, lookups). */
export interface ComposedCliQuery extends CliQueryBase {
  run(query: AbciQuery, args: Readonly<Record<string, string>>): Promise<CliQueryResult>;
}

export type CliQuery = SingleCliQuery | ComposedCliQuery;

const UINT64_MAX = 2n ** 64n - 1n;

/** A block height typed by a person ("0" … 2^64-1, digits only), as a bigint; `what` names it in the message. */
export function parseHeight(v: string, what: string): bigint {
  if (!/^\d{1,20}$/u.test(v) || BigInt(v) > UINT64_MAX) throw new Error(`${what}: "${v.length > 40 ? `${v.slice(0, 37)}…` : v}" is not a block height (a whole number from 0)`);
  return BigInt(v);
}

/** Runs either form. */
export async function runCliQuery(q: CliQuery, query: AbciQuery, args: Readonly<Record<string, string>>): Promise<CliQueryResult> {
  q.check?.(args);
  if ("run" in q) return q.run(query, args);
  return q.format(await query(q.path, q.encode(args)), args);
}

/** The PageRequest for the page after `key` (a previous page's next_key), or none for the first page (the chain's default of 100): allPages' requests. */
export const pageAfter = (key: Uint8Array | undefined): PageRequest | undefined => (key ? { key, offset: 0n, limit: 0n, countTotal: false, reverse: false } : undefined);

/**
 * Every page of a paginated list query: `request(key)` encodes the request for the page after `key` (undefined for
 * the first), `decode` returns the page's items and its `next_key`. Stops at an empty next key; a node that repeats
 * a key is an error rather than a loop.
 */
export async function allPages<T>(query: AbciQuery, path: string, request: (key: Uint8Array | undefined) => Uint8Array, decode: (value: Uint8Array) => { readonly items: readonly T[]; readonly nextKey: Uint8Array | undefined }): Promise<T[]> {
  const out: T[] = [];
  const seen = new Set<string>();
  let key: Uint8Array | undefined;
  for (;;) {
    const page = decode(await query(path, request(key)));
    out.push(...page.items);
    if (!page.nextKey || page.nextKey.length === 0) return out;
    const hex = Buffer.from(page.nextKey).toString("hex");
    if (seen.has(hex)) throw new Error(`${path}: the node returned the page key ${hex} twice`);
    seen.add(hex);
    key = page.nextKey;
  }
}

/**
 * `--limit` and `--page-key` for a list that grows with the chain (every account, every holder of a denom): the
 * command reads one page, as the SDK's CLI does, and prints the key of the next.
 */
export const PAGE_OPTIONS: readonly CliQueryOption[] = [
  { name: "limit", describe: "entries on the page (1 to 1000)", default: "100" },
  { name: "page-key", describe: "read the page after this one: the next_key (base64) a previous page printed" },
];

/** PAGE_OPTIONS' values checked (the command's `check`): a limit of 1 to 1000, a page key in standard base64. */
export function checkPage(args: Readonly<Record<string, string>>): void {
  const limit = args.limit ?? "100";
  if (!/^\d{1,4}$/u.test(limit) || Number(limit) < 1 || Number(limit) > 1000) throw new Error(`--limit: "${limit.slice(0, 40)}" is not a page size from 1 to 1000`);
  const key = args["page-key"];
  if (key !== undefined && (key === "" || !STANDARD_BASE64.test(key))) throw new Error(`--page-key: "${key.slice(0, 40)}" is not a next_key (standard base64, as a page prints it)`);
}

/** The PageRequest PAGE_OPTIONS ask for. */
export function pageRequestOf(args: Readonly<Record<string, string>>): { key: Uint8Array; offset: bigint; limit: bigint; countTotal: boolean; reverse: boolean } {
  const key = args["page-key"];
  return { key: key ? Uint8Array.from(Buffer.from(key, "base64")) : new Uint8Array(), offset: 0n, limit: BigInt(args.limit ?? "100"), countTotal: false, reverse: false };
}

/** A page's `pagination` as the gateway prints it ({next_key, total}), and the line that tells a person how to read on (empty on the last page). */
export function pageOut(p: SdkPageResponse | undefined): { json: PageResponse; more: string } {
  const json = pageResponseJson(p);
  return { json, more: json.next_key === null ? "" : `\nmore: --page-key ${json.next_key}` };
}
