import { AbciQueryError, orUndefined, queryClients, type CometRpc, type QueryClients, type RegistryQueryClient } from "@trustnet/abci-app";
import { setBounded } from "../bounded-map.ts";
import { RegistryError } from "../errors.ts";
import type { NamespaceOwners, NamespaceRights } from "../auth/namespace-owners.ts";

/**
 * Namespace rights read from the chain (`/trustnet.registry.v1.Query/NamespaceRights`: owner, members, authorised
 * registries), cached for a few seconds (at most RIGHTS_CACHE_MAX namespaces) so a docker push (dozens of requests)
 * costs one query. Unreachable chain →
 * throws (the push fails; pulls don't ask). `operator` is this registry's operator address: a namespace whose owner
 * has not authorised it cannot be pushed to here (its records would be refused). Without an operator key nothing
 * is recorded, and the owner and members may push. `hasAccount` asks `/cosmos.auth.v1beta1.Query/Account`, uncached
 * (open pushes ask it through the Authenticator's AccountCache; /auth/revoke asks it directly).
 */
/**
 * How many namespaces' rights are kept. Any key (free to make) may ask for any valid name, one entry each: past this
 * the oldest answer goes first, so memory stays bounded whatever names a client tries.
 */
export const RIGHTS_CACHE_MAX = 10_000;

export class ChainNamespaceOwners implements NamespaceOwners {
  readonly #registry: RegistryQueryClient;
  readonly #auth: QueryClients["auth"];
  readonly #ttlMs: number;
  readonly #operator: string | undefined;
  readonly #cache = new Map<string, { rights: NamespaceRights | undefined; at: number }>();

  readonly #maxEntries: number;

  constructor(rpc: CometRpc, ttlMs = 3000, operator?: string, maxEntries = RIGHTS_CACHE_MAX) {
    const clients = queryClients((p, d) => rpc.abciQuery(p, d));
    this.#registry = clients.registry;
    this.#auth = clients.auth;
    this.#ttlMs = ttlMs;
    this.#operator = operator;
    this.#maxEntries = maxEntries;
  }

  async ownerOf(namespace: string): Promise<string | undefined> {
    return (await this.rights(namespace))?.owner;
  }

  /** "account … not found" (sdk/22) → false; any other failure (unreachable, refused) throws. */
  async hasAccount(address: string): Promise<boolean> {
    return (await orUndefined(this.#auth.Account({ address })))?.account !== undefined;
  }

  async rights(namespace: string): Promise<NamespaceRights | undefined> {
    const hit = this.#cache.get(namespace);
    if (hit && performance.now() - hit.at < this.#ttlMs) return hit.rights;
    let v;
    try {
      v = await orUndefined(this.#registry.namespaceRights(namespace));
    } catch (err) {
      // the chain's "invalid name" (registry/2): a fault of the name, not of the chain; asking again cannot help
      if (err instanceof AbciQueryError && err.codespace === "registry" && err.code === 2) throw new RegistryError("NAME_INVALID", `the chain refuses the namespace ${JSON.stringify(namespace.slice(0, 80))}: ${err.message}`, namespace.slice(0, 80));
      throw err;
    }
    const rights: NamespaceRights | undefined = v && { owner: v.owner, members: v.members, registryAuthorized: this.#operator === undefined || v.authorized.includes(this.#operator) };
    setBounded(this.#cache, namespace, { rights, at: performance.now() }, this.#maxEntries); // the Map's order is the answers' age
    return rights;
  }
}
