/** Typed installer failures. `message` says what went wrong (naming the file or URL), `hint` what to do about it. */
export class InstallerError extends Error {
  override readonly name: string = "InstallerError";
  readonly hint: string | undefined;
  constructor(message: string, hint?: string, options?: ErrorOptions) {
    super(message, options);
    this.hint = hint;
  }
}

/** A download whose SHA-256 does not match the release's checksum file, or that the file does not list. */
export class ChecksumError extends InstallerError {
  override readonly name: string = "ChecksumError";
  readonly file: string;
  constructor(file: string, message: string, hint?: string) {
    super(message, hint);
    this.file = file;
  }
}

/** The release server could not be reached, or answered with an HTTP error. The only case that allows the Go fallback. */
export class UnreachableError extends InstallerError {
  override readonly name: string = "UnreachableError";
  readonly url: string;
  constructor(url: string, message: string, options?: ErrorOptions) {
    super(message, "check the network, or point TRUSTNET_COMETBFT_MIRROR (--mirror) at a reachable release mirror", options);
    this.url = url;
  }
}

/** The server sent fewer bytes than it announced, or the connection broke mid-file. */
export class TruncatedDownloadError extends InstallerError {
  override readonly name: string = "TruncatedDownloadError";
  readonly file: string;
  constructor(file: string, message: string) {
    super(message, "re-run the installer; the partial file was deleted and nothing was installed");
    this.file = file;
  }
}

/** The binary reports another version than the pin. */
export class VersionMismatchError extends InstallerError {
  override readonly name: string = "VersionMismatchError";
  readonly expected: string;
  readonly actual: string;
  constructor(expected: string, actual: string, source: string) {
    super(
      `the cometbft binary from ${source} reports version '${actual}', expected '${expected}'; refusing to install it`,
      "the mirror or module proxy serves another release than the pin in installer/src/versions.ts",
    );
    this.expected = expected;
    this.actual = actual;
  }
}

/** Host OS or CPU that no release asset exists for. */
export class UnsupportedPlatformError extends InstallerError {
  override readonly name: string = "UnsupportedPlatformError";
}

/** `go install` was needed but Go is missing, too old or failed. */
export class GoFallbackError extends InstallerError {
  override readonly name: string = "GoFallbackError";
}
