// An in-memory mirror of the committed tree's top levels (depth <= maxDepth), so a block's update reads only the
// lower levels from SQLite. Entries are added top-down as nodes are read (a cached node's parent is always
// cached), updated only from committed NodeOps, and an entry is always the committed node (EMPTY_NODE included).
import type { CompactOps, Position, TreeNode } from "./merkle-tree.ts";

/** The node with hashes of its own: a staged node's hashes are views into merkle-hash.ts's shared slabs. */
function ownCopy(node: TreeNode): TreeNode {
  if (node.kind === "inner") return { kind: "inner", hash: node.hash.slice() };
  if (node.kind === "leaf") return { kind: "leaf", keyHash: node.keyHash.slice(), hash: node.hash.slice() };
  return node;
}

export class NodeCache {
  private readonly maxDepth: number;
  private readonly nodes = new Map<string, TreeNode>();

  constructor(maxDepth: number) {
    this.maxDepth = maxDepth;
  }

  get size(): number {
    return this.nodes.size;
  }

  get(position: Position): TreeNode | undefined {
    return position.length <= this.maxDepth ? this.nodes.get(position) : undefined;
  }

  /** Records a node read from the committed tree, if its level is cached (the return value). */
  remember(position: Position, node: TreeNode): boolean {
    if (position.length > this.maxDepth) return false;
    this.nodes.set(position, node);
    return true;
  }

  /** Applies the (compacted) ops of a block that has just been committed. */
  apply(ops: CompactOps): void {
    for (const p of ops.prunes) if (p.length <= this.maxDepth) this.dropBelow(p);
    for (const { position, node } of ops.puts) if (position.length <= this.maxDepth) this.nodes.set(position, ownCopy(node));
  }

  clear(): void {
    this.nodes.clear();
  }

  private dropBelow(key: Position): void {
    for (const bit of ["\u0000", "\u0001"]) {
      const c = key + bit;
      if (this.nodes.delete(c)) this.dropBelow(c);
    }
  }
}
