import { existsSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";
import { GoFallbackError } from "./errors.ts";
import type { Platform } from "./platform.ts";
import type { Runner } from "./run-command.ts";

export const MIN_GO = { major: 1, minor: 22 } as const;

/** "go1.26.8", "go version go1.22.11 linux/amd64" → {major, minor}; undefined when unparsable. */
export function parseGoVersion(s: string): { readonly major: number; readonly minor: number } | undefined {
  const m = /go(\d+)\.(\d+)/.exec(s);
  return m === null ? undefined : { major: Number(m[1]), minor: Number(m[2]) };
}

export function goIsRecentEnough(v: { readonly major: number; readonly minor: number }): boolean {
  return v.major > MIN_GO.major || (v.major === MIN_GO.major && v.minor >= MIN_GO.minor);
}

/** The module path to install, always at the pinned tag (never @latest: that resolves to v1.x). */
export function goInstallTarget(version: string): string {
  return `github.com/cometbft/cometbft/cmd/cometbft@v${version}`;
}

/**
 * Go's config directory is os.UserConfigDir()/go, and every go command writes its telemetry counters into it: when
 * this account has none yet, XDG_CONFIG_HOME under `cacheDir` for the go commands (not on macOS, whose config
 * directory is ~/Library/Application Support whatever the environment says). Decided before any go command runs.
 */
function goConfigEnv(base: NodeJS.ProcessEnv, cacheDir: string): NodeJS.ProcessEnv {
  const home = base.HOME ?? "";
  if (process.platform === "darwin" || home === "") return {};
  const xdg = base.XDG_CONFIG_HOME;
  const config = xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, ".config");
  return existsSync(join(config, "go")) ? {} : { XDG_CONFIG_HOME: join(cacheDir, "config") };
}

/**
 * The environment `go` runs in for the fallback build: `base` with, for each of Go's own directories that this account
 * does not have yet, one under `cacheDir` instead (`<home>/cache/go`, which `install.sh --uninstall` deletes), so that
 * the build never creates them where the user's own Go would keep its files: the module cache (GOMODCACHE, then
 * extracted writable, -modcacherw, so that deleting it needs no chmod), the build cache (GOCACHE), GOPATH (where a
 * cross build leaves its binary) and, except on macOS, the config directory that holds Go's telemetry counters (through
 * XDG_CONFIG_HOME: every go command writes them there). Ones the user already has are used, and shared, as they are.
 * `private` names the directories that were moved.
 */
async function goBuildEnv(base: NodeJS.ProcessEnv, cacheDir: string, run: Runner): Promise<{ env: NodeJS.ProcessEnv; private: string[] }> {
  const config = goConfigEnv(base, cacheDir);
  const env: NodeJS.ProcessEnv = { ...base, ...config };
  const moved = config.XDG_CONFIG_HOME === undefined ? [] : ["config directory"];
  const r = await run("go", ["env", "-json", "GOPATH", "GOMODCACHE", "GOCACHE"], { env });
  // A go that cannot say where they are (or a test's stand-in) leaves Go's defaults as they are.
  let dirs: Record<string, unknown>;
  try {
    dirs = r.code === 0 ? (JSON.parse(r.stdout) as Record<string, unknown>) : {};
  } catch {
    dirs = {};
  }
  const own = { GOPATH: "path", GOMODCACHE: "mod", GOCACHE: "build" } as const;
  for (const name of ["GOPATH", "GOMODCACHE", "GOCACHE"] as const) {
    const at = dirs[name];
    if (typeof at !== "string" || at === "") continue;
    // Each one is set explicitly: a GOPATH moved here must not take the user's module cache (by default in it) along.
    if (existsSync(name === "GOPATH" ? (at.split(delimiter)[0] ?? at) : at)) env[name] = at;
    else {
      env[name] = join(cacheDir, own[name]);
      moved.push(name);
    }
  }
  return { env, private: moved };
}

/**
 * Builds cometbft@v<version> with `go install` into `gobin`; with `cross`, for that platform instead (a VM guest's):
 * Go refuses GOBIN for cross builds, so the binary is taken from `$GOPATH/bin/<os>_<arch>/` and copied into `gobin`.
 * Go's caches are the user's when they exist, otherwise under `cacheDir` (goBuildEnv).
 * Throws GoFallbackError when Go is missing, older than 1.22, or the build fails.
 */
export async function goInstallCometbft(opts: {
  readonly version: string;
  readonly gobin: string;
  readonly run: Runner;
  readonly log: (line: string) => void;
  readonly cross?: Platform | undefined;
  /** Where Go's directories that this account does not have yet go (`<home>/cache/go`). */
  readonly cacheDir: string;
}): Promise<void> {
  const fix = "install Go >= 1.22 (https://go.dev/dl; Ubuntu 24.04's golang-go is 1.22, Debian 12's golang is 1.19: too old), or make the release mirror reachable";
  const base = process.env;
  // Is there a go at all? Asked before goBuildEnv, whose `go env` would otherwise be the first to fail.
  const probe = await opts.run("go", ["env", "GOVERSION"], { env: { ...base, ...goConfigEnv(base, opts.cacheDir) } });
  if (probe.code !== 0) throw new GoFallbackError("the release is unreachable and Go is not installed", fix);
  const v = parseGoVersion(probe.stdout.trim());
  if (v === undefined || !goIsRecentEnough(v)) {
    throw new GoFallbackError(`the release is unreachable and Go '${probe.stdout.trim()}' is older than 1.22`, fix);
  }
  const target = goInstallTarget(opts.version);
  const cross = opts.cross;
  opts.log(`    building with: go install ${target} (${probe.stdout.trim()}${cross ? `, for ${cross.os}/${cross.arch}` : ""})`);
  const { GOBIN: _gobin, ...inherited } = base;
  const built = await goBuildEnv(cross === undefined ? base : inherited, opts.cacheDir, opts.run);
  if (built.private.length > 0) opts.log(`    this account has no Go ${built.private.join(", ")} yet: the build keeps them in ${opts.cacheDir} (install.sh --uninstall deletes it)`);
  const goflags = built.private.includes("GOMODCACHE") ? "-mod=mod -modcacherw" : "-mod=mod";
  const env = cross === undefined
    ? { ...built.env, GOBIN: opts.gobin, GOFLAGS: goflags }
    : { ...built.env, GOOS: cross.os, GOARCH: cross.arch, CGO_ENABLED: "0", GOFLAGS: goflags };
  const r = await opts.run("go", ["install", target], { env, onStderr: (l) => opts.log(`    go: ${l}`) });
  if (r.code !== 0) {
    const tail = r.stderr.trim().split("\n").slice(-3).join(" | ");
    throw new GoFallbackError(`go install ${target} failed (exit ${r.code}): ${tail}`, "check that the Go module proxy is reachable (GOPROXY)");
  }
  if (cross !== undefined) {
    const gopath = (await opts.run("go", ["env", "GOPATH"], { env })).stdout.trim().split(delimiter)[0] ?? "";
    const out = join(gopath, "bin", `${cross.os}_${cross.arch}`, "cometbft");
    await copyFile(out, join(opts.gobin, "cometbft")).catch(() => {
      throw new GoFallbackError(`go install for ${cross.os}/${cross.arch} did not leave ${out}`, "check GOPATH (go env GOPATH)");
    });
  }
}
