// The leasing module's reads and declared queries (@trustnet/abci-app: fetchLease …, leasingCli) run against the
// node's RPC for `trustnet lease|provider`: failures become CliErrors, absent records clear "not found" errors.
import { type AbciQuery, type CliQuery, CometRpc, fetchEscrow, fetchLease, fetchLeases, fetchParams, fetchProvider, type leasingTypes as L, runCliQuery, type CliQueryResult } from "@trustnet/abci-app";
import { normalizeNodeUrl } from "../chain/index.ts";
import { CliError } from "../errors.ts";

/** abci_query on `node`: the answer's value, or a CliError (unreachable node; the chain's log for a refused query). */
export function nodeQuery(node: string): AbciQuery {
  const rpc = new CometRpc(normalizeNodeUrl(node));
  return async (path, data) => {
    let r: { code: number; log: string; value: Uint8Array };
    try {
      r = await rpc.abciQuery(path, data);
    } catch (err) {
      throw new CliError(`cannot reach the node at ${node}: ${(err as Error).message}`, { hint: "is the devnet running? try 'trustnet devnet status'" });
    }
    if (r.code !== 0) throw new CliError(r.log || `${path} failed with code ${r.code}`);
    return r.value;
  };
}

/** Runs one of the module's declared queries on `node`; its input errors ("not a lease id", "not found") become CliErrors. */
export async function runLeasingQuery(node: string, q: CliQuery, args: Readonly<Record<string, string>>): Promise<CliQueryResult> {
  try {
    return await runCliQuery(q, nodeQuery(node), args);
  } catch (err) {
    if (err instanceof CliError || !(err instanceof Error)) throw err;
    throw new CliError(err.message, { cause: err });
  }
}

const need = <T>(v: T | undefined, what: string, hint: string): T => {
  if (v === undefined) throw new CliError(`${what} not found`, { hint });
  return v;
};

export async function queryLease(node: string, id: bigint): Promise<L.Lease> {
  return need(await fetchLease(nodeQuery(node), id), `lease ${id}`, "list your leases with 'trustnet lease list'");
}

export const queryProvider = (node: string, owner: string): Promise<L.Provider | undefined> => fetchProvider(nodeQuery(node), owner);

export async function requireProvider(node: string, owner: string): Promise<L.Provider> {
  return need(await queryProvider(node, owner), `provider ${owner}`, "register it with 'trustnet provider register', or list providers with 'trustnet provider list'");
}

export async function queryEscrow(node: string, id: bigint): Promise<L.QueryEscrowResponse> {
  return need(await fetchEscrow(nodeQuery(node), id), `lease ${id}`, "list your leases with 'trustnet lease list'");
}

export const queryParams = (node: string): Promise<L.Params> => fetchParams(nodeQuery(node));

/** Every page of a tenant's or provider's leases in `state` (0 any … 4 open). */
export const queryLeases = (node: string, by: "tenant" | "provider", owner: string, state: bigint): Promise<L.Lease[]> => fetchLeases(nodeQuery(node), by, owner, state);
