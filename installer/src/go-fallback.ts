import { copyFile } from "node:fs/promises";
import { join } from "node:path";
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
 * Builds cometbft@v<version> with `go install` into `gobin`; with `cross`, for that platform instead (a VM guest's):
 * Go refuses GOBIN for cross builds, so the binary is taken from `$GOPATH/bin/<os>_<arch>/` and copied into `gobin`.
 * Throws GoFallbackError when Go is missing, older than 1.22, or the build fails.
 */
export async function goInstallCometbft(opts: {
  readonly version: string;
  readonly gobin: string;
  readonly run: Runner;
  readonly log: (line: string) => void;
  readonly cross?: Platform | undefined;
}): Promise<void> {
  const probe = await opts.run("go", ["env", "GOVERSION"]);
  const fix = "install Go >= 1.22 (https://go.dev/dl; Ubuntu 24.04's golang-go is 1.22, Debian 12's golang is 1.19: too old), or make the release mirror reachable";
  if (probe.code !== 0) throw new GoFallbackError("the release is unreachable and Go is not installed", fix);
  const v = parseGoVersion(probe.stdout.trim());
  if (v === undefined || !goIsRecentEnough(v)) {
    throw new GoFallbackError(`the release is unreachable and Go '${probe.stdout.trim()}' is older than 1.22`, fix);
  }
  const target = goInstallTarget(opts.version);
  const cross = opts.cross;
  opts.log(`    building with: go install ${target} (${probe.stdout.trim()}${cross ? `, for ${cross.os}/${cross.arch}` : ""})`);
  const { GOBIN: _gobin, ...inherited } = process.env;
  const env = cross === undefined
    ? { ...process.env, GOBIN: opts.gobin, GOFLAGS: "-mod=mod" }
    : { ...inherited, GOOS: cross.os, GOARCH: cross.arch, CGO_ENABLED: "0", GOFLAGS: "-mod=mod" };
  const r = await opts.run("go", ["install", target], { env, onStderr: (l) => opts.log(`    go: ${l}`) });
  if (r.code !== 0) {
    const tail = r.stderr.trim().split("\n").slice(-3).join(" | ");
    throw new GoFallbackError(`go install ${target} failed (exit ${r.code}): ${tail}`, "check that the Go module proxy is reachable (GOPROXY)");
  }
  if (cross !== undefined) {
    const gopath = (await opts.run("go", ["env", "GOPATH"], { env })).stdout.trim().split(":")[0] ?? "";
    const built = join(gopath, "bin", `${cross.os}_${cross.arch}`, "cometbft");
    await copyFile(built, join(opts.gobin, "cometbft")).catch(() => {
      throw new GoFallbackError(`go install for ${cross.os}/${cross.arch} did not leave ${built}`, "check GOPATH (go env GOPATH)");
    });
  }
}
