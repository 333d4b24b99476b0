// The Go fallback's real `go install` (a small stand-in for the cometbft module, from a file:// module proxy built
// here, no network): in an account that has no Go module cache, build cache, GOPATH or Go config directory yet, the
// build creates none of them in the account's home but keeps them in TrustNet's <home>/cache/go, which
// `install.sh --uninstall` deletes; in an account that has them, they are used as they are.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { COMETBFT_VERSION } from "./versions.ts";

const V = `v${COMETBFT_VERSION}`;
let work = "";
let proxy = "";

/** A module proxy directory (GOPROXY=file://…) serving github.com/cometbft/cometbft@V, whose cmd/cometbft prints V. */
function buildProxy(): string {
  const src = join(work, "src", `github.com/cometbft/cometbft@${V}`);
  mkdirSync(join(src, "cmd", "cometbft"), { recursive: true });
  const goMod = "module github.com/cometbft/cometbft\n\ngo 1.22\n";
  writeFileSync(join(src, "go.mod"), goMod);
  writeFileSync(join(src, "cmd", "cometbft", "main.go"), `package main\n\nimport "os"\n\nfunc main() { os.Stdout.WriteString("${COMETBFT_VERSION}\\n") }\n`);
  const at = join(work, "proxy", "github.com", "cometbft", "cometbft", "@v");
  mkdirSync(at, { recursive: true });
  writeFileSync(join(at, "list"), `${V}\n`);
  writeFileSync(join(at, `${V}.info`), JSON.stringify({ Version: V }));
  writeFileSync(join(at, `${V}.mod`), goMod);
  const z = spawnSync("zip", ["-qr", join(at, `${V}.zip`), `github.com/cometbft/cometbft@${V}`], { cwd: join(work, "src"), encoding: "utf8" });
  assert.equal(z.status, 0, z.stderr);
  return join(work, "proxy");
}

/**
 * goInstallCometbft in a Node process of its own, as the installer runs it, in another account: this machine's
 * environment with that HOME, offline (the file:// proxy), none of Go's locations set but `extra`. Its log lines.
 */
function goInstall(home: string, cacheDir: string, gobin: string, extra: Record<string, string> = {}): string[] {
  const { GOPATH: _p, GOMODCACHE: _m, GOCACHE: _c, GOENV: _e, GOFLAGS: _f, XDG_CONFIG_HOME: _x, XDG_CACHE_HOME: _y, ...inherited } = process.env;
  const script = `import { goInstallCometbft } from ${JSON.stringify(join(import.meta.dirname, "go-fallback.ts"))};
import { runCommand } from ${JSON.stringify(join(import.meta.dirname, "run-command.ts"))};
const [version, gobin, cacheDir] = process.argv.slice(1);
await goInstallCometbft({ version, gobin, cacheDir, run: runCommand, log: (l) => console.log(l) });`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script, COMETBFT_VERSION, gobin, cacheDir], {
    env: { ...inherited, HOME: home, GOPROXY: `file://${proxy}`, GOSUMDB: "off", GOTOOLCHAIN: "local", ...extra },
    encoding: "utf8",
    timeout: 300_000,
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  return r.stdout.split("\n");
}

/** Every directory under `dir` (itself included) that its owner cannot write to. */
function readOnlyDirs(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    if ((statSync(d).mode & 0o200) === 0) found.push(d);
    for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
  };
  walk(dir);
  return found;
}

before(() => {
  work = mkdtempSync(join(tmpdir(), "tn-go-fallback-"));
  proxy = buildProxy();
});
after(() => {
  // The module cache of the second case is Go's usual read-only one.
  execFileSync("chmod", ["-R", "u+w", work]);
  rmSync(work, { recursive: true, force: true });
});

describe("goInstallCometbft with the real go", () => {
  test("an account without Go's caches, GOPATH or config directory: all of them stay in <home>/cache/go, the account's home is untouched; one that has them uses them", async () => {
    // A fresh account.
    const fresh = join(work, "fresh-account");
    mkdirSync(fresh);
    const cacheDir = join(work, "trustnet", "cache", "go");
    const gobin = join(work, "bin-fresh");
    mkdirSync(gobin);
    const log = goInstall(fresh, cacheDir, gobin);
    assert.equal(execFileSync(join(gobin, "cometbft"), { encoding: "utf8" }), `${COMETBFT_VERSION}\n`);
    assert.deepEqual(readdirSync(fresh), [], "nothing created in the account's home (no go/, .cache/go-build, .config/go)");
    assert.ok(existsSync(join(cacheDir, "mod", "cache", "download", "github.com", "cometbft")), "the module cache is in <home>/cache/go/mod");
    assert.ok(readdirSync(join(cacheDir, "build")).length > 0, "the build cache is in <home>/cache/go/build");
    assert.ok(existsSync(join(cacheDir, "config", "go")), "Go's config directory (telemetry) is in <home>/cache/go/config");
    assert.deepEqual(readOnlyDirs(join(cacheDir, "mod")), [], "the module cache is writable, so --uninstall's rm -rf deletes it without a chmod");
    assert.ok(log.some((l) => l.includes(`this account has no Go config directory, GOPATH, GOMODCACHE, GOCACHE yet: the build keeps them in ${cacheDir} (install.sh --uninstall deletes it)`)), log.join("\n"));

    // An account that has them: its GOPATH, module cache and config directory, and a build cache named by GOCACHE (the
    // one built above, so that the standard library is not compiled again).
    const used = join(work, "go-user");
    mkdirSync(join(used, "go", "pkg", "mod"), { recursive: true });
    mkdirSync(join(used, ".config", "go"), { recursive: true });
    const ownCache = join(cacheDir, "build");
    const entries = (d: string): number => readdirSync(d, { recursive: true }).length;
    const before2 = entries(ownCache);
    const cacheDir2 = join(work, "trustnet2", "cache", "go");
    const gobin2 = join(work, "bin-used");
    mkdirSync(gobin2);
    const log2 = goInstall(used, cacheDir2, gobin2, { GOCACHE: ownCache });
    assert.equal(execFileSync(join(gobin2, "cometbft"), { encoding: "utf8" }), `${COMETBFT_VERSION}\n`);
    assert.equal(existsSync(cacheDir2), false, "nothing in <home>/cache/go: the account's own were used");
    assert.ok(existsSync(join(used, "go", "pkg", "mod", "cache", "download", "github.com", "cometbft")), "the account's module cache was used");
    assert.ok(entries(ownCache) > before2, "the account's GOCACHE was used");
    assert.ok(!log2.some((l) => l.includes("this account has no Go")), log2.join("\n"));
  });
});
