import { UnsupportedPlatformError } from "./errors.ts";

export type ReleaseOs = "linux" | "darwin";
export type ReleaseArch = "amd64" | "arm64";
export interface Platform {
  readonly os: ReleaseOs;
  readonly arch: ReleaseArch;
}

export const SUPPORTED_PLATFORMS = "linux/amd64, linux/arm64, darwin/amd64, darwin/arm64";
export const DEFAULT_COMETBFT_BASE_URL = "https://github.com/cometbft/cometbft/releases/download";

/** Maps Node's (or uname's) names to the release's GOOS/GOARCH names; throws for anything else. */
export function toPlatform(os: string, arch: string): Platform {
  const o = ({ linux: "linux", Linux: "linux", darwin: "darwin", Darwin: "darwin" } as Record<string, ReleaseOs>)[os];
  const a = ({ x64: "amd64", x86_64: "amd64", amd64: "amd64", arm64: "arm64", aarch64: "arm64" } as Record<string, ReleaseArch>)[arch];
  if (o === undefined || a === undefined) {
    throw new UnsupportedPlatformError(`unsupported platform ${os}/${arch}; supported: ${SUPPORTED_PLATFORMS}`);
  }
  return { os: o, arch: a };
}

/** The host platform; TRUSTNET_UNAME_S / TRUSTNET_UNAME_M override detection (used by tests). */
export function detectPlatform(env: NodeJS.ProcessEnv = process.env): Platform {
  return toPlatform(env.TRUSTNET_UNAME_S ?? process.platform, env.TRUSTNET_UNAME_M ?? process.arch);
}

/** goreleaser's archive name: `cometbft_<ver>_<os>_<arch>.tar.gz`. */
export function cometbftAssetName(version: string, p: Platform): string {
  return `cometbft_${version}_${p.os}_${p.arch}.tar.gz`;
}

/** goreleaser's checksum file: `SHA256SUMS-<ver>.txt`. */
export function cometbftSumsName(version: string): string {
  return `SHA256SUMS-${version}.txt`;
}

/** The release directory: `<base>/v<ver>` (a mirror keeps GitHub's layout). */
export function cometbftReleaseUrl(baseUrl: string, version: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/v${version}`;
}
