// Full recomputation of the app hash from the leaves, and a one-pass check of the persisted tree against it.
import { bytesEqual, compareBytes, successor, toHex } from "./bytes.ts";
import { RootMismatchError } from "./errors.ts";
import { EMPTY_HASH, innerHash, keyPath, leafHash } from "./merkle-hash.ts";
import { computeRoot } from "./merkle-tree.ts";
import { scanRange } from "./range-scan.ts";
import { blobColumn } from "./sql-driver.ts";
import type { Statements } from "./statements.ts";

interface Leaf {
  readonly keyHash: Uint8Array;
  readonly leafHash: Uint8Array;
}

interface Open {
  readonly path: Uint8Array;
  readonly hash: Uint8Array;
  readonly children: [Uint8Array | undefined, Uint8Array | undefined];
  readonly kinds: [string, string];
}

const CHUNK = 2048;

function isPrefix(prefix: Uint8Array, of: Uint8Array): boolean {
  if (prefix.byteLength > of.byteLength) return false;
  for (let i = 0; i < prefix.byteLength; i++) if (prefix[i] !== of[i]) return false;
  return true;
}

/**
 * Reads the nodes table once in path order (a pre-order walk: a parent's path is a prefix of its children's) and
 * checks that every row hangs under an inner node, every inner hash matches its children, and no inner node is
 * left uncompressed (two empty children, or one leaf beside an empty one). Returns the root and the leaves in
 * path order.
 */
function checkNodes(sql: Statements): { root: Uint8Array; leaves: Leaf[] } {
  const leaves: Leaf[] = [];
  const stack: Open[] = [];
  let root: Uint8Array = EMPTY_HASH;
  const settle = (path: Uint8Array, hash: Uint8Array, kind: string): void => {
    if (path.byteLength === 0) {
      root = hash;
      return;
    }
    const parent = stack.at(-1);
    if (parent === undefined || parent.path.byteLength !== path.byteLength - 1 || !isPrefix(parent.path, path)) {
      throw new RootMismatchError("tree rows", "every row under an inner node", `an unreachable row at depth ${String(path.byteLength)}`);
    }
    const bit = path[path.byteLength - 1] === 1 ? 1 : 0;
    parent.children[bit] = hash;
    parent.kinds[bit] = kind;
  };
  const close = (): void => {
    const e = stack.pop();
    if (e === undefined) return;
    const [k0, k1] = e.kinds;
    if ((k0 === "empty" && k1 !== "inner") || (k1 === "empty" && k0 !== "inner")) {
      throw new RootMismatchError(`inner node at depth ${String(e.path.byteLength)}`, "a compressed tree", `children ${k0}/${k1}`);
    }
    const computed = innerHash(e.children[0] ?? EMPTY_HASH, e.children[1] ?? EMPTY_HASH);
    if (!bytesEqual(computed, e.hash)) {
      throw new RootMismatchError(`inner node at depth ${String(e.path.byteLength)}`, toHex(e.hash), toHex(computed));
    }
    settle(e.path, e.hash, "inner");
  };
  let lo: Uint8Array = new Uint8Array(0);
  for (;;) {
    const rows = sql.nodeScan.all(lo, CHUNK);
    for (const row of rows) {
      const path = blobColumn(row, "path") ?? new Uint8Array(0);
      const hash = blobColumn(row, "hash") ?? EMPTY_HASH;
      const leaf = blobColumn(row, "leaf");
      while (stack.length > 0 && !isPrefix(stack.at(-1)?.path ?? path, path)) close();
      if (leaf !== undefined) {
        settle(path, hash, "leaf");
        leaves.push({ keyHash: leaf, leafHash: hash });
      } else {
        stack.push({ path, hash, children: [undefined, undefined], kinds: ["empty", "empty"] });
      }
      lo = successor(path);
    }
    if (rows.length < CHUNK) break;
  }
  while (stack.length > 0) close();
  return { root, leaves };
}

export function verifyTree(sql: Statements, appHash: Uint8Array): void {
  const leaves: Leaf[] = [];
  for (const [key, value] of scanRange(sql.scan, new Uint8Array(0), {})) {
    leaves.push({ keyHash: keyPath(key), leafHash: leafHash(key, value) });
  }
  const fromLeaves = computeRoot(leaves);
  if (!bytesEqual(fromLeaves, appHash)) throw new RootMismatchError("app hash", toHex(appHash), toHex(fromLeaves));
  const tree = checkNodes(sql);
  if (!bytesEqual(tree.root, appHash)) throw new RootMismatchError("tree root", toHex(appHash), toHex(tree.root));
  leaves.sort((a, b) => compareBytes(a.keyHash, b.keyHash));
  if (tree.leaves.length !== leaves.length) {
    throw new RootMismatchError("tree leaves", `${String(leaves.length)} state rows`, `${String(tree.leaves.length)} leaves`);
  }
  tree.leaves.forEach((l, i) => {
    const want = leaves[i];
    if (want === undefined || !bytesEqual(l.keyHash, want.keyHash) || !bytesEqual(l.leafHash, want.leafHash)) {
      throw new RootMismatchError("tree leaves", "leaves equal to the state rows", `a different leaf at index ${String(i)}`);
    }
  });
}
