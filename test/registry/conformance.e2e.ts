// OCI conformance against the real registry process, with a real login token and an owner for the namespace.
// 1. The official suite (github.com/opencontainers/distribution-spec/conformance at the v1.1-line pseudo-version
//    built by scripts/prereqs.d/40-registry.sh with `go test -c`), with every optional feature on (upload cancel,
//    blob and manifest digest headers, anonymous mount, tag parameters, sparse manifests) against a registry with
//    `sparseManifests: true`. Asserted from its results/junit.xml: every test passed, none failed, skipped or
//    disabled. Its reports (junit.xml, report.html, results.yaml) are kept under .test-output/registry/.
//    A missing suite binary fails the test (run scripts/prereqs.sh).
// 2. The spec-level workflow checks in conformance-checks.ts; their report goes to the same directory.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { loginToken, testKey, type TestKey } from "../../registry/src/testkit.ts";
import { OUTPUT_DIR, startRegistryProcess, type RegistryProcess } from "./helpers.ts";
import { CHECKS, newShared, type Target } from "./conformance-checks.ts";

let dir: string;
let reg: RegistryProcess;
let owner: TestKey;
const results: { category: string; name: string; ok: boolean; error?: string; ms: number }[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "tn-conformance-e2e-"));
  owner = await testKey(71);
  // The suite sends a few thousand requests in seconds from one address: above the default per-IP rate.
  reg = await startRegistryProcess({ dataDir: join(dir, "data"), owners: { conformance: owner.address }, config: { sparseManifests: true, rateLimitPerSecond: 100_000, rateLimitBurst: 100_000 } });
  await mkdir(OUTPUT_DIR, { recursive: true });
});
after(async () => {
  await reg?.stop();
  await rm(dir, { recursive: true, force: true });
  const rows = results.map((r) => `<tr class="${r.ok ? "ok" : "fail"}"><td>${r.category}</td><td>${escape(r.name)}</td><td>${r.ok ? "pass" : "FAIL"}</td><td>${r.ms.toFixed(0)} ms</td><td><pre>${escape(r.error ?? "")}</pre></td></tr>`);
  const passed = results.filter((r) => r.ok).length;
  await writeFile(join(OUTPUT_DIR, "spec-checks-report.html"), `<!doctype html><meta charset="utf-8"><title>TrustNet registry spec checks</title><style>.fail{background:#fdd}.ok{background:#dfd}td{padding:2px 8px}</style><h1>TrustNet registry: distribution-spec v1.1 workflow checks</h1><p>${passed} passed, ${results.length - passed} failed</p><table><tr><th>category</th><th>check</th><th>result</th><th>time</th><th>error</th></tr>${rows.join("")}</table>`);
});

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** The suite's module version: the one scripts/prereqs.d/40-registry.sh builds. */
export const OCI_CONFORMANCE_VERSION = "v0.0.0-20260831232431-97274622c111";

function officialSuite(): string {
  const bin = process.env["TRUSTNET_TEST_BIN"] ?? join(homedir(), ".cache", "trustnet-test", "bin");
  return join(bin, `oci-conformance-${OCI_CONFORMANCE_VERSION}.test`);
}

/** The counts on the root <testsuites> element of the suite's junit.xml. */
export function junitTotals(xml: string): { tests: number; failures: number; errors: number; skipped: number; disabled: number; testcases: number; passedCases: number } {
  const root = /<testsuites\b([^>]*)>/.exec(xml);
  if (!root) throw new Error("junit.xml has no <testsuites> element");
  const attr = (name: string): number => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(root[1] ?? "")?.[1] ?? "0");
  return {
    tests: attr("tests"), failures: attr("failures"), errors: attr("errors"), skipped: attr("skipped"), disabled: attr("disabled"),
    testcases: (xml.match(/<testcase\b/g) ?? []).length, passedCases: (xml.match(/<testcase\b[^>]*status="passed"/g) ?? []).length,
  };
}

test("official OCI conformance suite, every optional feature on: all pass, none skipped or disabled (junit.xml)", () => {
  const suite = officialSuite();
  assert.ok(existsSync(suite), `the conformance suite is not built at ${suite}: run sh scripts/prereqs.sh`);
  const work = join(dir, "oci-conformance");
  const r = spawnSync(suite, [], {
    encoding: "utf8",
    cwd: dir,
    timeout: 600_000,
    env: {
      PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "",
      OCI_REGISTRY: reg.address, OCI_TLS: "disabled", OCI_REPO1: "conformance/repo1", OCI_REPO2: "conformance/repo2",
      OCI_USERNAME: owner.address, OCI_PASSWORD: loginToken(owner, { ttlSeconds: 3600, audience: reg.url }), OCI_RESULTS_DIR: work,
      OCI_API_BLOBS_UPLOAD_CANCEL: "true", OCI_API_BLOBS_DIGEST_HEADER: "true", OCI_API_BLOBS_MOUNT_ANONYMOUS: "true",
      OCI_API_MANIFESTS_TAG_PARAM: "true", OCI_API_MANIFESTS_DIGEST_HEADER: "true", OCI_DATA_SPARSE: "true",
    },
  });
  return (async () => {
    const junit = join(work, "junit.xml");
    assert.ok(existsSync(junit), `the suite wrote no junit.xml (exit ${r.status}):\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`);
    await cp(work, join(OUTPUT_DIR, "oci-conformance"), { recursive: true });
    const t = junitTotals(await readFile(junit, "utf8"));
    const summary = `${t.tests} tests, ${t.failures} failed, ${t.errors} errors, ${t.skipped} skipped, ${t.disabled} disabled (report: ${join(OUTPUT_DIR, "oci-conformance", "report.html")})`;
    assert.deepEqual([t.failures, t.errors, t.skipped, t.disabled], [0, 0, 0, 0], summary);
    assert.ok(t.tests >= 1024, `every optional feature on gives at least 1,024 tests: ${summary}`);
    assert.equal(t.passedCases, t.testcases, `every <testcase> passed: ${summary}`);
    assert.equal(r.status, 0, summary);
  })();
});

describe("distribution-spec v1.1 workflow checks against the registry process", () => {
  const shared = newShared();
  for (const c of CHECKS) {
    test(`${c.category}: ${c.name}`, async () => {
      const target: Target = { url: reg.url, repo: "conformance/repo", crossRepo: "conformance/other", auth: `Basic ${Buffer.from(`${owner.address}:${loginToken(owner, { audience: reg.url })}`).toString("base64")}` };
      const started = performance.now();
      try {
        await c.run(target, shared);
        results.push({ category: c.category, name: c.name, ok: true, ms: performance.now() - started });
      } catch (err) {
        results.push({ category: c.category, name: c.name, ok: false, error: String((err as Error).stack ?? err), ms: performance.now() - started });
        throw err;
      }
    });
  }
});
