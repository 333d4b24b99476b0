import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ensureCometbft, reportedVersion } from "./cometbft.ts";
import { ChecksumError, GoFallbackError, TruncatedDownloadError, UnreachableError, VersionMismatchError } from "./errors.ts";
import { runCommand, type Runner } from "./run-command.ts";
import { buildCometbftTarball, realCometbftPath, sumsFile } from "./testing/fixtures.ts";
import { type Mirror, startMirror } from "./testing/mirror.ts";
import { COMETBFT_VERSION } from "./versions.ts";

const V = COMETBFT_VERSION;
const platform = { os: "linux", arch: "amd64" } as const;
const asset = `cometbft_${V}_linux_amd64.tar.gz`;
const sums = `SHA256SUMS-${V}.txt`;
const dir = `/v${V}`;

let mirror: Mirror;
let good: Buffer;
const homes: string[] = [];
const newHome = (): string => {
  const h = mkdtempSync(join(tmpdir(), "tn cbft home "));
  homes.push(h);
  return h;
};
const quiet = { log: (): void => undefined, progress: undefined, platform } as const;
const serve = (tgz: Buffer, sumsText: string): void => {
  mirror.files.clear();
  mirror.hits.clear();
  mirror.files.set(`${dir}/${asset}`, tgz);
  mirror.files.set(`${dir}/${sums}`, sumsText);
};
/** bin/ holds nothing but what was installed (no staging dirs, no partial files). */
const binEntries = (home: string): string[] => (existsSync(join(home, "bin")) ? readdirSync(join(home, "bin")) : []);

before(async () => {
  good = buildCometbftTarball({ binary: realCometbftPath() });
  mirror = await startMirror();
});
after(async () => {
  await mirror.close();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

describe("ensureCometbft from a release mirror", () => {
  test("downloads, verifies and installs the real binary, then a second call is a cached no-op", async () => {
    serve(good, sumsFile({ [asset]: good, "cometbft_0.38.25_darwin_arm64.tar.gz": "0".repeat(64) }));
    const home = newHome();
    const r = await ensureCometbft({ home, baseUrl: mirror.url, ...quiet });
    assert.deepEqual(r, { path: join(home, "bin", "cometbft"), version: V, source: "tarball" });
    assert.equal(await reportedVersion(r.path), V);
    assert.deepEqual(binEntries(home), ["cometbft"]);
    assert.equal(mirror.hits.get(`${dir}/${asset}`), 1);

    const again = await ensureCometbft({ home, baseUrl: mirror.url, ...quiet });
    assert.equal(again.source, "cached");
    assert.equal(mirror.hits.get(`${dir}/${asset}`), 1, "no second download");
    assert.equal(mirror.hits.get(`${dir}/${sums}`), 1);
  });

  test("a corrupted tarball is refused with a message naming the file, and nothing is installed", async () => {
    const bad = Buffer.from(good);
    bad[bad.length >> 1] = (bad[bad.length >> 1] ?? 0) ^ 0xff;
    serve(bad, sumsFile({ [asset]: good }));
    const home = newHome();
    await assert.rejects(ensureCometbft({ home, baseUrl: mirror.url, ...quiet }), (e: unknown) => {
      assert.ok(e instanceof ChecksumError);
      assert.match(e.message, new RegExp(`checksum mismatch for ${asset.replace(/\./g, "\\.")}`));
      assert.equal(e.file, asset);
      return true;
    });
    assert.deepEqual(binEntries(home), []);
  });

  test("a SHA256SUMS without an entry for the asset is refused", async () => {
    serve(good, sumsFile({ [`cometbft_${V}_linux_arm64.tar.gz`]: good }));
    const home = newHome();
    await assert.rejects(ensureCometbft({ home, baseUrl: mirror.url, ...quiet }), (e: unknown) => {
      assert.ok(e instanceof ChecksumError);
      assert.match(e.message, new RegExp(`${sums.replace(/\./g, "\\.")} has no entry for ${asset.replace(/\./g, "\\.")}`));
      return true;
    });
    assert.deepEqual(binEntries(home), []);
  });

  test("a wrong SHA256SUMS entry is refused (no Go fallback for a mismatch)", async () => {
    serve(good, sumsFile({ [asset]: "ab".repeat(32) }));
    const home = newHome();
    let ranGo = false;
    const run: Runner = async (cmd, args, o) => (cmd === "go" ? ((ranGo = true), { code: 1, stdout: "", stderr: "" }) : runCommand(cmd, args, o));
    await assert.rejects(ensureCometbft({ home, baseUrl: mirror.url, run, ...quiet }), ChecksumError);
    assert.equal(ranGo, false);
    assert.deepEqual(binEntries(home), []);
  });

  test("a truncated download is refused and leaves no partial file", async () => {
    mirror.files.clear();
    mirror.files.set(`${dir}/${asset}`, { body: good, truncateAt: good.length >> 1 });
    mirror.files.set(`${dir}/${sums}`, sumsFile({ [asset]: good }));
    const home = newHome();
    await assert.rejects(ensureCometbft({ home, baseUrl: mirror.url, ...quiet }), (e: unknown) => {
      assert.ok(e instanceof TruncatedDownloadError);
      assert.match(e.message, new RegExp(asset.replace(/\./g, "\\.")));
      return true;
    });
    assert.deepEqual(binEntries(home), []);
  });

  test("a binary that reports another version is refused after download", async () => {
    const wrong = buildCometbftTarball({ script: "#!/bin/sh\necho 0.38.24\n" });
    serve(wrong, sumsFile({ [asset]: wrong }));
    const home = newHome();
    await assert.rejects(ensureCometbft({ home, baseUrl: mirror.url, ...quiet }), (e: unknown) => {
      assert.ok(e instanceof VersionMismatchError);
      assert.equal(e.actual, "0.38.24");
      assert.match(e.message, /expected '0\.38\.25'/);
      return true;
    });
    assert.deepEqual(binEntries(home), []);
  });

  test("an installed binary at another version is replaced", async () => {
    serve(good, sumsFile({ [asset]: good }));
    const home = newHome();
    const old = buildCometbftTarball({ script: "#!/bin/sh\necho 0.38.20\n" });
    serve(old, sumsFile({ [asset]: old }));
    await assert.rejects(ensureCometbft({ home, baseUrl: mirror.url, ...quiet }), VersionMismatchError);
    serve(good, sumsFile({ [asset]: good }));
    const r = await ensureCometbft({ home, baseUrl: mirror.url, ...quiet });
    assert.equal(r.source, "tarball");
  });
});

describe("ensureCometbft when the release is unreachable", () => {
  const deadUrl = "http://127.0.0.1:9"; // discard port: connection refused
  const fakeGo = (goVersion: string, calls: { args: readonly string[]; gobin?: string | undefined }[]): Runner =>
    async (cmd, args, o) => {
      if (cmd !== "go") return runCommand(cmd, args, o);
      calls.push({ args, gobin: o?.env?.GOBIN });
      if (args[0] === "env") return { code: 0, stdout: `${goVersion}\n`, stderr: "" };
      copyFileSync(realCometbftPath(), join(o?.env?.GOBIN ?? "/nonexistent", "cometbft"));
      return { code: 0, stdout: "", stderr: "" };
    };

  test("falls back to go install of the pinned tag (never @latest) and installs atomically", async () => {
    const home = newHome();
    const calls: { args: readonly string[]; gobin?: string | undefined }[] = [];
    const r = await ensureCometbft({ home, baseUrl: deadUrl, run: fakeGo("go1.26.8", calls), ...quiet });
    assert.equal(r.source, "go");
    assert.deepEqual(calls[1]?.args, ["install", `github.com/cometbft/cometbft/cmd/cometbft@v${V}`]);
    assert.ok(calls[1]?.gobin?.startsWith(join(home, "bin")), "GOBIN is under <home>/bin");
    assert.deepEqual(binEntries(home), ["cometbft"]);
    assert.equal(await reportedVersion(r.path), V);
  });

  test("the real go install of the pinned tag (module and build caches of the test prerequisites)", async () => {
    const home = newHome();
    const r = await ensureCometbft({ home, baseUrl: deadUrl, ...quiet });
    assert.equal(r.source, "go");
    assert.equal(await reportedVersion(r.path), V);
    assert.deepEqual(binEntries(home), ["cometbft"]);
  });

  test("--no-go: the unreachable release is reported as such", async () => {
    const home = newHome();
    await assert.rejects(ensureCometbft({ home, baseUrl: deadUrl, goFallback: false, ...quiet }), (e: unknown) => {
      assert.ok(e instanceof UnreachableError);
      assert.match(e.message, /cannot reach http:\/\/127\.0\.0\.1:9\//);
      return true;
    });
  });

  test("Go older than 1.22 is refused with a hint", async () => {
    const home = newHome();
    const calls: { args: readonly string[] }[] = [];
    await assert.rejects(ensureCometbft({ home, baseUrl: deadUrl, run: fakeGo("go1.21.5", calls), ...quiet }), (e: unknown) => {
      assert.ok(e instanceof GoFallbackError);
      assert.match(e.message, /older than 1\.22/);
      return true;
    });
    assert.equal(calls.length, 1, "go install never ran");
    assert.deepEqual(binEntries(home), []);
  });

  test("a 404 from the mirror also counts as unreachable", async () => {
    mirror.files.clear();
    const home = newHome();
    await assert.rejects(ensureCometbft({ home, baseUrl: mirror.url, goFallback: false, ...quiet }), /answered HTTP 404/);
  });
});
