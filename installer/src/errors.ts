/** Typed installer failures. `message` says what went wrong (naming the file or URL), `hint` what to do about it. */
export class InstallerError extends Error {
  override readonly name: string = "InstallerError";
  readonly hint: string | undefined;
  constructor(message: string, hint?: string, options?: ErrorOptions) {
    super(message, options);
    this.hint = hint;
  }
}

/** One expected digest and where it came from ("pinned in installer/src/versions.ts", "SHA256SUMS at <url>"). */
export interface DigestCheck {
  readonly algorithm: "sha256" | "sha512";
  readonly hex: string;
  readonly source: string;
}

/** A download whose digest does not match a pin or the mirror's checksum file, or that the file does not list. */
export class ChecksumError extends InstallerError {
  override readonly name: string = "ChecksumError";
  readonly file: string;
  readonly expected: DigestCheck | undefined;
  readonly actual: string | undefined;
  constructor(file: string, message: string, hint?: string, detail?: { readonly expected: DigestCheck; readonly actual: string }) {
    super(message, hint);
    this.file = file;
    this.expected = detail?.expected;
    this.actual = detail?.actual;
  }
}

/** The release server could not be reached, or answered with an HTTP error. The only case that allows the Go fallback. */
export class UnreachableError extends InstallerError {
  override readonly name: string = "UnreachableError";
  readonly url: string;
  constructor(url: string, message: string, options?: ErrorOptions & { readonly hint?: string }) {
    super(message, options?.hint ?? "check the network, or point the mirror setting (e.g. TRUSTNET_COMETBFT_MIRROR / --mirror) at a reachable mirror", options);
    this.url = url;
  }
}

/** The server sent fewer bytes than it announced, or the connection broke mid-file, on every attempt. */
export class TruncatedDownloadError extends InstallerError {
  override readonly name: string = "TruncatedDownloadError";
  readonly file: string;
  constructor(file: string, message: string, hint = "re-run; the partial file was deleted and nothing was installed") {
    super(message, hint);
    this.file = file;
  }
}

/** The server answered 200 with something that is not the file (an HTML error or login page). */
export class UnexpectedContentError extends InstallerError {
  override readonly name: string = "UnexpectedContentError";
  readonly url: string;
  constructor(url: string, message: string, hint = "the mirror serves an error page instead of the file: check the mirror URL (or a captive portal / proxy in between)") {
    super(message, hint);
    this.url = url;
  }
}

/** The disk filled up (ENOSPC / EDQUOT) while a download was written. */
export class DiskFullError extends InstallerError {
  override readonly name: string = "DiskFullError";
  readonly path: string;
  constructor(path: string, message: string) {
    super(message, `free some space on the file system holding ${path} (df -h), then re-run`);
    this.path = path;
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
