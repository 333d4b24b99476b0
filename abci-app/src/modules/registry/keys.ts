import { concatBytes, lengthPrefixed, utf8 } from "../../app/keys.ts";

export const ModuleName = "registry";
/** Store layout; variable-length parts are length-prefixed so that keys never collide. Only the keeper uses it. */
export const Prefix = {
  namespace: utf8("registry/n/"), // + namespace -> owner (bech32)
  byOwner: utf8("registry/o/"), // + lp(owner raw) + namespace -> 0x01
  operator: utf8("registry/r/"), // + operator raw -> endpoint
  repo: utf8("registry/p/"), // + lp(namespace) + repo -> 0x01
  tag: utf8("registry/t/"), // + lp(namespace) + lp(repo) + tag -> TagRecord (current)
  history: utf8("registry/h/"), // + lp(ns) + lp(repo) + lp(tag) + u64be(height) + u32be(n) -> TagRecord
} as const;

const u64be = (n: bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
};
const u32be = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
};

export const namespaceKey = (ns: string): Uint8Array => concatBytes(Prefix.namespace, utf8(ns));
export const byOwnerPrefix = (owner: Uint8Array): Uint8Array => concatBytes(Prefix.byOwner, lengthPrefixed(owner));
export const byOwnerKey = (owner: Uint8Array, ns: string): Uint8Array => concatBytes(byOwnerPrefix(owner), utf8(ns));
export const operatorKey = (op: Uint8Array): Uint8Array => concatBytes(Prefix.operator, op);
export const repoPrefix = (ns: string): Uint8Array => concatBytes(Prefix.repo, lengthPrefixed(utf8(ns)));
export const repoKey = (ns: string, repo: string): Uint8Array => concatBytes(repoPrefix(ns), utf8(repo));
export const tagPrefix = (ns: string, repo: string): Uint8Array => concatBytes(Prefix.tag, lengthPrefixed(utf8(ns)), lengthPrefixed(utf8(repo)));
export const tagKey = (ns: string, repo: string, tag: string): Uint8Array => concatBytes(tagPrefix(ns, repo), utf8(tag));
export const historyPrefix = (ns: string, repo: string, tag: string): Uint8Array =>
  concatBytes(Prefix.history, lengthPrefixed(utf8(ns)), lengthPrefixed(utf8(repo)), lengthPrefixed(utf8(tag)));
export const historyKey = (ns: string, repo: string, tag: string, height: bigint, n: number): Uint8Array =>
  concatBytes(historyPrefix(ns, repo, tag), u64be(height), u32be(n));
