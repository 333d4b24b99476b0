// Runs the suite: the static checks (tsc --noEmit, eslint, the architecture and doc-links checks), unit specs (beside the code, in
// parallel), then end-to-end tests (one file at a time), then the full-image VM test (test/**/*.vm.ts: a cloud image
// booted under TCG by `trustnet vm up`, producing blocks). When the whole suite runs and that image is not cached
// yet, its build starts first, in the background at the lowest priority, and the VM phase waits for it
// (provisioner/src/testing/cloud-image.ts).
// Usage: node scripts/test-runner.ts [--checks | --unit | --e2e | --vm] [name-filter]
import { existsSync, globSync } from "node:fs";
import { cloudImageFile, startBackgroundBuild } from "../provisioner/src/testing/cloud-image.ts";
import { Foreground } from "./lib/foreground.ts";

const args = process.argv.slice(2);
const only = args.find((a) => a === "--checks" || a === "--unit" || a === "--e2e" || a === "--vm");
const filter = args.find((a) => !a.startsWith("--"));
const areas = ["abci-app", "cli", "installer", "registry", "provisioner", "scripts", "bench"];

const pick = (patterns: string[]): string[] =>
  patterns
    .flatMap((p) => globSync(p, { exclude: (f: string) => f.includes("node_modules") }))
    .filter((f) => (filter ? f.includes(filter) : true))
    .sort();

const unit = pick(areas.map((a) => `${a}/**/*.spec.ts`));
const e2e = pick(["test/**/*.e2e.ts"]);
const vm = pick(["test/**/*.vm.ts"]);

const runsVm = only === undefined && vm.length > 0;
const build = runsVm && !existsSync(cloudImageFile()) ? startBackgroundBuild({ log: (l) => console.log(l) }) : undefined;
// Stopped (Ctrl-C, or SIGTERM from a CI timeout): the phase running stops, and so does the detached build, which is
// not in the terminal's process group.
const foreground = new Foreground(() => build?.kill());

async function runFiles(label: string, files: string[], concurrency: number): Promise<number> {
  if (files.length === 0) return 0;
  console.log(`\n== ${label}: ${files.length} files`);
  return foreground.run(process.execPath, ["--test", "--test-reporter=spec", `--test-concurrency=${concurrency}`, ...files], { ...process.env, TRUSTNET_TEST: "1" });
}

/** tsc, eslint, the architecture and doc-links checks, knip: each prints its own findings; any finding fails the suite. */
async function runChecks(): Promise<number> {
  const bin = (name: string) => `node_modules/.bin/${name}`;
  const checks: [string, string, string[]][] = [
    ["tsc --noEmit (strict)", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]],
    ["eslint", bin("eslint"), ["."]],
    ["architecture (dependency-cruiser)", process.execPath, ["scripts/check-architecture.ts"]],
    ["doc links (README.md, docs/*.md, */README.md)", process.execPath, ["scripts/check-doc-links.ts"]],
    // Every used package declared where it is used, and no declared one unused (knip.json says what it ignores, and why).
    ["dependencies (knip)", bin("knip"), ["--include", "dependencies,unlisted,unresolved,binaries", "--no-progress"]],
  ];
  console.log("\n== checks");
  let failed = 0;
  for (const [label, cmd, argv] of checks) {
    const t0 = performance.now();
    const ok = (await foreground.run(cmd, argv)) === 0;
    console.log(`${ok ? "✔" : "✖"} ${label} (${Math.round(performance.now() - t0)} ms)`);
    if (!ok) failed++;
  }
  return failed === 0 ? 0 : 1;
}

let status = 0;
if ((only === undefined && filter === undefined) || only === "--checks") status ||= await runChecks();
if (only === undefined || only === "--unit") status ||= await runFiles("unit", unit, 2);
if (only === undefined || only === "--e2e") status ||= await runFiles("end-to-end", e2e, 1);
if (status !== 0) build?.kill();
else if (only === undefined || only === "--vm") {
  await build?.wait();
  status ||= await runFiles("full-image VM", vm, 1);
}
process.exit(status);
