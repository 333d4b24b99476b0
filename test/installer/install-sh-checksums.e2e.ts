// A checksum mismatch on any download aborts install.sh with a message naming the file, and installs nothing.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildRelease } from "../../installer/src/release.ts";
import { type Mirror, type MirrorEntry, startMirror } from "../../installer/src/testing/mirror.ts";
import { COMETBFT_VERSION, NODE_VERSION } from "../../installer/src/versions.ts";
import { baseEnv, cometbftMirrorFiles, INSTALL_SH, nodeMirrorFiles, ROOT, runShell, tree } from "./helpers.ts";

let work: string;
let mirror: Mirror;
let version: string;
let pinned = "";
let changedSum = "";
const nodeName = `node-v${NODE_VERSION}-linux-${process.arch === "arm64" ? "arm64" : "x64"}.tar.gz`;
const cbftName = `cometbft_${COMETBFT_VERSION}_linux_${process.arch === "arm64" ? "arm64" : "amd64"}.tar.gz`;
const badSum = "0123456789abcdef".repeat(4);

before(async () => {
  work = mkdtempSync(join(tmpdir(), "tn-inst-sums-"));
  const rel = await buildRelease(ROOT, join(work, "release"), { allowUntracked: true }); // the tests test the working tree
  version = rel.version;
  const files = new Map<string, MirrorEntry>([
    ["/good/install.sh", readFileSync(rel.installSh)],
    [`/good/trustnet-${version}.tar.gz`, readFileSync(rel.tarball)],
    [`/good/trustnet-${version}.tar.gz.sha256`, readFileSync(`${rel.tarball}.sha256`)],
    ["/bad/install.sh", readFileSync(rel.installSh)],
    [`/bad/trustnet-${version}.tar.gz`, readFileSync(rel.tarball)],
    [`/bad/trustnet-${version}.tar.gz.sha256`, `${badSum}  trustnet-${version}.tar.gz\n`],
  ]);
  // A changed byte in the tarball, with a .sha256 edited to match: only the pin in the published install.sh catches it.
  const changed = readFileSync(rel.tarball);
  changed[changed.length >> 1] = (changed[changed.length >> 1] ?? 0) ^ 0x01;
  pinned = rel.sha256;
  changedSum = createHash("sha256").update(changed).digest("hex");
  files.set("/changed/install.sh", readFileSync(rel.installSh));
  files.set(`/changed/trustnet-${version}.tar.gz`, changed);
  files.set(`/changed/trustnet-${version}.tar.gz.sha256`, `${changedSum}  trustnet-${version}.tar.gz\n`);
  // Files far larger than real ones, generated as curl reads them: a .sha256 without a Content-Length (only the count
  // stops it), and a tarball that announces its size (refused before its body).
  files.set("/huge-sums/install.sh", readFileSync(rel.installSh));
  files.set(`/huge-sums/trustnet-${version}.tar.gz`, readFileSync(rel.tarball));
  files.set(`/huge-sums/trustnet-${version}.tar.gz.sha256`, { zeros: 8 << 20, chunked: true });
  files.set("/huge-tar/install.sh", readFileSync(rel.installSh));
  files.set(`/huge-tar/trustnet-${version}.tar.gz`, { zeros: 65 << 20 });
  files.set(`/huge-tar/trustnet-${version}.tar.gz.sha256`, readFileSync(`${rel.tarball}.sha256`));
  for (const [k, v] of nodeMirrorFiles()) {
    files.set(`/node-bad${k}`, k.endsWith("SHASUMS256.txt") ? `${badSum}  ${nodeName}\n` : v);
  }
  for (const [k, v] of cometbftMirrorFiles()) {
    files.set(`/cometbft-bad${k}`, k.endsWith(".txt") ? `${badSum}  ${cbftName}\n` : v);
  }
  mirror = await startMirror(files);
});
after(async () => {
  await mirror.close();
  rmSync(work, { recursive: true, force: true });
});

const envFor = (name: string, extra: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; home: string } => {
  const user = mkdtempSync(join(work, `${name}-user-`));
  const home = join(user, "tn home");
  return { home, env: baseEnv(user, { TRUSTNET_HOME: home, ...extra }) };
};

describe("install.sh refuses downloads whose checksum does not match", () => {
  test("the TrustNet release tarball (piped install)", async () => {
    const { env, home } = envFor("rel", { TRUSTNET_BASE_URL: `${mirror.url}/bad` });
    const r = await runShell('curl -fsSL "$TRUSTNET_BASE_URL/install.sh" | sh -s -- --yes --no-start', { env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`checksum mismatch for trustnet-${version.replace(/\./g, "\\.")}\\.tar\\.gz`));
    assert.match(r.stderr, /error in step 3\/7 \(Fetching TrustNet/);
    assert.match(r.stderr, /fix: the download was corrupted or tampered with/);
    assert.equal(existsSync(join(home, "app")), false, "no app installed");
    assert.deepEqual(tree(join(home, "cache")).filter((f) => f.endsWith(".tar.gz")), [], "the bad tarball is not cached");
  });

  test("a changed byte in the release tarball, with its .sha256 edited to match, is refused by the pin in install.sh", async () => {
    const { env, home } = envFor("pin", { TRUSTNET_BASE_URL: `${mirror.url}/changed` });
    const r = await runShell('curl -fsSL "$TRUSTNET_BASE_URL/install.sh" | sh -s -- --yes --no-start', { env });
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.stderr.includes(`checksum mismatch for trustnet-${version}.tar.gz: this install.sh pins ${pinned}, trustnet-${version}.tar.gz.sha256 from ${mirror.url}/changed says ${changedSum}`), r.stderr);
    assert.match(r.stderr, /error in step 3\/7 \(Fetching TrustNet/);
    assert.equal(mirror.hits.get(`/changed/trustnet-${version}.tar.gz`) ?? 0, 0, "the tarball is not even downloaded");
    assert.equal(existsSync(join(home, "app")), false, "no app installed");
    assert.deepEqual(tree(join(home, "cache")).filter((f) => f.endsWith(".tar.gz")), [], "nothing cached");
  });

  test("the Node tarball (SHASUMS256.txt)", async () => {
    const { env, home } = envFor("node", { TRUSTNET_NODE_MIRROR: `${mirror.url}/node-bad` });
    const r = await runShell(`sh "${INSTALL_SH}" --yes --no-start`, { env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`checksum mismatch for ${nodeName.replace(/\./g, "\\.")}`));
    assert.match(r.stderr, /error in step 4\/7 \(Node\.js 24/);
    assert.equal(existsSync(join(home, "node")), false, "no node installed");
    assert.deepEqual(tree(home).filter((f) => f.includes("node-stage")), [], "no staging left");
  });

  test("the CometBFT tarball (SHA256SUMS)", async () => {
    const nodeOk = new Map([...nodeMirrorFiles()].map(([k, v]) => [`/node-ok${k}`, v] as const));
    for (const [k, v] of nodeOk) mirror.files.set(k, v);
    const { env, home } = envFor("cbft", { TRUSTNET_NODE_MIRROR: `${mirror.url}/node-ok`, TRUSTNET_COMETBFT_MIRROR: `${mirror.url}/cometbft-bad` });
    const r = await runShell(`sh "${INSTALL_SH}" --yes --no-start`, { env });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`checksum mismatch for ${cbftName.replace(/\./g, "\\.")}`));
    assert.match(r.stderr, /error in step 5\/7 \(CometBFT/);
    assert.equal(existsSync(join(home, "bin", "cometbft")), false, "no cometbft installed");
    assert.deepEqual(tree(join(home, "bin")), [], "no partial file or staging dir left in bin/");
  });
});

describe("install.sh refuses downloads larger than their cap, and keeps nothing of them", () => {
  test("a .sha256 that never ends (no Content-Length): stopped at 1 MiB", async () => {
    const { env, home } = envFor("huge-sums", { TRUSTNET_BASE_URL: `${mirror.url}/huge-sums` });
    const r = await runShell('curl -fsSL "$TRUSTNET_BASE_URL/install.sh" | sh -s -- --yes --no-start', { env });
    assert.equal(r.code, 1, r.stderr);
    const url = `${mirror.url}/huge-sums/trustnet-${version}.tar.gz.sha256`;
    assert.ok(r.stderr.includes(`error: ${url} is larger than 1 MiB, the most accepted for this file; refusing it (nothing was kept)`), r.stderr);
    assert.ok(r.stderr.includes(`refusing ${url}: larger than the installer accepts for it; nothing was downloaded or installed`), r.stderr);
    assert.match(r.stderr, /error in step 3\/7 \(Fetching TrustNet/);
    assert.match(r.stderr, /fix: the server is broken or hostile: set TRUSTNET_BASE_URL to another mirror/);
    assert.equal(mirror.hits.get(`/huge-sums/trustnet-${version}.tar.gz`) ?? 0, 0, "the tarball is not even asked for");
    assert.equal(existsSync(join(home, "app")), false, "no app installed");
    assert.deepEqual(tree(home).filter((f) => f.includes(".sha256") || f.includes(".stage")), [], "no partial file or staging left");
  });

  test("a release tarball that announces 65 MiB (the cap is 64 MiB): refused before its body", async () => {
    const { env, home } = envFor("huge-tar", { TRUSTNET_BASE_URL: `${mirror.url}/huge-tar` });
    const r = await runShell('curl -fsSL "$TRUSTNET_BASE_URL/install.sh" | sh -s -- --yes --no-start', { env });
    assert.equal(r.code, 1, r.stderr);
    const url = `${mirror.url}/huge-tar/trustnet-${version}.tar.gz`;
    assert.ok(r.stderr.includes(`error: ${url} is larger than 64 MiB, the most accepted for this file; refusing it (nothing was kept)`), r.stderr);
    assert.match(r.stderr, /error in step 3\/7 \(Fetching TrustNet/);
    assert.equal(existsSync(join(home, "app")), false, "no app installed");
    assert.deepEqual(tree(home).filter((f) => f.endsWith(".tar.gz") || f.includes(".stage")), [], "no partial tarball, nothing cached, no staging left");
  });
});
