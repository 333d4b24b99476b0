// The leasing module's reads and declared queries (@trustnet/abci-app: fetchLease …, leasingCli) run against the
// node's RPC for `trustnet lease|provider`: failures become CliErrors, absent records clear "not found" errors.
import { type AbciQuery, type CliQuery, CometRpc, fetchEscrow, fetchLease, fetchLeases, fetchParams, fetchProvider, type leasingTypes as L, runCliQuery, type CliQueryResult } from "@trustnet/abci-app";
import { checkedNode, type NodeTarget } from "../chain/index.ts";
import { CliError } from "../errors.ts";

/**
 * abci_query on the target's node, once it answered with the target's chain id (the probe every chain command
 * makes): the answer's value, or a CliError (unreachable node, another chain; the chain's log for a refused query).
 */
export function nodeQuery(target: NodeTarget): AbciQuery {
  let rpc: CometRpc | undefined;
  return async (path, data) => {
    rpc ??= new CometRpc(await checkedNode(target));
    let r: { code: number; log: string; value: Uint8Array };
    try {
      r = await rpc.abciQuery(path, data);
    } catch (err) {
      throw new CliError(`cannot reach the node at ${target.node}: ${(err as Error).message}`, { hint: "is the devnet running? try 'trustnet devnet status'" });
    }
    if (r.code !== 0) throw new CliError(r.log || `${path} failed with code ${r.code}`);
    return r.value;
  };
}

/** Runs one of the module's declared queries on `node`; its input errors ("not a lease id", "not found") become CliErrors. */
export async function runLeasingQuery(target: NodeTarget, q: CliQuery, args: Readonly<Record<string, string>>): Promise<CliQueryResult> {
  try {
    return await runCliQuery(q, nodeQuery(target), args);
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

export const queryProvider = (target: NodeTarget, owner: string): Promise<L.Provider | undefined> => fetchProvider(nodeQuery(target), owner);

export async function requireProvider(target: NodeTarget, owner: string): Promise<L.Provider> {
  return need(await queryProvider(target, owner), `provider ${owner}`, "register it with 'trustnet provider register', or list providers with 'trustnet provider list'");
}

export async function queryEscrow(target: NodeTarget, id: bigint): Promise<L.QueryEscrowResponse> {
  return need(await fetchEscrow(nodeQuery(target), id), `lease ${id}`, "list your leases with 'trustnet lease list'");
}

export const queryParams = (target: NodeTarget): Promise<L.Params> => fetchParams(nodeQuery(target));

/** Every page of a tenant's or provider's leases in `state` (0 any … 4 open). */
export const queryLeases = (target: NodeTarget, by: "tenant" | "provider", owner: string, state: bigint): Promise<L.Lease[]> => fetchLeases(nodeQuery(target), by, owner, state);
