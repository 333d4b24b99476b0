// Reads committed tree nodes for one stage(): the top levels from the NodeCache (filling it on a miss), point reads
// from the cache's depth down to `loadDepth` included, and below `loadDepth` one subtree at a time: the first read
// below a node at depth `loadDepth` fetches that node's whole subtree with one range query. `loadDepth` adapts to
// the committed leaf count so such a subtree holds about one or two leaves whatever the size of the state; most
// nodes at that depth are leaves, so most changes read just their path and its siblings by point reads and never
// reach a range. A change reads ~2 rows per level between the cache and `loadDepth`, plus a bounded handful:
// O(log n) rows. (A fixed depth of 16 read n/65,536 leaves per change: ~60 rows at 1M accounts, ~600 at 10M.)
// Only the last fetched subtree is kept: updateTree walks the changes in path order and never returns to a subtree
// it has left, so a block's reads hold one subtree's rows at a time, not every row the block touched.
import { latin1 } from "./bytes.ts";
import { EMPTY_HASH } from "./merkle-hash.ts";
import { EMPTY_NODE, positionBytes } from "./merkle-tree.ts";
import type { NodeSource, Position, TreeNode } from "./merkle-tree.ts";
import type { NodeCache } from "./merkle-cache.ts";
import { blobColumn } from "./sql-driver.ts";
import type { SqlRow, SqlStatement } from "./sql-driver.ts";

const MIN_LOAD_DEPTH = 8;

/**
 * The depth whose subtrees hold ~1–2 of `leafCount` random leaves: rows read per change, 2·(depth − cached levels)
 * point reads plus ~2·leafCount/2^depth subtree rows, are fewest near 2^depth ≈ leafCount·ln 2.
 */
export function loadDepthFor(cachedLevels: number, leafCount: number): number {
  const adaptive = leafCount > 1 ? Math.floor(Math.log2(leafCount)) : 0;
  return Math.max(cachedLevels, MIN_LOAD_DEPTH, adaptive);
}

function toNode(row: SqlRow): TreeNode {
  const hash = blobColumn(row, "hash") ?? EMPTY_HASH;
  const leaf = blobColumn(row, "leaf");
  return leaf === undefined ? { kind: "inner", hash } : { kind: "leaf", keyHash: leaf, hash };
}

export class NodeReader implements NodeSource {
  private readonly cache: NodeCache;
  private readonly point: SqlStatement;
  private readonly subtree: SqlStatement;
  readonly loadDepth: number;
  /** The subtree root whose rows `rows` holds. */
  private loaded: Position | undefined;
  private readonly rows = new Map<string, TreeNode>();
  /**
   * `nodes` rows this reader fetched from SQLite below the cached levels (point and range reads): the per-change
   * cost. (Reads that fill the cache are left out: at most 2^cachedLevels rows per process, whatever the blocks.)
   */
  rowsRead = 0;

  /**
   * @param point   SELECT hash, leaf FROM nodes WHERE path = ?
   * @param subtree SELECT path, hash, leaf FROM nodes WHERE path >= ? AND path < ?
   */
  constructor(cache: NodeCache, loadDepth: number, point: SqlStatement, subtree: SqlStatement) {
    this.cache = cache;
    this.point = point;
    this.subtree = subtree;
    this.loadDepth = loadDepth;
  }

  node(position: Position): TreeNode {
    const cached = this.cache.get(position);
    if (cached !== undefined) return cached;
    if (position.length <= this.loadDepth) {
      const row = this.point.get(positionBytes(position));
      const node = row === undefined ? EMPTY_NODE : toNode(row);
      if (!this.cache.remember(position, node) && row !== undefined) this.rowsRead++;
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
      this.rowsRead += this.rows.size;
    }
    return this.rows.get(position) ?? EMPTY_NODE;
  }
}
