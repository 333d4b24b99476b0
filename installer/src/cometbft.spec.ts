import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { COMETBFT_TARBALL_MAX_BYTES, ensureCometbft, reportedVersion } from "./cometbft.ts";
import { ChecksumError, GoFallbackError, TruncatedDownloadError, UnexpectedContentError, UnreachableError, VersionMismatchError } from "./errors.ts";
import { runCommand, type Runner } from "./run-command.ts";
import { buildCometbftTarball, realCometbftPath, sha256, sumsFile } from "./testing/fixtures.ts";
import { extractFromTarGz } from "./tar.ts";
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
const quiet = { log: (): void => undefined, progress: undefined, platform, transfer: { retries: 1, backoffMs: 10 }, env: {} } as const;
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

  test("a changed byte in the pinned tarball is refused with both hashes even when the mirror's SHA256SUMS matches it", async () => {
    const bad = Buffer.from(good);
    bad[bad.length >> 2] = (bad[bad.length >> 2] ?? 0) ^ 0x01;
    serve(bad, sumsFile({ [asset]: bad }));
    const home = newHome();
    const pins = join(home, "pins.txt");
    mkdirSync(home, { recursive: true });
    writeFileSync(pins, sumsFile({ [asset]: good }));
    await assert.rejects(ensureCometbft({ home, baseUrl: mirror.url, ...quiet, env: { TRUSTNET_PINS_FILE: pins } }), (e: unknown) => {
      assert.ok(e instanceof ChecksumError);
      assert.ok(e.message.includes(`expected sha256:${sha256(good)} (TRUSTNET_PINS_FILE=${pins})`), e.message);
      assert.ok(e.message.includes(`got sha256:${sha256(bad)} (the file downloaded from ${mirror.url}${dir}/${asset})`), e.message);
      return true;
    });
    assert.deepEqual(binEntries(home), [], "no binary, no staging directory, no partial file");
  });

  test("without a pin (CometBFT's are not published in versions.ts yet) the installer says so", async () => {
    serve(good, sumsFile({ [asset]: good }));
    const notes: string[] = [];
    await ensureCometbft({ home: newHome(), baseUrl: mirror.url, ...quiet, log: (l) => notes.push(l) });
    assert.ok(notes.some((l) => l.includes(`warning: no pinned hash for ${asset}`) && l.includes("not a tampered mirror")), notes.join("\n"));
  });

  test("a mirror answering 200 with an HTML page: a clear error, no Go fallback, nothing installed", async () => {
    const page = Buffer.from("<!DOCTYPE html>\n<html><head><title>Rate limited</title></head><body>Try later</body></html>\n");
    serve(page, sumsFile({ [asset]: page }));
    const home = newHome();
    let ranGo = false;
    const run: Runner = async (cmd, args, o) => (cmd === "go" ? ((ranGo = true), { code: 1, stdout: "", stderr: "" }) : runCommand(cmd, args, o));
    await assert.rejects(ensureCometbft({ home, baseUrl: mirror.url, run, ...quiet }), (e: unknown) => {
      assert.ok(e instanceof UnexpectedContentError, String(e));
      assert.match(e.message, new RegExp(`answered 200 with an HTML page .*not ${asset.replace(/\./g, "\\.")}`));
      return true;
    });
    assert.equal(ranGo, false);
    assert.deepEqual(binEntries(home), []);
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

  test("a tarball larger than its cap (128 MiB; the real one is ~20 MB) is refused before its body: no Go fallback, nothing installed", async () => {
    mirror.files.clear();
    mirror.files.set(`${dir}/${asset}`, { zeros: COMETBFT_TARBALL_MAX_BYTES + 1 });
    mirror.files.set(`${dir}/${sums}`, sumsFile({ [asset]: good }));
    const home = newHome();
    let ranGo = false;
    const run: Runner = async (cmd, args, o) => (cmd === "go" ? ((ranGo = true), { code: 1, stdout: "", stderr: "" }) : runCommand(cmd, args, o));
    await assert.rejects(ensureCometbft({ home, baseUrl: mirror.url, run, ...quiet }), (e: unknown) => {
      assert.ok(e instanceof UnexpectedContentError, String(e));
      assert.ok(e.message.includes(`${mirror.url}${dir}/${asset} announces ${COMETBFT_TARBALL_MAX_BYTES + 1} bytes, more than the 128 MiB allowed for ${asset}`), e.message);
      return true;
    });
    assert.equal(ranGo, false);
    assert.deepEqual(binEntries(home), [], "no binary, no staging directory, no partial file");
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
  // A go whose caches and GOPATH do not exist yet (`go env -json`), so that the build keeps them in <home>/cache/go.
  const fakeGo = (goVersion: string, calls: { args: readonly string[]; gobin?: string | undefined; gomodcache?: string | undefined }[]): Runner =>
    async (cmd, args, o) => {
      if (cmd !== "go") return runCommand(cmd, args, o);
      calls.push({ args, gobin: o?.env?.GOBIN, gomodcache: o?.env?.GOMODCACHE });
      if (args[0] === "env" && args[1] === "-json") return { code: 0, stdout: JSON.stringify({ GOPATH: "/nonexistent/go", GOMODCACHE: "/nonexistent/go/pkg/mod", GOCACHE: "/nonexistent/go-build" }), stderr: "" };
      if (args[0] === "env") return { code: 0, stdout: `${goVersion}\n`, stderr: "" };
      copyFileSync(realCometbftPath(), join(o?.env?.GOBIN ?? "/nonexistent", "cometbft"));
      return { code: 0, stdout: "", stderr: "" };
    };

  test("falls back to go install of the pinned tag (never @latest) and installs atomically", async () => {
    const home = newHome();
    const calls: { args: readonly string[]; gobin?: string | undefined; gomodcache?: string | undefined }[] = [];
    const r = await ensureCometbft({ home, baseUrl: deadUrl, run: fakeGo("go1.26.8", calls), ...quiet });
    assert.equal(r.source, "go");
    const install = calls.find((c) => c.args[0] === "install");
    assert.deepEqual(install?.args, ["install", `github.com/cometbft/cometbft/cmd/cometbft@v${V}`]);
    assert.ok(install?.gobin?.startsWith(join(home, "bin")), "GOBIN is under <home>/bin");
    assert.equal(install?.gomodcache, join(home, "cache", "go", "mod"), "a module cache the account does not have is kept in <home>/cache/go");
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

describe("ensureCometbft for another platform (a VM guest's binary)", () => {
  const arm = { os: "linux", arch: process.arch === "arm64" ? "amd64" : "arm64" } as const;
  const deadUrl = "http://127.0.0.1:9";
  const armAsset = `cometbft_${V}_${arm.os}_${arm.arch}.tar.gz`;
  // Not runnable here: a script that would fail if anything tried to run it as `cometbft version`.
  const foreignTgz = (): Buffer => buildCometbftTarball({ script: "#!/bin/sh\necho 'must not be run' >&2\nexit 99\n" });

  test("installs to binPath without running it, stamps the version, then reuses it", async () => {
    const tgz = foreignTgz();
    mirror.files.clear();
    mirror.hits.clear();
    mirror.files.set(`${dir}/${armAsset}`, tgz);
    mirror.files.set(`${dir}/${sums}`, sumsFile({ [armAsset]: tgz }));
    const home = newHome();
    const binPath = join(home, "cache", `cometbft-${V}-${arm.os}-${arm.arch}`, "cometbft");
    const r = await ensureCometbft({ home, baseUrl: mirror.url, ...quiet, platform: arm, binPath });
    assert.deepEqual(r, { path: binPath, version: V, source: "tarball" });
    assert.equal(readFileSync(`${binPath}.version`, "utf8"), `${V}\n`);
    assert.equal(sha256(readFileSync(binPath)), sha256(extractFromTarGz(tgz, "cometbft", armAsset)));
    const again = await ensureCometbft({ home, baseUrl: mirror.url, ...quiet, platform: arm, binPath });
    assert.equal(again.source, "cached");
    assert.equal(mirror.hits.get(`${dir}/${armAsset}`), 1, "no second download");
  });

  test("a corrupted foreign tarball is refused and nothing is left at binPath", async () => {
    const tgz = foreignTgz();
    const bad = Buffer.from(tgz);
    bad[bad.length >> 1] = (bad[bad.length >> 1] ?? 0) ^ 0xff;
    mirror.files.clear();
    mirror.files.set(`${dir}/${armAsset}`, bad);
    mirror.files.set(`${dir}/${sums}`, sumsFile({ [armAsset]: tgz }));
    const home = newHome();
    const binPath = join(home, "guest", "cometbft");
    await assert.rejects(ensureCometbft({ home, baseUrl: mirror.url, goFallback: false, ...quiet, platform: arm, binPath }), ChecksumError);
    assert.deepEqual(readdirSync(join(home, "guest")), []);
  });

  test("the Go fallback cross-compiles for the guest (GOOS/GOARCH, no GOBIN) and copies from $GOPATH/bin/<os>_<arch>", async () => {
    const home = newHome();
    const gopath = join(home, "gopath");
    const calls: { args: readonly string[]; env: NodeJS.ProcessEnv | undefined }[] = [];
    const run: Runner = async (cmd, args, opts) => {
      calls.push({ args, env: opts?.env });
      if (args[0] === "env" && args[1] === "GOVERSION") return { code: 0, stdout: "go1.24.4\n", stderr: "" };
      if (args[0] === "env" && args[1] === "GOPATH") return { code: 0, stdout: `${gopath}\n`, stderr: "" };
      if (args[0] === "install") {
        mkdirSync(join(gopath, "bin", `${arm.os}_${arm.arch}`), { recursive: true });
        writeFileSync(join(gopath, "bin", `${arm.os}_${arm.arch}`, "cometbft"), "ELF-for-the-guest");
        return { code: 0, stdout: "", stderr: "" };
      }
      return { code: 127, stdout: "", stderr: `${cmd}: unexpected` };
    };
    const binPath = join(home, "guest", "cometbft");
    const r = await ensureCometbft({ home, baseUrl: deadUrl, run, ...quiet, platform: arm, binPath });
    assert.equal(r.source, "go");
    assert.equal(readFileSync(binPath, "utf8"), "ELF-for-the-guest");
    const install = calls.find((c) => c.args[0] === "install");
    assert.deepEqual(install?.args, ["install", `github.com/cometbft/cometbft/cmd/cometbft@v${V}`]);
    assert.equal(install?.env?.GOARCH, arm.arch);
    assert.equal(install?.env?.GOOS, arm.os);
    assert.equal(install?.env?.GOBIN, undefined);
  });
});
