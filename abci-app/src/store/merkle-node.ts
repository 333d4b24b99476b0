// The tree's node and position types (merkle-tree.ts describes the tree; put-list.ts stores a block's node writes).
export type TreeNode =
  | { readonly kind: "empty" }
  | { readonly kind: "leaf"; readonly keyHash: Uint8Array; readonly hash: Uint8Array }
  | { readonly kind: "inner"; readonly hash: Uint8Array };

export const EMPTY_NODE: TreeNode = { kind: "empty" };

/** A bit path from the root: one character, U+0000 (left) or U+0001 (right), per level. */
export type Position = string;
