import type { ChainProbe } from "../hooks.ts";
import type { CometRpc } from "@trustnet/abci-app";

export { ChainNamespaceOwners } from "./namespace-owners.ts";
export { ChainTagSubmitter, tagQueueFiles, type OperatorKey } from "./tag-submitter.ts";
export { loadOperatorKey } from "./operator-key.ts";

export function chainProbe(rpc: CometRpc): ChainProbe {
  return { reachable: () => rpc.chainId().then(() => true, () => false) };
}
