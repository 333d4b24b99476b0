/**
 * Typed errors of the registry. Domain code throws `RegistryError` with a `kind`;
 * the single table in http/error-table.ts maps each kind to an OCI error code and HTTP status.
 */
export type ErrorKind =
  | "BLOB_UNKNOWN"
  | "BLOB_UPLOAD_INVALID"
  | "BLOB_UPLOAD_UNKNOWN"
  | "DIGEST_INVALID"
  | "MANIFEST_BLOB_UNKNOWN"
  | "MANIFEST_INVALID"
  | "MANIFEST_UNKNOWN"
  | "MANIFEST_TOO_LARGE"
  | "NAME_INVALID"
  | "NAME_UNKNOWN"
  | "TAG_INVALID"
  | "SIZE_INVALID"
  | "UNAUTHORIZED"
  | "DENIED"
  | "UNSUPPORTED"
  | "CHUNK_OUT_OF_ORDER"
  | "RANGE_NOT_SATISFIABLE"
  | "NOT_FOUND"
  | "UNAVAILABLE"
  | "BLOB_TOO_LARGE"
  | "TOO_MANY_REQUESTS"
  | "BAD_REQUEST";

export class RegistryError extends Error {
  override readonly name: string = "RegistryError";
  readonly kind: ErrorKind;
  readonly detail: unknown;
  /** Headers the error answer carries (e.g. a 416's acknowledged Range and the session's Location). */
  headers: Readonly<Record<string, string>> = {};
  constructor(kind: ErrorKind, message: string, detail?: unknown) {
    super(message);
    this.kind = kind;
    this.detail = detail;
  }

  /** This error, answered with `headers` too. */
  withHeaders(headers: Readonly<Record<string, string>>): this {
    this.headers = { ...this.headers, ...headers };
    return this;
  }
}

/** Raised by storage drivers only; the storage layer turns it into a domain error. */
export class PathNotFoundError extends Error {
  override readonly name: string = "PathNotFoundError";
  readonly path: string;
  constructor(path: string) {
    super(`path not found: ${path}`);
    this.path = path;
  }
}

/** A driver path that is not of the form /a/b/c with safe components. */
export class InvalidPathError extends Error {
  override readonly name: string = "InvalidPathError";
  readonly path: string;
  constructor(path: string) {
    super(`invalid storage path: ${JSON.stringify(path)}`);
    this.path = path;
  }
}

/** A login token or bearer token that does not verify. */
export class TokenError extends Error {
  override readonly name: string = "TokenError";
}

/** Bad registry configuration (file or flags). */
export class ConfigError extends Error {
  override readonly name: string = "ConfigError";
}

/**
 * The registry cannot start: a bad flag (`usage`), or something of the machine (port taken, key unreadable, data
 * directory not writable). Raised before anything is written; `hint` says what to do.
 */
export class StartupError extends Error {
  override readonly name: string = "StartupError";
  readonly hint: string | undefined;
  readonly usage: boolean;
  /** The errno code behind it (EADDRINUSE, EACCES, …) when there is one. */
  readonly code: string | undefined;
  /** The port a listen failure was about. */
  readonly port: number | undefined;
  constructor(message: string, opts: { hint?: string; usage?: boolean; code?: string; port?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.hint = opts.hint;
    this.usage = opts.usage ?? false;
    this.code = opts.code;
    this.port = opts.port;
  }
}
