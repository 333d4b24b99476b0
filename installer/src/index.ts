export { ensureCometbft, isForeign, reportedVersion, versionMatches, type EnsureCometbftOptions, type EnsureCometbftResult } from "./cometbft.ts";
export {
  ChecksumError,
  GoFallbackError,
  InstallerError,
  TruncatedDownloadError,
  UnreachableError,
  UnsupportedPlatformError,
  VersionMismatchError,
} from "./errors.ts";
export { cometbftAssetName, cometbftSumsName, detectPlatform, type Platform, SUPPORTED_PLATFORMS, toPlatform } from "./platform.ts";
export { describePortInUse, isPortFree, type PortInUse, portsInUse } from "./ports.ts";
export { COMETBFT_VERSION, NODE_VERSION } from "./versions.ts";
