// Registry-module reads over CometBFT's abci_query (no signer needed), through the chain client's registry queries.
import { AbciQueryError, CometRpc, orUndefined, queryClients, type RegistryQueryClient } from "@trustnet/abci-app";
import { CliError } from "../errors.ts";

/** Runs `q` against the node's registry queries; an unreachable node becomes an actionable error, a refusal its log. */
async function registry<T>(node: string, q: (r: RegistryQueryClient) => Promise<T>): Promise<T> {
  const rpc = new CometRpc(node);
  try {
    return await q(queryClients((p, d) => rpc.abciQuery(p, d)).registry);
  } catch (err) {
    if (err instanceof AbciQueryError) throw new CliError(err.message);
    throw new CliError(`cannot reach the node at ${node}: ${(err as Error).message}`, { hint: "is the devnet running? try 'trustnet devnet status'" });
  }
}

export const queryNamespaceOwner = async (node: string, namespace: string): Promise<string | undefined> =>
  (await registry(node, (r) => orUndefined(r.namespace(namespace))))?.owner;

export const queryNamespaces = (node: string, owner: string): Promise<{ namespace: string; owner: string }[]> =>
  registry(node, (r) => r.namespacesByOwner(owner));

export const queryTags = (node: string, namespace: string, repo: string) => registry(node, (r) => r.tags(namespace, repo));

export const queryTagHistory = (node: string, namespace: string, repo: string, tag: string) => registry(node, (r) => r.tagHistory(namespace, repo, tag));

export const queryRepos = (node: string, namespace: string): Promise<string[]> => registry(node, (r) => r.repos(namespace));

export interface NamespaceRightsInfo {
  readonly owner: string;
  readonly authorized: string[];
  readonly members: string[];
}

/** Owner, authorised registries (operator addresses) and members of a namespace; undefined when it is not claimed. */
export const queryNamespaceRights = (node: string, namespace: string): Promise<NamespaceRightsInfo | undefined> =>
  registry(node, (r) => orUndefined(r.namespaceRights(namespace)));

/** Whether `operator` was authorised for `namespace`, and `pusher` its owner or a member, at the end of block `height`. */
export const queryRightsAt = (node: string, namespace: string, operator: string, pusher: string, height: bigint) =>
  registry(node, (r) => r.rightsAt({ namespace, operator, pusher, height }));

/** Registered registries (operator address and endpoint URL). */
export const queryRegistries = (node: string): Promise<{ operator: string; endpoint: string }[]> => registry(node, (r) => r.registries());
