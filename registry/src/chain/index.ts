import type { ChainProbe } from "../hooks.ts";
import type { ChainRpc } from "./rpc.ts";

export { ChainRpc } from "./rpc.ts";
export { ChainNamespaceOwners } from "./namespace-owners.ts";
export { ChainTagSubmitter, type OperatorKey } from "./tag-submitter.ts";
export { loadOperatorKey } from "./operator-key.ts";

export function chainProbe(rpc: ChainRpc): ChainProbe {
  return { reachable: () => rpc.chainId().then(() => true, () => false) };
}
