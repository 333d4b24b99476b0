// Registry-module reads over CometBFT's abci_query (no signer needed), through the chain client's registry queries.
import { AbciQueryError, CometRpc, orUndefined, queryClients, type RegistryQueryClient } from "@trustnet/abci-app";
import type { registryTypes } from "@trustnet/abci-app";
import { checkedNode, type NodeTarget } from "../chain/index.ts";
import { CliError } from "../errors.ts";

type NamespaceInfo = registryTypes.NamespaceInfo;

/**
 * Runs `q` against the node's registry queries once the node reported the target's chain id (as every chain
 * command checks); an unreachable node becomes an actionable error, a refusal its log.
 */
async function registry<T>(target: NodeTarget, q: (r: RegistryQueryClient) => Promise<T>): Promise<T> {
  const node = await checkedNode(target);
  const rpc = new CometRpc(node);
  try {
    return await q(queryClients((p, d) => rpc.abciQuery(p, d)).registry);
  } catch (err) {
    if (err instanceof AbciQueryError) throw new CliError(err.message);
    throw new CliError(`cannot reach the node at ${node}: ${(err as Error).message}`, { hint: "is the devnet running? try 'trustnet devnet status'" });
  }
}

export const queryNamespaceOwner = async (target: NodeTarget, namespace: string): Promise<string | undefined> =>
  (await registry(target, (r) => orUndefined(r.namespace(namespace))))?.owner;

/** A namespace's owner and the deposit it holds (coins, empty when none); undefined when it is not claimed. */
export const queryNamespace = (target: NodeTarget, namespace: string): Promise<NamespaceInfo | undefined> => registry(target, (r) => orUndefined(r.namespace(namespace)));

export const queryNamespaces = (target: NodeTarget, owner: string): Promise<NamespaceInfo[]> => registry(target, (r) => r.namespacesByOwner(owner));

/** The deposit a namespace claim locks now (`namespace_deposit`: one coin; amount "0" when claims lock nothing). */
export const queryNamespaceDeposit = async (target: NodeTarget): Promise<{ denom: string; amount: string }> => {
  const p = await registry(target, (r) => r.params());
  return p?.namespaceDeposit[0] ?? { denom: "utrust", amount: "0" };
};

export const queryTags = (target: NodeTarget, namespace: string, repo: string) => registry(target, (r) => r.tags(namespace, repo));

export const queryTagHistory = (target: NodeTarget, namespace: string, repo: string, tag: string) => registry(target, (r) => r.tagHistory(namespace, repo, tag));

export const queryRepos = (target: NodeTarget, namespace: string): Promise<string[]> => registry(target, (r) => r.repos(namespace));

export interface NamespaceRightsInfo {
  readonly owner: string;
  readonly authorized: string[];
  readonly members: string[];
}

/** Owner, authorised registries (operator addresses) and members of a namespace; undefined when it is not claimed. */
export const queryNamespaceRights = (target: NodeTarget, namespace: string): Promise<NamespaceRightsInfo | undefined> =>
  registry(target, (r) => orUndefined(r.namespaceRights(namespace)));

/** Whether `operator` was authorised for `namespace`, and `pusher` its owner or a member, at the end of block `height`. */
export const queryRightsAt = (target: NodeTarget, namespace: string, operator: string, pusher: string, height: bigint) =>
  registry(target, (r) => r.rightsAt({ namespace, operator, pusher, height }));

/** Registered registries (operator address and endpoint URL). */
export const queryRegistries = (target: NodeTarget): Promise<{ operator: string; endpoint: string }[]> => registry(target, (r) => r.registries());
