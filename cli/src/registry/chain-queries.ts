// Registry-module reads over CometBFT's abci_query (no signer needed).
import { registryTypes } from "@trustnet/abci-app";
import { ChainRpc } from "@trustnet/registry";
import { CliError } from "../errors.ts";

/** abci_query through the registry's chain client (same retries); an unreachable node becomes an actionable error. */
async function abciQuery(node: string, path: string, data: Uint8Array): Promise<{ code: number; log: string; value: Uint8Array }> {
  try {
    return await new ChainRpc(node).abciQuery(path, data);
  } catch (err) {
    throw new CliError(`cannot reach the node at ${node}: ${(err as Error).message}`, { hint: "is the devnet running? try 'trustnet devnet status'" });
  }
}

const P = "/trustnet.registry.v1.Query/";

export async function queryNamespaceOwner(node: string, namespace: string): Promise<string | undefined> {
  const r = await abciQuery(node, `${P}Namespace`, registryTypes.QueryNamespaceRequest.encode({ namespace }).finish());
  if (r.code === 22) return undefined;
  if (r.code !== 0) throw new CliError(r.log);
  return registryTypes.QueryNamespaceResponse.decode(r.value).namespace[0]?.owner;
}

export async function queryNamespaces(node: string, owner: string): Promise<{ namespace: string; owner: string }[]> {
  const r = await abciQuery(node, `${P}NamespacesByOwner`, registryTypes.QueryNamespacesByOwnerRequest.encode({ owner }).finish());
  if (r.code !== 0) throw new CliError(r.log);
  return registryTypes.QueryNamespacesResponse.decode(r.value).namespaces;
}

export async function queryTags(node: string, namespace: string, repo: string): Promise<registryTypes.TagRecord[]> {
  const r = await abciQuery(node, `${P}Tags`, registryTypes.QueryTagsRequest.encode({ namespace, repo }).finish());
  if (r.code !== 0) throw new CliError(r.log);
  return registryTypes.QueryTagRecordsResponse.decode(r.value).records;
}

export async function queryTagHistory(node: string, namespace: string, repo: string, tag: string): Promise<registryTypes.TagRecord[]> {
  const r = await abciQuery(node, `${P}TagHistory`, registryTypes.QueryTagHistoryRequest.encode({ namespace, repo, tag }).finish());
  if (r.code !== 0) throw new CliError(r.log);
  return registryTypes.QueryTagRecordsResponse.decode(r.value).records;
}

export async function queryRepos(node: string, namespace: string): Promise<string[]> {
  const r = await abciQuery(node, `${P}Repos`, registryTypes.QueryReposRequest.encode({ namespace }).finish());
  if (r.code !== 0) throw new CliError(r.log);
  return registryTypes.QueryReposResponse.decode(r.value).repos;
}

export interface NamespaceRightsInfo {
  readonly owner: string;
  readonly authorized: string[];
  readonly members: string[];
}

/** Owner, authorised registries (operator addresses) and members of a namespace; undefined when it is not claimed. */
export async function queryNamespaceRights(node: string, namespace: string): Promise<NamespaceRightsInfo | undefined> {
  const r = await abciQuery(node, `${P}NamespaceRights`, registryTypes.QueryNamespaceRightsRequest.encode({ namespace }).finish());
  if (r.code === 22) return undefined;
  if (r.code !== 0) throw new CliError(r.log);
  return registryTypes.QueryNamespaceRightsResponse.decode(r.value);
}

export interface RightsAtInfo {
  readonly owner: string;
  readonly operatorAuthorized: boolean;
  readonly pusherIsOwner: boolean;
  readonly pusherIsMember: boolean;
  readonly height: bigint;
}

/** Whether `operator` was authorised for `namespace`, and `pusher` its owner or a member, at the end of block `height`. */
export async function queryRightsAt(node: string, namespace: string, operator: string, pusher: string, height: bigint): Promise<RightsAtInfo> {
  const r = await abciQuery(node, `${P}RightsAt`, registryTypes.QueryRightsAtRequest.encode({ namespace, operator, pusher, height }).finish());
  if (r.code !== 0) throw new CliError(r.log);
  const v = registryTypes.QueryRightsAtResponse.decode(r.value);
  return { owner: v.owner, operatorAuthorized: v.operatorAuthorized === 1n, pusherIsOwner: v.pusherIsOwner === 1n, pusherIsMember: v.pusherIsMember === 1n, height: v.height };
}

/** Registered registries (operator address and endpoint URL). */
export async function queryRegistries(node: string): Promise<{ operator: string; endpoint: string }[]> {
  const r = await abciQuery(node, `${P}Registries`, new Uint8Array());
  if (r.code !== 0) throw new CliError(r.log);
  return registryTypes.QueryRegistriesResponse.decode(r.value).registries;
}
