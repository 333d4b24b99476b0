// The architecture check: dependency-cruiser with the project's rules (.dependency-cruiser.cjs) over every package.
// Usage: node scripts/check-architecture.ts [--root DIR]   (exit 1 and one line per violation when a rule is broken)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PACKAGES = ["abci-app", "cli", "installer", "registry", "provisioner"] as const;
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface ArchitectureResult {
  ok: boolean;
  /** dependency-cruiser's own report: one line per violation, then a summary. */
  report: string;
}

/** Runs the check on `root` (a tree laid out like the project's, with its own .dependency-cruiser.cjs and tsconfig). */
export function checkArchitecture(root = projectRoot): ArchitectureResult {
  const bin = join(projectRoot, "node_modules", "dependency-cruiser", "bin", "dependency-cruiser.mjs");
  const dirs = PACKAGES.filter((p) => existsSync(join(root, p)));
  const r = spawnSync(process.execPath, [bin, ...dirs, "--config", ".dependency-cruiser.cjs", "--output-type", "err"], {
    cwd: root,
    encoding: "utf8",
    timeout: 120_000,
  });
  const report = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  return { ok: r.status === 0, report: r.error ? `${r.error.message}\n${report}` : report };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf("--root");
  const res = checkArchitecture(i > 0 ? resolve(process.argv[i + 1] ?? ".") : projectRoot);
  console.log(res.ok ? `architecture: ${res.report.split("\n").pop() ?? "ok"}` : res.report);
  process.exit(res.ok ? 0 : 1);
}
