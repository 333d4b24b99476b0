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
