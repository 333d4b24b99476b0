// An in-memory mirror of the committed tree's top levels (depth <= maxDepth), so a block's update reads only the
// lower levels from SQLite. Entries are added top-down as nodes are read (a cached node's parent is always
// cached), updated only from committed NodeOps, and an entry is always the committed node (EMPTY_NODE included).
import type { NodeOp, TreeNode } from "./merkle-tree.ts";

function keyOf(position: Uint8Array): string {
  return Buffer.from(position.buffer, position.byteOffset, position.byteLength).toString("latin1");
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

  get(position: Uint8Array): TreeNode | undefined {
    return position.byteLength <= this.maxDepth ? this.nodes.get(keyOf(position)) : undefined;
  }

  /** Records a node read from the committed tree. */
  remember(position: Uint8Array, node: TreeNode): void {
    if (position.byteLength <= this.maxDepth) this.nodes.set(keyOf(position), node);
  }

  /** Applies the ops of a block that has just been committed. */
  apply(ops: readonly NodeOp[]): void {
    for (const op of ops) {
      if (op.position.byteLength > this.maxDepth) continue;
      const key = keyOf(op.position);
      if (op.op === "put") this.nodes.set(key, op.node);
      else this.dropBelow(key);
    }
  }

  clear(): void {
    this.nodes.clear();
  }

  private dropBelow(key: string): void {
    for (const bit of ["\u0000", "\u0001"]) {
      const c = key + bit;
      if (this.nodes.delete(c)) this.dropBelow(c);
    }
  }
}
