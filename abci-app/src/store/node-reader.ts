// Reads committed tree nodes for one stage(): the top levels from the NodeCache (filling it on a miss), and
// everything below `loadDepth` one subtree at a time: the first miss under a subtree root at depth `loadDepth`
// fetches that whole subtree with one range query (a handful of rows for typical state sizes), so a change
// costs one SQLite statement below the cache instead of two point reads per level. Only the last fetched subtree is
// kept: updateTree walks the changes in path order and never returns to a subtree it has left, so a block's reads
// hold one subtree's rows at a time, not every row the block touched (at 1M accounts a subtree is ~60 rows and a
// full block of sends touches every subtree: holding them all was the whole tree below the cache, ~1 GB).
import { latin1 } from "./bytes.ts";
import { EMPTY_HASH } from "./merkle-hash.ts";
import { EMPTY_NODE, positionBytes } from "./merkle-tree.ts";
import type { NodeSource, Position, TreeNode } from "./merkle-tree.ts";
import type { NodeCache } from "./merkle-cache.ts";
import { blobColumn } from "./sql-driver.ts";
import type { SqlRow, SqlStatement } from "./sql-driver.ts";

const MIN_LOAD_DEPTH = 8;

function toNode(row: SqlRow): TreeNode {
  const hash = blobColumn(row, "hash") ?? EMPTY_HASH;
  const leaf = blobColumn(row, "leaf");
  return leaf === undefined ? { kind: "inner", hash } : { kind: "leaf", keyHash: leaf, hash };
}

export class NodeReader implements NodeSource {
  private readonly cache: NodeCache;
  private readonly point: SqlStatement;
  private readonly subtree: SqlStatement;
  private readonly loadDepth: number;
  /** The subtree root whose rows `rows` holds. */
  private loaded: Position | undefined;
  private readonly rows = new Map<string, TreeNode>();

  /**
   * @param point   SELECT hash, leaf FROM nodes WHERE path = ?
   * @param subtree SELECT path, hash, leaf FROM nodes WHERE path >= ? AND path < ?
   */
  constructor(cache: NodeCache, cachedLevels: number, point: SqlStatement, subtree: SqlStatement) {
    this.cache = cache;
    this.point = point;
    this.subtree = subtree;
    this.loadDepth = Math.max(cachedLevels, MIN_LOAD_DEPTH);
  }

  node(position: Position): TreeNode {
    const cached = this.cache.get(position);
    if (cached !== undefined) return cached;
    if (position.length < this.loadDepth) {
      const row = this.point.get(positionBytes(position));
      const node = row === undefined ? EMPTY_NODE : toNode(row);
      this.cache.remember(position, node);
      return node;
    }
    const root = position.slice(0, this.loadDepth);
    if (this.loaded !== root) {
      this.loaded = root;
      this.rows.clear();
      for (const row of this.subtree.all(positionBytes(root), positionBytes(`${root}\u0002`))) {
        const path = blobColumn(row, "path");
        if (path !== undefined) this.rows.set(latin1(path), toNode(row));
      }
    }
    return this.rows.get(position) ?? EMPTY_NODE;
  }
}
