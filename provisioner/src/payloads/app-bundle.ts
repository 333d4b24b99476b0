/**
 * The app as it is shipped to a VM: one tarball with the workspaces' sources (no tests), config/, the root
 * package.json and the production dependency closure from node_modules (pure JS; a native addon without a prebuild
 * for the guest falls back to its JS path). No npm, no network: the closure is resolved the way Node resolves it,
 * from the installed tree. The tarball's single top directory is `trustnet/`, and it is reproducible (sorted, mtime 0).
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { ProvisionError } from "../errors.ts";
import { checked, type Shell } from "../shell.ts";

interface PackageJson {
  readonly name?: string;
  readonly workspaces?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

function readPackage(dir: string): PackageJson {
  try {
    return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;
  } catch (e) {
    throw new ProvisionError(`cannot read ${join(dir, "package.json")}: ${(e as Error).message}`, "run npm ci in the TrustNet directory");
  }
}

/** Node's lookup: `<dir>/node_modules/<name>`, walking up to `root`. */
function resolvePackage(name: string, from: string, root: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dir === root || dirname(dir) === dir) return undefined;
  }
}

/** Directories (relative to root) of every package the workspaces need at run time, sorted. */
export function productionClosure(root: string): { readonly workspaces: readonly string[]; readonly packages: readonly string[] } {
  const rootPkg = readPackage(root);
  const workspaces = [...(rootPkg.workspaces ?? [])].sort();
  const seen = new Set<string>();
  const queue: { name: string; from: string; optional: boolean }[] = [];
  const enqueue = (pkg: PackageJson, from: string): void => {
    for (const name of Object.keys(pkg.dependencies ?? {})) queue.push({ name, from, optional: false });
    for (const name of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name, from, optional: true });
  };
  enqueue(rootPkg, root);
  for (const w of workspaces) enqueue(readPackage(join(root, w)), join(root, w));
  while (queue.length > 0) {
    const { name, from, optional } = queue.shift()!;
    const dir = resolvePackage(name, from, root);
    if (dir === undefined) {
      if (optional) continue;
      throw new ProvisionError(`dependency ${name} (needed by ${relative(root, from) || "the root package"}) is not installed`, "run npm ci in the TrustNet directory");
    }
    const rel = relative(root, dir);
    if (seen.has(rel)) continue;
    seen.add(rel);
    if (!lstatSync(dir).isSymbolicLink()) enqueue(readPackage(dir), dir);
  }
  // The workspace links (node_modules/@scope/name -> ../../name), so workspaces import each other by name.
  for (const w of workspaces) {
    const name = readPackage(join(root, w)).name;
    if (name !== undefined && existsSync(join(root, "node_modules", name))) seen.add(join("node_modules", name));
  }
  return { workspaces, packages: [...seen].sort() };
}

function walk(root: string, rel: string, out: string[]): void {
  for (const e of readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(rel, e.name);
    if (e.isDirectory()) {
      if (e.name === "node_modules" || e.name === "test" || e.name === "fixtures" || e.name.startsWith(".")) continue;
      walk(root, p, out);
    } else if (!/\.(spec|e2e)\.ts$/.test(e.name)) out.push(p);
  }
}

/** The file list (relative paths; package directories as whole entries) of the bundle. */
export function bundleEntries(root: string): readonly string[] {
  const { workspaces, packages } = productionClosure(root);
  const files: string[] = ["package.json"];
  for (const w of [...workspaces, ...(existsSync(join(root, "config")) ? ["config"] : [])]) walk(root, w, files);
  return [...files, ...packages];
}

/** Writes the app bundle to `out` (a .tgz). */
export async function buildAppBundle($: Shell, root: string, out: string): Promise<void> {
  const entries = bundleEntries(root);
  const input = `${entries.join("\0")}\0`;
  await checked($({ input })`tar -C ${root} --null -T - --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --transform ${"s,^,trustnet/,S"} ${"--use-compress-program=gzip -n -6"} -cf ${out}`, "tar", "apt-get install tar gzip");
}
