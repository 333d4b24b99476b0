export { writeFileAtomic, writeFileAtomicSync } from "./atomic-file.ts";
export { ensureCometbft, isForeign, reportedVersion, versionMatches, type EnsureCometbftOptions, type EnsureCometbftResult } from "./cometbft.ts";
export {
  ChecksumError,
  type DigestCheck,
  DiskFullError,
  GoFallbackError,
  InstallerError,
  TruncatedDownloadError,
  UnexpectedContentError,
  UnreachableError,
  UnsupportedPlatformError,
  VersionMismatchError,
} from "./errors.ts";
export { cometbftAssetName, cometbftSumsName, detectPlatform, type Platform, SUPPORTED_PLATFORMS, toPlatform } from "./platform.ts";
export { describePortInUse, describePortsInUse, ephemeralPortRange, isPortFree, type PortInUse, portsInUse } from "./ports.ts";
export { type DigestAlgorithm, downloadFile, type DownloadOptions, type DownloadResult, fetchBuffer, fetchText, hashFile, type TransferOptions } from "./download.ts";
export { checksFor, pinCheck, type PinContext } from "./pins.ts";
export { type ProgressReporter, type ProgressSink, renderBar, silentProgress, ttyProgress } from "./progress.ts";
export { ALPINE_VERSION, COMETBFT_VERSION, GO_VERSION, NODE_VERSION, NPM_VERSION, type Pin, PINS, UBUNTU_SERIAL } from "./versions.ts";
