import { addressBytes } from "../../app/address.ts";
import { fromUtf8, utf8 } from "../../app/keys.ts";
import type { KVReader, KVStore } from "../../store/index.ts";
import { ErrNamespaceNotFound, ErrNamespaceTaken, ErrNotOperator, ErrNotOwner } from "./errors.ts";
import {
  byOwnerKey, byOwnerPrefix, historyKey, historyPrefix, namespaceKey, operatorKey, Prefix, repoKey, repoPrefix, tagKey, tagPrefix,
} from "./keys.ts";
import { type NamespaceInfo, type RegistryInfo, TagRecord } from "./types.ts";
import { bech32Address } from "../../app/address.ts";

const ONE = Uint8Array.of(1);

/** Read-only registry state. */
export class RegistryViewKeeper {
  ownerOf(store: KVReader, ns: string): string | undefined {
    const v = store.get(namespaceKey(ns));
    return v ? fromUtf8(v) : undefined;
  }

  namespacesOf(store: KVReader, owner: string): NamespaceInfo[] {
    const prefix = byOwnerPrefix(addressBytes(owner));
    return [...store.iterate(prefix)].map(([k]) => ({ namespace: fromUtf8(k.subarray(prefix.length)), owner }));
  }

  allNamespaces(store: KVReader): NamespaceInfo[] {
    return [...store.iterate(Prefix.namespace)].map(([k, v]) => ({ namespace: fromUtf8(k.subarray(Prefix.namespace.length)), owner: fromUtf8(v) }));
  }

  endpointOf(store: KVReader, operator: string): string | undefined {
    const v = store.get(operatorKey(addressBytes(operator)));
    return v ? fromUtf8(v) : undefined;
  }

  registries(store: KVReader): RegistryInfo[] {
    return [...store.iterate(Prefix.operator)].map(([k, v]) => ({ operator: bech32Address(k.subarray(Prefix.operator.length)), endpoint: fromUtf8(v) }));
  }

  repos(store: KVReader, ns: string): string[] {
    const prefix = repoPrefix(ns);
    return [...store.iterate(prefix)].map(([k]) => fromUtf8(k.subarray(prefix.length)));
  }

  tags(store: KVReader, ns: string, repo: string): TagRecord[] {
    return [...store.iterate(tagPrefix(ns, repo))].map(([, v]) => TagRecord.decode(v));
  }

  tag(store: KVReader, ns: string, repo: string, tag: string): TagRecord | undefined {
    const v = store.get(tagKey(ns, repo, tag));
    return v ? TagRecord.decode(v) : undefined;
  }

  /** Every recorded version of a tag, oldest first (deletions have an empty digest). */
  history(store: KVReader, ns: string, repo: string, tag: string): TagRecord[] {
    return [...store.iterate(historyPrefix(ns, repo, tag))].map(([, v]) => TagRecord.decode(v));
  }
}

/** The registry keeper: the only code that writes the registry module's state. */
export class RegistryKeeper extends RegistryViewKeeper {
  claim(store: KVStore, ns: string, owner: string): void {
    const current = this.ownerOf(store, ns);
    if (current !== undefined) throw ErrNamespaceTaken.wrap(`namespace ${ns} is owned by ${current}`);
    store.set(namespaceKey(ns), utf8(owner));
    store.set(byOwnerKey(addressBytes(owner), ns), ONE);
  }

  requireNamespace(store: KVReader, ns: string): void {
    if (this.ownerOf(store, ns) === undefined) throw ErrNamespaceNotFound.wrap(`namespace ${ns} is not claimed`);
  }

  requireOwner(store: KVReader, ns: string, who: string): void {
    const owner = this.ownerOf(store, ns);
    if (owner === undefined) throw ErrNamespaceNotFound.wrap(`namespace ${ns} is not claimed`);
    if (owner !== who) throw ErrNotOwner.wrap(`${who} does not own namespace ${ns} (owner: ${owner})`);
  }

  transfer(store: KVStore, ns: string, from: string, to: string): void {
    this.requireOwner(store, ns, from);
    store.delete(byOwnerKey(addressBytes(from), ns));
    store.set(namespaceKey(ns), utf8(to));
    store.set(byOwnerKey(addressBytes(to), ns), ONE);
  }

  release(store: KVStore, ns: string, owner: string): void {
    this.requireOwner(store, ns, owner);
    store.delete(namespaceKey(ns));
    store.delete(byOwnerKey(addressBytes(owner), ns));
  }

  registerOperator(store: KVStore, operator: string, endpoint: string): void {
    store.set(operatorKey(addressBytes(operator)), utf8(endpoint));
  }

  requireOperator(store: KVReader, operator: string): void {
    if (this.endpointOf(store, operator) === undefined) throw ErrNotOperator.wrap(`${operator} has not registered a registry (MsgRegisterRegistry)`);
  }

  /** Records a tag's new digest (or its deletion when `rec.digest` is empty) and appends it to the tag's history. */
  record(store: KVStore, rec: TagRecord): void {
    const hist = [...store.iterate(historyPrefix(rec.namespace, rec.repo, rec.tag))];
    const sameHeight = hist.filter(([, v]) => TagRecord.decode(v).height === rec.height).length;
    store.set(historyKey(rec.namespace, rec.repo, rec.tag, rec.height, sameHeight), TagRecord.encode(rec).finish());
    if (rec.digest === "") store.delete(tagKey(rec.namespace, rec.repo, rec.tag));
    else {
      store.set(tagKey(rec.namespace, rec.repo, rec.tag), TagRecord.encode(rec).finish());
      store.set(repoKey(rec.namespace, rec.repo), ONE);
    }
  }
}
