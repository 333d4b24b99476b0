// The architecture check: dependency-cruiser with the project's rules (.dependency-cruiser.cjs) over every package,
// then the module shape (docs/ARCHITECTURE.md "Module shape"): every folder under abci-app/src/modules/ has each file
// of MODULE_SHAPE, and each of them exports something.
// Usage: node scripts/check-architecture.ts [--root DIR]   (exit 1 and one line per violation when a rule is broken)
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGES = ["abci-app", "cli", "installer", "registry", "provisioner"] as const;
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The files every module has, as Cosmos SDK's x/bank (docs/ARCHITECTURE.md "Module shape"). */
export const MODULE_SHAPE = [
  "keys.ts", "types.ts", "keeper.ts", "msgs.ts", "queries.ts", "genesis.ts", "errors.ts", "events.ts", "invariants.ts",
  "expected-keepers.ts", "index.ts", "client/rest.ts", "client/cli.ts",
] as const;
const MODULES_DIR = join("abci-app", "src", "modules");

/** One line per file of the shape that a module lacks or that exports nothing (`error module-shape: …`). */
export function moduleShapeViolations(root: string): string[] {
  const dir = join(root, MODULES_DIR);
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const m of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
    for (const f of MODULE_SHAPE) {
      const path = join(dir, m, f);
      const where = `${MODULES_DIR}/${m}/${f}`;
      if (!existsSync(path)) out.push(`error module-shape: ${where} is missing (every module has ${MODULE_SHAPE.join(", ")})`);
      else if (!/^export\s/m.test(readFileSync(path, "utf8"))) out.push(`error module-shape: ${where} exports nothing`);
    }
  }
  return out;
}

export interface ArchitectureResult {
  ok: boolean;
  /** The module-shape violations (one line each), then dependency-cruiser's own report: one line per violation, then a summary. */
  report: string;
}

/** Runs both checks on `root` (a tree laid out like the project's, with its own .dependency-cruiser.cjs and tsconfig). */
export function checkArchitecture(root = projectRoot): ArchitectureResult {
  const bin = join(projectRoot, "node_modules", "dependency-cruiser", "bin", "dependency-cruiser.mjs");
  const dirs = PACKAGES.filter((p) => existsSync(join(root, p)));
  const r = spawnSync(process.execPath, [bin, ...dirs, "--config", ".dependency-cruiser.cjs", "--output-type", "err"], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });
  const cruised = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  const shape = moduleShapeViolations(root);
  const report = [...(r.error ? [r.error.message] : []), ...shape, ...(shape.length && cruised ? [""] : []), cruised].join("\n");
  return { ok: r.status === 0 && shape.length === 0, report };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--root");
  const res = checkArchitecture(i > 0 ? resolve(process.argv[i + 1] ?? ".") : projectRoot);
  console.log(res.ok ? `architecture: ${res.report.split("\n").pop() ?? "ok"}; every module has the ${MODULE_SHAPE.length} files of its shape` : res.report);
  process.exit(res.ok ? 0 : 1);
}
