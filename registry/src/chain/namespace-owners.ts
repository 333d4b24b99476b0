import { registryTypes } from "@trustnet/abci-app";
import type { NamespaceOwners, NamespaceRights } from "../auth/namespace-owners.ts";
import type { ChainRpc } from "./rpc.ts";

const KEY_NOT_FOUND = 22;

/**
 * Namespace rights read from the chain (`/trustnet.registry.v1.Query/NamespaceRights`: owner, members, authorised
 * registries), cached for a few seconds so a docker push (dozens of requests) costs one query. Unreachable chain →
 * throws (the push fails; pulls don't ask). `operator` is this registry's operator address: a namespace whose owner
 * has not authorised it cannot be pushed to here (its records would be refused). Without an operator key nothing
 * is recorded, and the owner and members may push.
 */
export class ChainNamespaceOwners implements NamespaceOwners {
  readonly #rpc: ChainRpc;
  readonly #ttlMs: number;
  readonly #operator: string | undefined;
  readonly #cache = new Map<string, { rights: NamespaceRights | undefined; at: number }>();

  constructor(rpc: ChainRpc, ttlMs = 3000, operator?: string) {
    this.#rpc = rpc;
    this.#ttlMs = ttlMs;
    this.#operator = operator;
  }

  async ownerOf(namespace: string): Promise<string | undefined> {
    return (await this.rights(namespace))?.owner;
  }

  async rights(namespace: string): Promise<NamespaceRights | undefined> {
    const hit = this.#cache.get(namespace);
    if (hit && performance.now() - hit.at < this.#ttlMs) return hit.rights;
    const r = await this.#rpc.abciQuery("/trustnet.registry.v1.Query/NamespaceRights", registryTypes.QueryNamespaceRightsRequest.encode({ namespace }).finish());
    let rights: NamespaceRights | undefined;
    if (r.code === KEY_NOT_FOUND) rights = undefined;
    else if (r.code !== 0) throw new Error(`namespace query for ${namespace} failed (code ${r.code}): ${r.log}`);
    else {
      const v = registryTypes.QueryNamespaceRightsResponse.decode(r.value);
      rights = { owner: v.owner, members: v.members, registryAuthorized: this.#operator === undefined || v.authorized.includes(this.#operator) };
    }
    this.#cache.set(namespace, { rights, at: performance.now() });
    return rights;
  }
}
