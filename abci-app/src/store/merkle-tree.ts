// A compressed sparse Merkle tree over sha256(key), 256 levels. A subtree that holds one leaf IS that leaf
// (wherever it sits), an empty subtree is EMPTY_HASH. The root therefore depends only on the set of
// (key, value) pairs, never on insertion history. This file is pure: node storage comes in through NodeSource
// and the update comes back as a list of NodeOps for the caller to persist.
//
// A node position is its bit path from the root, one character (U+0000 or U+0001) per level; persisted as the
// latin1 bytes of that string (positionBytes), so the descendants of position p are exactly the keys in the open
// byte range (p, p ‖ 0x02). Invariant of the persisted form: every inner node's two children are stored (an
// absent row = empty) and no rows exist below a leaf or empty position.
import { compareBytes } from "./bytes.ts";
import { EMPTY_HASH, HASH_BYTES, innerHash, pathBit } from "./merkle-hash.ts";
import { EMPTY_NODE } from "./merkle-node.ts";
import type { Position, TreeNode } from "./merkle-node.ts";
import { PutList } from "./put-list.ts";

export { EMPTY_NODE, type Position, type TreeNode };

/** A change to one leaf: its path (sha256 of the key) and new leaf hash, or null to remove it. */
export interface LeafChange {
  readonly keyHash: Uint8Array;
  readonly leafHash: Uint8Array | null;
}

/** The persisted (SQLite key) form of a position. */
export function positionBytes(position: Position): Uint8Array {
  const b = Buffer.from(position, "latin1");
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Reads the persisted node at a position (EMPTY_NODE when there is none). */
export interface NodeSource {
  node(position: Position): TreeNode;
}

/** Persist `node` at `position` (delete the row when it is empty), or drop every row strictly below `position`. */
export type NodeOp =
  | { readonly op: "put"; readonly position: Position; readonly node: TreeNode }
  | { readonly op: "prune"; readonly position: Position };

/** Receives an update's ops in order: the raw list (tests) or its compaction (the store). */
interface OpSink {
  put(position: Position, node: TreeNode): void;
  prune(position: Position): void;
}

export interface TreeUpdate<Ops> {
  readonly root: TreeNode;
  readonly ops: Ops;
}

const MAX_DEPTH = HASH_BYTES * 8;
const ROOT_POSITION: Position = "";

export function nodeHash(node: TreeNode): Uint8Array {
  return node.kind === "empty" ? EMPTY_HASH : node.hash;
}

function child(position: Position, bit: number): Position {
  return position + (bit === 0 ? "\u0000" : "\u0001");
}

function combine(left: TreeNode, right: TreeNode): TreeNode {
  if (left.kind === "empty" && right.kind !== "inner") return right;
  if (right.kind === "empty" && left.kind === "leaf") return left;
  return { kind: "inner", hash: innerHash(nodeHash(left), nodeHash(right)) };
}

/** First index in [lo, hi) whose path has bit `depth` set; the range shares its first `depth` bits. */
function splitIndex(items: readonly LeafChange[], lo: number, hi: number, depth: number): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >>> 1;
    const item = items[mid];
    if (item !== undefined && pathBit(item.keyHash, depth) === 0) a = mid + 1;
    else b = mid;
  }
  return a;
}

function checkDepth(depth: number): void {
  if (depth >= MAX_DEPTH) throw new Error("sha256 collision between two state keys: cannot place both leaves");
}

/** Builds the subtree for a sorted list of present leaves, emitting puts for its non-empty nodes. */
function build(leaves: readonly LeafChange[], lo: number, hi: number, depth: number, position: Position,
  ops: OpSink): TreeNode {
  if (hi === lo) return EMPTY_NODE;
  let node: TreeNode;
  const first = leaves[lo];
  if (hi - lo === 1 && first !== undefined && first.leafHash !== null) {
    node = { kind: "leaf", keyHash: first.keyHash, hash: first.leafHash };
  } else {
    checkDepth(depth);
    const mid = splitIndex(leaves, lo, hi, depth);
    const left = build(leaves, lo, mid, depth + 1, child(position, 0), ops);
    const right = build(leaves, mid, hi, depth + 1, child(position, 1), ops);
    node = combine(left, right);
  }
  ops.put(position, node);
  return node;
}

/** The leaves of a leaf-or-empty subtree after applying changes[lo, hi), deletes removed, sorted by path. */
function mergeLeaf(existing: TreeNode, changes: readonly LeafChange[], lo: number, hi: number): LeafChange[] {
  const out: LeafChange[] = [];
  let pending = existing.kind === "leaf" ? existing : undefined;
  for (let i = lo; i < hi; i++) {
    const c = changes[i];
    if (c === undefined) continue;
    if (pending !== undefined) {
      const cmp = compareBytes(pending.keyHash, c.keyHash);
      if (cmp < 0) {
        out.push({ keyHash: pending.keyHash, leafHash: pending.hash });
        pending = undefined;
      } else if (cmp === 0) {
        pending = undefined; // replaced or deleted by the change
      }
    }
    if (c.leafHash !== null) out.push(c);
  }
  if (pending !== undefined) out.push({ keyHash: pending.keyHash, leafHash: pending.hash });
  return out;
}

function update(source: NodeSource, existing: TreeNode, changes: readonly LeafChange[], lo: number, hi: number,
  depth: number, position: Position, ops: OpSink): TreeNode {
  if (lo === hi) return existing;
  if (existing.kind !== "inner") {
    const leaves = mergeLeaf(existing, changes, lo, hi);
    if (leaves.length === 0) {
      ops.put(position, EMPTY_NODE);
      return EMPTY_NODE;
    }
    return build(leaves, 0, leaves.length, depth, position, ops);
  }
  checkDepth(depth);
  const mid = splitIndex(changes, lo, hi, depth);
  const lp = child(position, 0);
  const rp = child(position, 1);
  const left = update(source, mid > lo ? source.node(lp) : EMPTY_NODE, changes, lo, mid, depth + 1, lp, ops);
  const right = update(source, hi > mid ? source.node(rp) : EMPTY_NODE, changes, mid, hi, depth + 1, rp, ops);
  // A side without changes was not read above; read it now only if the result depends on its kind.
  const l = mid > lo ? left : source.node(lp);
  const r = hi > mid ? right : source.node(rp);
  const node = combine(l, r);
  if (node.kind !== "inner") ops.prune(position);
  ops.put(position, node);
  return node;
}

/**
 * Applies leaf changes to the persisted tree and returns the compacted writes. `changes` must be sorted by keyHash
 * (unsigned byte order) with no duplicates, and every change must really change the leaf set (no delete of an
 * absent leaf, no same-hash set).
 */
export function updateTree(source: NodeSource, changes: readonly LeafChange[]): TreeUpdate<CompactOps> {
  const sink = new CompactSink();
  const root = update(source, source.node(ROOT_POSITION), changes, 0, changes.length, 0, ROOT_POSITION, sink);
  return { root, ops: sink.result() };
}

/** updateTree with every op as emitted, before compaction (what the tests replay to check compactOps). */
export function updateTreeRaw(source: NodeSource, changes: readonly LeafChange[]): TreeUpdate<readonly NodeOp[]> {
  const ops: NodeOp[] = [];
  const sink: OpSink = { put: (position, node) => ops.push({ op: "put", position, node }), prune: (position) => ops.push({ op: "prune", position }) };
  const root = update(source, source.node(ROOT_POSITION), changes, 0, changes.length, 0, ROOT_POSITION, sink);
  return { root, ops };
}

/** NodeOps reduced to what reaches the database: subtree prunes, then one write per position. */
export interface CompactOps {
  /** Positions whose strict descendants are all deleted; apply before `puts`. */
  readonly prunes: readonly Position[];
  /** Distinct positions; an empty node means "delete the row". */
  readonly puts: Iterable<{ readonly position: Position; readonly node: TreeNode }>;
}

/**
 * Compacts ops as they come. A prune(p) is emitted right after the puts of p's recursion, which are the most
 * recent puts below p and are overwritten by the prune, so they are dropped here; nothing below p is put after
 * its prune, so every prune can run first. Each position is put at most once per update otherwise.
 */
class CompactSink implements OpSink {
  readonly #prunes: Position[] = [];
  readonly #puts = new PutList();

  put(position: Position, node: TreeNode): void {
    this.#puts.push(position, node);
  }

  prune(p: Position): void {
    for (let last = this.#puts.lastPosition(); last !== undefined && last.length > p.length && last.startsWith(p);
      last = this.#puts.lastPosition()) {
      this.#puts.pop();
    }
    this.#prunes.push(p);
  }

  result(): CompactOps {
    return { prunes: this.#prunes, puts: this.#puts };
  }
}

/** Compacts a raw op list (the same compaction updateTree applies as it goes). */
export function compactOps(ops: readonly NodeOp[]): CompactOps {
  const sink = new CompactSink();
  for (const op of ops) {
    if (op.op === "put") sink.put(op.position, op.node);
    else sink.prune(op.position);
  }
  return sink.result();
}

/** The root of the tree holding exactly `leaves` (any order; computed from scratch, nothing persisted). */
export function computeRoot(leaves: readonly { readonly keyHash: Uint8Array; readonly leafHash: Uint8Array }[]):
  Uint8Array {
  const sorted = [...leaves].sort((a, b) => compareBytes(a.keyHash, b.keyHash));
  return nodeHash(build(sorted, 0, sorted.length, 0, ROOT_POSITION, { put: () => undefined, prune: () => undefined }));
}

export { ROOT_POSITION };
