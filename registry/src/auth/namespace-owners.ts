/** What the chain says about a namespace: its owner, its members, and whether it authorises this registry. */
export interface NamespaceRights {
  readonly owner: string;
  readonly members: readonly string[];
  /** The owner has authorised this registry's operator (MsgAuthorizeRegistry), so its tag records will be accepted. */
  readonly registryAuthorized: boolean;
}

/**
 * What the registry asks the chain: who may push to a namespace, and whether an address has an account (only those
 * may revoke their logins, and push to an open default namespace). The chain-backed implementation is chain/namespace-owners.ts; tests use the in-memory one.
 */
export interface NamespaceOwners {
  ownerOf(namespace: string): Promise<string | undefined>;
  /** undefined when the namespace is not claimed. */
  rights(namespace: string): Promise<NamespaceRights | undefined>;
  /** Whether the chain has an account at `address` (it received funds once); throws when the chain cannot be asked. */
  hasAccount(address: string): Promise<boolean>;
}

export class InMemoryNamespaceOwners implements NamespaceOwners {
  readonly #owners = new Map<string, string>();
  readonly #members = new Map<string, Set<string>>();
  readonly #revoked = new Set<string>();
  readonly #accounts = new Set<string>();

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [ns, owner] of Object.entries(initial)) this.#owners.set(ns, owner);
  }

  set(namespace: string, owner: string | undefined): void {
    if (owner === undefined) this.#owners.delete(namespace);
    else this.#owners.set(namespace, owner);
  }

  setMember(namespace: string, member: string, on: boolean): void {
    const s = this.#members.get(namespace) ?? new Set<string>();
    if (on) s.add(member);
    else s.delete(member);
    this.#members.set(namespace, s);
  }

  /** Every namespace authorises this registry unless revoked here. */
  setAuthorized(namespace: string, on: boolean): void {
    if (on) this.#revoked.delete(namespace);
    else this.#revoked.add(namespace);
  }

  /** An address has an account when set here or when it owns a namespace (a claim takes a funded account). */
  setAccount(address: string, on: boolean): void {
    if (on) this.#accounts.add(address);
    else this.#accounts.delete(address);
  }

  hasAccount(address: string): Promise<boolean> {
    return Promise.resolve(this.#accounts.has(address) || [...this.#owners.values()].includes(address));
  }

  ownerOf(namespace: string): Promise<string | undefined> {
    return Promise.resolve(this.#owners.get(namespace));
  }

  rights(namespace: string): Promise<NamespaceRights | undefined> {
    const owner = this.#owners.get(namespace);
    if (owner === undefined) return Promise.resolve(undefined);
    return Promise.resolve({ owner, members: [...(this.#members.get(namespace) ?? [])], registryAuthorized: !this.#revoked.has(namespace) });
  }
}
