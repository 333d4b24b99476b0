import { GoFallbackError } from "./errors.ts";
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
 * Builds cometbft@v<version> with `go install` into `gobin`. Throws GoFallbackError when Go is missing, older than
 * 1.22, or the build fails.
 */
export async function goInstallCometbft(opts: {
  readonly version: string;
  readonly gobin: string;
  readonly run: Runner;
  readonly log: (line: string) => void;
}): Promise<void> {
  const probe = await opts.run("go", ["env", "GOVERSION"]);
  const fix = "install Go >= 1.22 (https://go.dev/dl, or 'apt-get install golang'), or make the release mirror reachable";
  if (probe.code !== 0) throw new GoFallbackError("the release is unreachable and Go is not installed", fix);
  const v = parseGoVersion(probe.stdout.trim());
  if (v === undefined || !goIsRecentEnough(v)) {
    throw new GoFallbackError(`the release is unreachable and Go '${probe.stdout.trim()}' is older than 1.22`, fix);
  }
  const target = goInstallTarget(opts.version);
  opts.log(`    building with: go install ${target} (${probe.stdout.trim()})`);
  const r = await opts.run("go", ["install", target], {
    env: { ...process.env, GOBIN: opts.gobin, GOFLAGS: "-mod=mod" },
    onStderr: (l) => opts.log(`    go: ${l}`),
  });
  if (r.code !== 0) {
    const tail = r.stderr.trim().split("\n").slice(-3).join(" | ");
    throw new GoFallbackError(`go install ${target} failed (exit ${r.code}): ${tail}`, "check that the Go module proxy is reachable (GOPROXY)");
  }
}
