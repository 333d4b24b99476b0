// One way for the query commands to reach a node: a cosmjs QueryClient with a module's extension.
import { QueryClient } from "@cosmjs/stargate";
import { Comet38Client, HttpClient } from "@cosmjs/tendermint-rpc";
import { connectQueryClient, normalizeNodeUrl, translateChainError } from "../chain/index.ts";
import type { GlobalOptions } from "../global-options.ts";

/** Runs `f` on a cosmjs query extension of the node (reachability and chain id checked first, with clear errors). */
export async function withExtension<E extends object, T>(a: GlobalOptions, setup: (base: QueryClient) => E, f: (q: E) => Promise<T>): Promise<T> {
  (await connectQueryClient({ node: a.node, chainId: a["chain-id"] })).disconnect();
  const client = Comet38Client.create(new HttpClient(normalizeNodeUrl(a.node), 20_000));
  try {
    return await f(QueryClient.withExtensions(client, setup));
  } catch (err) {
    throw translateChainError(err, { node: a.node });
  } finally {
    client.disconnect();
  }
}
