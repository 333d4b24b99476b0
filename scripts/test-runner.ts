// Runs the suite: the static checks (tsc --noEmit, eslint, the architecture and doc-links checks), unit specs (beside the code, in
// parallel), then end-to-end tests (two lanes at once, each one file at a time: test/e2e-lanes.ts says which files may
// run beside the others), then the full-image VM test (test/**/*.vm.ts: a cloud image
// booted under TCG by `trustnet vm up`, producing blocks). When the whole suite runs and that image is not cached
// yet, its build starts first, in the background at the lowest priority, and the VM phase waits for it
// (provisioner/src/testing/cloud-image.ts).
// Usage: node scripts/test-runner.ts [--checks | --unit | --e2e | --vm] [name-filter]
import { closeSync, existsSync, globSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cloudImageFile, startBackgroundBuild } from "../provisioner/src/testing/cloud-image.ts";
import { Foreground } from "./lib/foreground.ts";
import { E2E_BESIDE } from "../test/e2e-lanes.ts";

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

const testArgv = (files: readonly string[], concurrency: number): string[] => ["--test", "--test-reporter=spec", `--test-concurrency=${concurrency}`, ...files];
const testEnv = { ...process.env, TRUSTNET_TEST: "1" };

async function runFiles(label: string, files: string[], concurrency: number): Promise<number> {
  if (files.length === 0) return 0;
  console.log(`\n== ${label}: ${files.length} files`);
  return foreground.run(process.execPath, testArgv(files, concurrency), testEnv);
}

/**
 * The end-to-end phase: lane 1 (every file not in E2E_BESIDE) prints as it runs; lane 2 runs at the same time into a
 * log, printed once both lanes are done. Each lane runs one file at a time. Its status is the worse of the two.
 */
async function runE2e(files: string[]): Promise<number> {
  const beside = new Set(E2E_BESIDE);
  const lane2 = files.filter((f) => beside.has(f));
  if (lane2.length === 0) return runFiles("end-to-end", files, 1);
  const lane1 = files.filter((f) => !beside.has(f));
  const log = join(mkdtempSync(join(tmpdir(), "trustnet-e2e-")), "lane-2.log");
  console.log(`\n== end-to-end: ${files.length} files in two lanes at once: lane 1, ${lane1.length} files (below, as they run); lane 2, ${lane2.length} files (printed when both are done; ${log})`);
  const fd = openSync(log, "a");
  const t0 = performance.now();
  const lane2Done = foreground.run(process.execPath, testArgv(lane2, 1), testEnv, fd).then((status) => {
    console.log(`\n== end-to-end lane 2 finished (${Math.round((performance.now() - t0) / 1000)} s, status ${status}); its output follows lane 1's`);
    return status;
  });
  const status1 = lane1.length === 0 ? 0 : await foreground.run(process.execPath, testArgv(lane1, 1), testEnv);
  const status2 = await lane2Done;
  closeSync(fd);
  console.log(`\n== end-to-end lane 2: ${lane2.length} files\n${readFileSync(log, "utf8")}`);
  console.log(`== end-to-end: lane 1 ${status1 === 0 ? "passed" : `failed (${status1})`}, lane 2 ${status2 === 0 ? "passed" : `failed (${status2})`} (${Math.round((performance.now() - t0) / 1000)} s)`);
  return status1 || status2;
}

/** tsc, eslint, the architecture and doc-links checks, knip: each prints its own findings; any finding fails the suite. */
async function runChecks(): Promise<number> {
  const bin = (name: string) => `node_modules/.bin/${name}`;
  const checks: [string, string, string[]][] = [
    ["tsc --noEmit (strict)", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]],
    ["eslint", bin("eslint"), ["."]],
    ["architecture (dependency-cruiser, module shape)", process.execPath, ["scripts/check-architecture.ts"]],
    ["doc links and named paths (README.md, docs/*.md, */README.md)", process.execPath, ["scripts/check-doc-links.ts"]],
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
if (only === undefined || only === "--e2e") status ||= await runE2e(e2e);
if (status !== 0) build?.kill();
else if (only === undefined || only === "--vm") {
  await build?.wait();
  status ||= await runFiles("full-image VM", vm, 1);
}
process.exit(status);
