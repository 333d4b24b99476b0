// For specs that show a refused command wrote nothing: every path under a directory with its owner, mtime and size.
import { lstat, readdir } from "node:fs/promises";
import { join, relative } from "node:path";

/** Every path under `root` with its owner, mtime and size (a directory's mtime changes with its entries). */
export async function treeSnapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (p: string): Promise<void> => {
    const s = await lstat(p);
    out[relative(root, p)] = `${s.uid} ${s.mtimeMs} ${s.size}`;
    if (s.isDirectory()) for (const e of await readdir(p)) await walk(join(p, e));
  };
  await walk(root);
  return out;
}
