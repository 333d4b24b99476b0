// The leasing module's reads and declared queries (@trustnet/abci-app: fetchLease …, leasingCli) run against the
// node's RPC for `trustnet lease|provider`: failures become CliErrors, absent records clear "not found" errors. All
// the queries of one read (a list's pages) are made at one height: the first answer's.
import { type AbciQuery, atOneHeight, type CliQuery, CometRpc, fetchEscrow, fetchLease, fetchLeases, fetchParams, fetchProvider, type leasingTypes as L, runCliQuery, type CliQueryResult } from "@trustnet/abci-app";
import { checkedNode, explainQueryFailure, type NodeTarget } from "../chain/index.ts";
import { CliError } from "../errors.ts";

/**
 * abci_query on the target's node, once it answered with the target's chain id (the probe every chain command
 * makes): the answer's value, or a CliError (unreachable node, another chain; a refused query as a query error, with
 * its code, codespace and log). Every query made through one is read at `height` (`--height`; undefined: the latest)
 * or else at the height of its first answer, so that a block landing between two pages neither skips, repeats nor
 * adds a record.
 */
export function nodeQuery(target: NodeTarget, height?: number): AbciQuery {
  let rpc: CometRpc | undefined;
  return atOneHeight(async (path, data, height) => {
    rpc ??= new CometRpc(await checkedNode(target));
    let r: Awaited<ReturnType<CometRpc["abciQuery"]>>;
    try {
      r = await rpc.abciQuery(path, data, height);
    } catch (err) {
      throw new CliError(`cannot reach the node at ${target.node}: ${(err as Error).message}`, { hint: "is the devnet running? try 'trustnet devnet status'" });
    }
    if (r.code !== 0) throw explainQueryFailure(r.code, r.codespace, r.log, `query ${path}`);
    return { value: r.value, height: r.height };
  }, height === undefined ? undefined : BigInt(height));
}

/** Runs one of the module's declared queries on `node`; its input errors ("not a lease id", "not found") become CliErrors. */
export async function runLeasingQuery(target: NodeTarget, q: CliQuery, args: Readonly<Record<string, string>>, height?: number): Promise<CliQueryResult> {
  try {
    return await runCliQuery(q, nodeQuery(target, height), args);
  } catch (err) {
    if (err instanceof CliError || !(err instanceof Error)) throw err;
    throw new CliError(err.message, { cause: err });
  }
}

const need = <T>(v: T | undefined, what: string, hint: string): T => {
  if (v === undefined) throw new CliError(`${what} not found`, { hint });
  return v;
};

export async function queryLease(target: NodeTarget, id: bigint): Promise<L.Lease> {
  return need(await fetchLease(nodeQuery(target), id), `lease ${id}`, "list your leases with 'trustnet lease list'");
}

/** A node to query, or a query already made on it (several reads at one height). */
type Reads = NodeTarget | AbciQuery;
const reads = (r: Reads): AbciQuery => (typeof r === "function" ? r : nodeQuery(r));

export const queryProvider = (target: Reads, owner: string): Promise<L.Provider | undefined> => fetchProvider(reads(target), owner);

export async function requireProvider(target: NodeTarget, owner: string): Promise<L.Provider> {
  return need(await queryProvider(target, owner), `provider ${owner}`, "register it with 'trustnet provider register', or list providers with 'trustnet provider list'");
}

export async function queryEscrow(target: NodeTarget, id: bigint): Promise<L.QueryEscrowResponse> {
  return need(await fetchEscrow(nodeQuery(target), id), `lease ${id}`, "list your leases with 'trustnet lease list'");
}

export const queryParams = (target: NodeTarget): Promise<L.Params> => fetchParams(nodeQuery(target));

/** Every page of a tenant's or provider's leases in `state` (0 any … 4 open). */
export const queryLeases = (target: Reads, by: "tenant" | "provider", owner: string, state: bigint): Promise<L.Lease[]> => fetchLeases(reads(target), by, owner, state);
