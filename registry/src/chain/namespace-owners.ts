import { registryTypes } from "@trustnet/abci-app";
import type { NamespaceOwners } from "../auth/namespace-owners.ts";
import type { ChainRpc } from "./rpc.ts";

const KEY_NOT_FOUND = 22;

/**
 * Namespace ownership read from the chain (`/trustnet.registry.v1.Query/Namespace`), cached for a few seconds so a
 * docker push (dozens of requests) costs one query. Unreachable chain → throws (the push fails; pulls don't ask).
 */
export class ChainNamespaceOwners implements NamespaceOwners {
  readonly #rpc: ChainRpc;
  readonly #ttlMs: number;
  readonly #cache = new Map<string, { owner: string | undefined; at: number }>();

  constructor(rpc: ChainRpc, ttlMs = 3000) {
    this.#rpc = rpc;
    this.#ttlMs = ttlMs;
  }

  async ownerOf(namespace: string): Promise<string | undefined> {
    const hit = this.#cache.get(namespace);
    if (hit && performance.now() - hit.at < this.#ttlMs) return hit.owner;
    const r = await this.#rpc.abciQuery("/trustnet.registry.v1.Query/Namespace", registryTypes.QueryNamespaceRequest.encode({ namespace }).finish());
    let owner: string | undefined;
    if (r.code === KEY_NOT_FOUND) owner = undefined;
    else if (r.code !== 0) throw new Error(`namespace query for ${namespace} failed (code ${r.code}): ${r.log}`);
    else owner = registryTypes.QueryNamespaceResponse.decode(r.value).namespace[0]?.owner;
    this.#cache.set(namespace, { owner, at: performance.now() });
    return owner;
  }
}
