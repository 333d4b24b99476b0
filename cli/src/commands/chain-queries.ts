// The query side shared by `trustnet query staking|slashing`: one cosmjs QueryClient with both extensions.
import { QueryClient, setupSlashingExtension, setupStakingExtension, type StakingExtension } from "@cosmjs/stargate";
import { Comet38Client, HttpClient } from "@cosmjs/tendermint-rpc";
import { connectQueryClient, normalizeNodeUrl, translateChainError } from "../chain/index.ts";
import type { GlobalOptions } from "../global-options.ts";

/** cosmjs exports the slashing extension's setup but not its type from the package root. */
type SlashingExtension = ReturnType<typeof setupSlashingExtension>;
const E18 = 10n ** 18n;

/** Runs `f` with cosmjs's staking and slashing query extensions, after checking the node and chain id. */
export async function withChainQueries<T>(a: GlobalOptions, f: (q: StakingExtension & SlashingExtension) => Promise<T>): Promise<T> {
  (await connectQueryClient({ node: a.node, chainId: a["chain-id"] })).disconnect(); // reachability and chain id, with clear errors
  const client = Comet38Client.create(new HttpClient(normalizeNodeUrl(a.node), 20_000));
  try {
    return await f(QueryClient.withExtensions(client, setupStakingExtension, setupSlashingExtension));
  } catch (err) {
    throw translateChainError(err, { node: a.node });
  } finally {
    client.disconnect();
  }
}

/** An 18-place decimal's wire integer ("50000000000000000") as "0.05". */
export const rate = (wire: string): string => {
  const v = BigInt(wire || "0");
  return `${v / E18}.${(v % E18).toString().padStart(18, "0").replace(/0+$/u, "") || "0"}`;
};
