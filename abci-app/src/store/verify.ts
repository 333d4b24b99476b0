// Full recomputation of the app hash from the leaves, and a walk of the persisted tree against it.
import { bytesEqual, compareBytes, toHex } from "./bytes.ts";
import { RootMismatchError } from "./errors.ts";
import { EMPTY_HASH, innerHash, keyPath, leafHash } from "./merkle-hash.ts";
import { computeRoot } from "./merkle-tree.ts";
import { scanRange } from "./range-scan.ts";
import { blobColumn, intColumn } from "./sql-driver.ts";
import type { Statements } from "./statements.ts";

interface Leaf {
  readonly keyHash: Uint8Array;
  readonly leafHash: Uint8Array;
}

/** Walks the persisted tree from the root, checking every inner hash; returns its leaves in path order. */
function walkNodes(sql: Statements): { root: Uint8Array; leaves: Leaf[]; rows: number } {
  const leaves: Leaf[] = [];
  let rows = 0;
  const visit = (position: Uint8Array): Uint8Array => {
    const row = sql.node.get(position);
    if (row === undefined) return EMPTY_HASH;
    rows++;
    const hash = blobColumn(row, "hash") ?? EMPTY_HASH;
    const leaf = blobColumn(row, "leaf");
    if (leaf !== undefined) {
      leaves.push({ keyHash: leaf, leafHash: hash });
      return hash;
    }
    const l = new Uint8Array(position.byteLength + 1);
    l.set(position);
    const r = l.slice();
    r[position.byteLength] = 1;
    const computed = innerHash(visit(l), visit(r));
    if (!bytesEqual(computed, hash)) {
      throw new RootMismatchError(`inner node at depth ${String(position.byteLength)}`, toHex(hash), toHex(computed));
    }
    return hash;
  };
  const root = visit(new Uint8Array(0));
  return { root, leaves, rows };
}

export function verifyTree(sql: Statements, appHash: Uint8Array): void {
  const leaves: Leaf[] = [];
  for (const [key, value] of scanRange(sql.scan, new Uint8Array(0), {})) {
    leaves.push({ keyHash: keyPath(key), leafHash: leafHash(key, value) });
  }
  const fromLeaves = computeRoot(leaves);
  if (!bytesEqual(fromLeaves, appHash)) throw new RootMismatchError("app hash", toHex(appHash), toHex(fromLeaves));
  const walked = walkNodes(sql);
  if (!bytesEqual(walked.root, appHash)) throw new RootMismatchError("tree root", toHex(appHash), toHex(walked.root));
  leaves.sort((a, b) => compareBytes(a.keyHash, b.keyHash));
  const same = walked.leaves.length === leaves.length &&
    walked.leaves.every((l, i) => bytesEqual(l.leafHash, leaves[i]?.leafHash ?? EMPTY_HASH));
  if (!same) throw new RootMismatchError("tree leaves", `${String(walked.leaves.length)} leaves`, `${String(leaves.length)} state rows`);
  const total = intColumn(sql.allNodesCount.get(), "n");
  if (total !== BigInt(walked.rows)) {
    throw new RootMismatchError("tree rows", `${String(walked.rows)} reachable`, `${String(total)} stored`);
  }
}
