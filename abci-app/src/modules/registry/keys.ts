import { concatBytes, lengthPrefixed, utf8 } from "../../sdk/keys.ts";

export const ModuleName = "registry";
/** Store layout; variable-length parts are length-prefixed so that keys never collide. Only the keeper uses it. */
export const Prefix = {
  params: utf8("registry/params"), // -> Params
  deposit: utf8("registry/d/"), // + namespace -> decimal utrust its claim locked (no key: none)
  namespace: utf8("registry/n/"), // + namespace -> owner (bech32)
  byOwner: utf8("registry/o/"), // + lp(owner raw) + namespace -> 0x01
  operator: utf8("registry/r/"), // + operator raw -> endpoint
  repo: utf8("registry/p/"), // + lp(namespace) + repo -> 0x01
  tag: utf8("registry/t/"), // + lp(namespace) + lp(repo) + tag -> TagRecord (current)
  history: utf8("registry/h/"), // + lp(ns) + lp(repo) + lp(tag) + u64be(index) -> TagRecord
  historyCount: utf8("registry/c/"), // + lp(ns) + lp(repo) + lp(tag) -> u64be(number of history entries)
  authorized: utf8("registry/a/"), // + lp(ns) + operator raw -> 0x01 (the owner authorised this registry)
  member: utf8("registry/m/"), // + lp(ns) + member raw -> 0x01 (may push, besides the owner)
  // Rights over time, for `verify` at a record's height without a pruned historical state: the value as of the
  // end of each block in which it changed.
  rightsLog: utf8("registry/g/"), // + lp(ns) + kind ("o" operator | "m" member) + lp(addr raw) + u64be(height) -> 0x01 held | 0x00 not
  ownerLog: utf8("registry/w/"), // + lp(ns) + u64be(height) -> owner bech32 (empty: released)
} as const;

const u64be = (n: bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
};
export const readU64be = (b: Uint8Array): bigint => new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(0);

export const namespaceKey = (ns: string): Uint8Array => concatBytes(Prefix.namespace, utf8(ns));
export const depositKey = (ns: string): Uint8Array => concatBytes(Prefix.deposit, utf8(ns));
export const byOwnerPrefix = (owner: Uint8Array): Uint8Array => concatBytes(Prefix.byOwner, lengthPrefixed(owner));
export const byOwnerKey = (owner: Uint8Array, ns: string): Uint8Array => concatBytes(byOwnerPrefix(owner), utf8(ns));
export const operatorKey = (op: Uint8Array): Uint8Array => concatBytes(Prefix.operator, op);
export const repoPrefix = (ns: string): Uint8Array => concatBytes(Prefix.repo, lengthPrefixed(utf8(ns)));
export const repoKey = (ns: string, repo: string): Uint8Array => concatBytes(repoPrefix(ns), utf8(repo));
export const tagPrefix = (ns: string, repo: string): Uint8Array => concatBytes(Prefix.tag, lengthPrefixed(utf8(ns)), lengthPrefixed(utf8(repo)));
export const tagKey = (ns: string, repo: string, tag: string): Uint8Array => concatBytes(tagPrefix(ns, repo), utf8(tag));
export const historyPrefix = (ns: string, repo: string, tag: string): Uint8Array =>
  concatBytes(Prefix.history, lengthPrefixed(utf8(ns)), lengthPrefixed(utf8(repo)), lengthPrefixed(utf8(tag)));
export const historyKey = (ns: string, repo: string, tag: string, index: bigint): Uint8Array => concatBytes(historyPrefix(ns, repo, tag), u64be(index));
export const historyCountKey = (ns: string, repo: string, tag: string): Uint8Array =>
  concatBytes(Prefix.historyCount, lengthPrefixed(utf8(ns)), lengthPrefixed(utf8(repo)), lengthPrefixed(utf8(tag)));
export { u64be };
export const authorizedPrefix = (ns: string): Uint8Array => concatBytes(Prefix.authorized, lengthPrefixed(utf8(ns)));
export const authorizedKey = (ns: string, op: Uint8Array): Uint8Array => concatBytes(authorizedPrefix(ns), op);
export const memberPrefix = (ns: string): Uint8Array => concatBytes(Prefix.member, lengthPrefixed(utf8(ns)));
export const memberKey = (ns: string, member: Uint8Array): Uint8Array => concatBytes(memberPrefix(ns), member);

export type RightKind = "o" | "m";
export const rightsLogPrefix = (ns: string, kind: RightKind, addr: Uint8Array): Uint8Array =>
  concatBytes(Prefix.rightsLog, lengthPrefixed(utf8(ns)), utf8(kind), lengthPrefixed(addr));
export const rightsLogKey = (ns: string, kind: RightKind, addr: Uint8Array, height: bigint): Uint8Array => concatBytes(rightsLogPrefix(ns, kind, addr), u64be(height));
export const ownerLogPrefix = (ns: string): Uint8Array => concatBytes(Prefix.ownerLog, lengthPrefixed(utf8(ns)));
export const ownerLogKey = (ns: string, height: bigint): Uint8Array => concatBytes(ownerLogPrefix(ns), u64be(height));
