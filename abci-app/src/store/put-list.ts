// The node writes of one staged block, compact: a full block of sends at 1M accounts puts ~1M tree nodes, held from
// stage() to commit(). As objects ({position, node} + a node + a 32-byte view each) that was ~230 bytes a put; here
// a put is its position string, 32 bytes of one hash slab, a kind and, for a leaf, a reference to its key hash.
import { EMPTY_NODE } from "./merkle-node.ts";
import type { Position, TreeNode } from "./merkle-node.ts";

const HASH = 32;
const EMPTY = 0;
const LEAF = 1;
const INNER = 2;

export class PutList implements Iterable<{ readonly position: Position; readonly node: TreeNode }> {
  readonly #positions: Position[] = [];
  readonly #kinds: number[] = [];
  readonly #keyHashes: (Uint8Array | undefined)[] = [];
  #hashes = new Uint8Array(1024 * HASH);

  get length(): number {
    return this.#positions.length;
  }

  push(position: Position, node: TreeNode): void {
    const i = this.#positions.length;
    if ((i + 1) * HASH > this.#hashes.byteLength) {
      const grown = new Uint8Array(this.#hashes.byteLength * 2);
      grown.set(this.#hashes);
      this.#hashes = grown;
    }
    this.#positions.push(position);
    if (node.kind === "empty") {
      this.#kinds.push(EMPTY);
      this.#keyHashes.push(undefined);
      return;
    }
    this.#kinds.push(node.kind === "leaf" ? LEAF : INNER);
    this.#keyHashes.push(node.kind === "leaf" ? node.keyHash : undefined);
    this.#hashes.set(node.hash, i * HASH);
  }

  /** The position of the last put, if any. */
  lastPosition(): Position | undefined {
    return this.#positions.at(-1);
  }

  pop(): void {
    this.#positions.pop();
    this.#kinds.pop();
    this.#keyHashes.pop();
  }

  /** The puts in order; each node's hash is a view into this list (valid while the list lives). */
  *[Symbol.iterator](): Generator<{ readonly position: Position; readonly node: TreeNode }> {
    for (let i = 0; i < this.#positions.length; i++) {
      const position = this.#positions[i]!;
      const kind = this.#kinds[i];
      if (kind === EMPTY) {
        yield { position, node: EMPTY_NODE };
        continue;
      }
      const hash = this.#hashes.subarray(i * HASH, (i + 1) * HASH);
      const keyHash = this.#keyHashes[i];
      yield { position, node: kind === LEAF && keyHash !== undefined ? { kind: "leaf", keyHash, hash } : { kind: "inner", hash } };
    }
  }
}
