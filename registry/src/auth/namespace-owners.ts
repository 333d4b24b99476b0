/** Who owns a namespace. The chain-backed implementation is the lead's; tests use the in-memory one. */
export interface NamespaceOwners {
  ownerOf(namespace: string): Promise<string | undefined>;
}

export class InMemoryNamespaceOwners implements NamespaceOwners {
  readonly #owners = new Map<string, string>();

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [ns, owner] of Object.entries(initial)) this.#owners.set(ns, owner);
  }

  set(namespace: string, owner: string | undefined): void {
    if (owner === undefined) this.#owners.delete(namespace);
    else this.#owners.set(namespace, owner);
  }

  ownerOf(namespace: string): Promise<string | undefined> {
    return Promise.resolve(this.#owners.get(namespace));
  }
}
