// The registry genesis sections that carry its history across an export: the owner log and rights log (what
// `RightsAt` and `trustnet registry verify` read) and every tag's history (which also gives the current tags, the
// repositories and the history counters: the import replays it through the keeper's own writer).
import { addressBytes, bech32Address } from "../../sdk/address.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { type JsonObject, readBool, readList, readObject, readString, readUint64 } from "../../sdk/genesis-json.ts";
import { compareBytes } from "../../store/index.ts";
import type { OwnerLogEntry, RightsLogEntry, TagName } from "./keeper.ts";
import { historyPrefix, ownerLogKey, type RightKind, rightsLogKey } from "./keys.ts";
import { validateDigest, validateMediaType, validateNamespace, validateRepo, validateTag } from "./names.ts";
import type { TagRecord } from "./types.ts";

/** A tag's history at genesis: every recorded version, oldest first (its counter is their number). */
export interface GenesisTagHistory extends TagName {
  readonly records: readonly TagRecord[];
}

const RIGHT_NAMES: Record<RightKind, string> = { o: "operator", m: "member" };
const err = (msg: string) => ErrInvalidRequest.wrap(`registry genesis: ${msg}`);
const objects = (v: unknown, what: string, fields: readonly string[]): JsonObject[] => readList(v, what).map((x, i) => readObject(x, `${what}[${i}]`, fields));
const address = (v: unknown, what: string): string => bech32Address(addressBytes(readString(v, what), what));
const blockHeight = (v: unknown, what: string): bigint => {
  const h = readUint64(v, what);
  if (h < 1n) throw ErrInvalidRequest.wrap(`${what} must be a block height (at least 1)`);
  return h;
};

/** Refuses a list whose store keys are not strictly ascending (the export's order; no entry twice). */
function requireSorted<T>(list: readonly T[], key: (x: T) => Uint8Array, what: string): void {
  for (let i = 1; i < list.length; i++) {
    if (compareBytes(key(list[i - 1]!), key(list[i]!)) >= 0) throw err(`${what}[${i}] is out of order or repeats an entry (the list is sorted by store key)`);
  }
}

export function readOwnerLog(v: unknown): OwnerLogEntry[] {
  const what = "registry genesis.owner_log";
  const log = objects(v, what, ["namespace", "height", "owner"]).map((e, i) => {
    const namespace = readString(e.namespace, `${what}[${i}].namespace`);
    validateNamespace(namespace);
    const owner = readString(e.owner, `${what}[${i}].owner`);
    return { namespace, height: blockHeight(e.height, `${what}[${i}].height`), owner: owner === "" ? "" : address(owner, `${what}[${i}].owner`) };
  });
  requireSorted(log, (e) => ownerLogKey(e.namespace, e.height), "owner_log");
  return log;
}

export function readRightsLog(v: unknown): RightsLogEntry[] {
  const what = "registry genesis.rights_log";
  const log = objects(v, what, ["namespace", "right", "address", "height", "held"]).map((e, i) => {
    const namespace = readString(e.namespace, `${what}[${i}].namespace`);
    validateNamespace(namespace);
    const right = readString(e.right, `${what}[${i}].right`);
    const kind = right === "operator" ? "o" : right === "member" ? "m" : undefined;
    if (kind === undefined) throw ErrInvalidRequest.wrap(`${what}[${i}].right must be "operator" or "member"`);
    return { namespace, kind, address: address(e.address, `${what}[${i}].address`), height: blockHeight(e.height, `${what}[${i}].height`), held: readBool(e.held, `${what}[${i}].held`) } as const;
  });
  requireSorted(log, (e) => rightsLogKey(e.namespace, e.kind, addressBytes(e.address), e.height), "rights_log");
  return log;
}

const RECORD_FIELDS = ["digest", "media_type", "size", "pusher", "operator", "height", "time"];

export function readTagHistory(v: unknown): GenesisTagHistory[] {
  const what = "registry genesis.tag_history";
  const list = objects(v, what, ["namespace", "repo", "tag", "records"]).map((s, i) => {
    const namespace = readString(s.namespace, `${what}[${i}].namespace`);
    const repo = readString(s.repo, `${what}[${i}].repo`);
    const tag = readString(s.tag, `${what}[${i}].tag`);
    validateNamespace(namespace);
    validateRepo(namespace, repo);
    validateTag(tag);
    const name = `${namespace}/${repo}:${tag}`;
    const records = objects(s.records, `${what}[${i}].records`, RECORD_FIELDS).map((r, j): TagRecord => {
      const at = `${what}[${i}].records[${j}]`;
      const digest = readString(r.digest, `${at}.digest`);
      const mediaType = readString(r.media_type, `${at}.media_type`);
      const size = readUint64(r.size, `${at}.size`);
      const pusher = readString(r.pusher, `${at}.pusher`);
      if (digest === "") {
        // A deletion (MsgDeleteTag) records no media type, size or pusher.
        if (mediaType !== "" || size !== 0n || pusher !== "") throw err(`${name} version ${j} is a deletion (empty digest) but has a media type, size or pusher`);
      } else {
        validateDigest(digest);
        validateMediaType(mediaType);
      }
      return {
        namespace, repo, tag, digest, mediaType, size, pusher: pusher === "" ? "" : address(pusher, `${at}.pusher`),
        operator: address(r.operator, `${at}.operator`), height: blockHeight(r.height, `${at}.height`), time: readUint64(r.time, `${at}.time`),
      };
    });
    if (records.length === 0) throw err(`${name} has an empty history`);
    records.forEach((r, j) => {
      const prev = records[j - 1];
      if (r.digest !== "" && r.pusher === "") throw err(`${name} version ${j} records a digest without a pusher`);
      if (r.digest === "" && (prev === undefined || prev.digest === "")) throw err(`${name} version ${j} deletes a tag that is not there (MsgDeleteTag needs a current tag)`);
      if (prev && (r.height < prev.height || r.time < prev.time)) throw err(`${name} version ${j} is older than version ${j - 1} (versions are oldest first)`);
    });
    return { namespace, repo, tag, records };
  });
  requireSorted(list, (s) => historyPrefix(s.namespace, s.repo, s.tag), "tag_history");
  return list;
}

/** What the history sections are checked against: the namespaces claimed now, with their rights, and the registries. */
export interface CurrentRights {
  readonly namespaces: readonly { readonly namespace: string; readonly owner: string; readonly authorized?: readonly string[]; readonly members?: readonly string[] }[];
  readonly operators: ReadonlySet<string>;
}

/**
 * The logs and histories agree with the current state and with each other, as the keeper writes them: each
 * namespace's owner log starts with a claim and ends with its owner now ("" when released); each right's log ends
 * with whether it is held now, grants it only while the namespace is claimed and only to a registered registry;
 * every tag's namespace was claimed (has an owner log) and its operators are registered registries.
 */
export function checkHistory(now: CurrentRights, ownerLog: readonly OwnerLogEntry[], rightsLog: readonly RightsLogEntry[], tagHistory: readonly GenesisTagHistory[]): void {
  if (ownerLog.length === 0) {
    // An export always carries the owner log when it carries the others (every claim writes it).
    if (rightsLog.length > 0 || tagHistory.length > 0) throw err("rights_log and tag_history need the owner_log of their namespaces");
    return;
  }
  const owners = new Map<string, OwnerLogEntry[]>();
  for (const e of ownerLog) {
    const log = owners.get(e.namespace);
    if (log) log.push(e);
    else owners.set(e.namespace, [e]);
  }
  const claimed = new Map(now.namespaces.map((n) => [n.namespace, n]));
  for (const [ns, log] of owners) {
    if (log[0]!.owner === "") throw err(`the owner log of ${ns} starts with a release, not a claim`);
    const last = log[log.length - 1]!.owner;
    const owner = claimed.get(ns)?.owner ?? "";
    if (last !== owner) throw err(`the owner log of ${ns} ends with ${last === "" ? "a release" : last}, but its owner is ${owner === "" ? "nobody" : owner}`);
  }
  for (const n of now.namespaces) if (!owners.has(n.namespace)) throw err(`namespace ${n.namespace} has no owner_log entry`);
  const ownerAt = (ns: string, h: bigint): string => (owners.get(ns) ?? []).findLast((e) => e.height <= h)?.owner ?? "";

  const series = new Map<string, RightsLogEntry>(); // the last entry of each (namespace, right, address)
  for (const e of rightsLog) {
    const right = `${RIGHT_NAMES[e.kind]} ${e.address} of ${e.namespace}`;
    if (!owners.has(e.namespace)) throw err(`the rights log lists the ${right}, but ${e.namespace} has no owner_log entry`);
    if (e.held && ownerAt(e.namespace, e.height) === "") throw err(`the rights log grants the ${right} at height ${e.height}, when ${e.namespace} is not claimed`);
    if (e.held && e.kind === "o" && !now.operators.has(e.address)) throw err(`the rights log grants the ${right}, which is not in registries`);
    series.set(`${e.namespace}\u0000${e.kind}\u0000${e.address}`, e);
  }
  const held = new Set<string>();
  for (const n of now.namespaces) {
    for (const [kind, list] of [["o", n.authorized ?? []], ["m", n.members ?? []]] as const) {
      for (const a of list) {
        const key = `${n.namespace}\u0000${kind}\u0000${a}`;
        held.add(key);
        if (series.get(key)?.held !== true) throw err(`${n.namespace} lists the ${RIGHT_NAMES[kind]} ${a}, but the rights log does not end with it held`);
      }
    }
  }
  for (const [key, e] of series) {
    if (e.held && !held.has(key)) throw err(`the rights log ends with the ${RIGHT_NAMES[e.kind]} ${e.address} of ${e.namespace} held, but the namespace does not list it`);
  }

  for (const s of tagHistory) {
    if (!owners.has(s.namespace)) throw err(`${s.namespace}/${s.repo}:${s.tag} has a history, but ${s.namespace} has no owner_log entry`);
    for (const r of s.records) if (!now.operators.has(r.operator)) throw err(`${s.namespace}/${s.repo}:${s.tag} was recorded by ${r.operator}, which is not in registries`);
  }
}

/** The highest block height the history sections name (0 when they are empty). */
export function lastHistoryHeight(ownerLog: readonly OwnerLogEntry[], rightsLog: readonly RightsLogEntry[], tagHistory: readonly GenesisTagHistory[]): bigint {
  let h = 0n;
  for (const e of [...ownerLog, ...rightsLog]) if (e.height > h) h = e.height;
  for (const s of tagHistory) for (const r of s.records) if (r.height > h) h = r.height;
  return h;
}

export const ownerLogJson = (log: readonly OwnerLogEntry[]) => log.map((e) => ({ namespace: e.namespace, height: String(e.height), owner: e.owner }));
export const rightsLogJson = (log: readonly RightsLogEntry[]) =>
  log.map((e) => ({ namespace: e.namespace, right: RIGHT_NAMES[e.kind], address: e.address, height: String(e.height), held: e.held }));
export const tagHistoryJson = (list: readonly GenesisTagHistory[]) => list.map((s) => ({
  namespace: s.namespace, repo: s.repo, tag: s.tag,
  records: s.records.map((r) => ({ digest: r.digest, media_type: r.mediaType, size: String(r.size), pusher: r.pusher, operator: r.operator, height: String(r.height), time: String(r.time) })),
}));
