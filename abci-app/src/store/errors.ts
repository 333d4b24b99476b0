/** Base class of every state-store error. */
export class StoreError extends Error {
  override readonly name: string = "StoreError";
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
  }
}

/** The file is not a TrustNet state database (not SQLite, or a SQLite database of something else). */
export class NotAStateDbError extends StoreError {
  override readonly name: string = "NotAStateDbError";
  readonly path: string;
  constructor(path: string, reason: string, opts: { cause?: unknown } = {}) {
    super(`${path} is not a TrustNet state database: ${reason}`, opts);
    this.path = path;
  }
}

/** The file is a damaged database (truncated, malformed, failed integrity check). */
export class CorruptStateDbError extends StoreError {
  override readonly name: string = "CorruptStateDbError";
  readonly path: string;
  constructor(path: string, reason: string, opts: { cause?: unknown } = {}) {
    super(`${path} is corrupted: ${reason}; restore it from a backup or state-sync the node`, opts);
    this.path = path;
  }
}

/** The database was written by a newer or older, incompatible schema. */
export class SchemaVersionError extends StoreError {
  override readonly name: string = "SchemaVersionError";
  readonly found: string;
  constructor(path: string, found: string, expected: number) {
    super(`${path} has state schema version ${found}; this build reads version ${String(expected)}`);
    this.found = found;
  }
}

/** A historical query for a height that is pruned or not committed yet. */
export class HeightUnavailableError extends StoreError {
  override readonly name: string = "HeightUnavailableError";
  readonly height: bigint;
  readonly oldest: bigint;
  readonly latest: bigint;
  constructor(height: bigint, oldest: bigint, latest: bigint) {
    const why = height > latest ? "is in the future" : "is pruned";
    super(`height ${String(height)} ${why}; queryable heights are ${String(oldest)}..${String(latest)}`);
    this.height = height;
    this.oldest = oldest;
    this.latest = latest;
  }
}

/** A write set, key, value or height that the store refuses; nothing was changed. */
export class InvalidChangeError extends StoreError {
  override readonly name: string = "InvalidChangeError";
}

/** commit() without a staged block, or a call after close(). */
export class StoreStateError extends StoreError {
  override readonly name: string = "StoreStateError";
}

/** verify() found a root that does not match the leaves. */
export class RootMismatchError extends StoreError {
  override readonly name: string = "RootMismatchError";
  readonly expected: string;
  readonly actual: string;
  constructor(what: string, expected: string, actual: string) {
    super(`${what}: stored root ${expected} but the leaves hash to ${actual}`);
    this.expected = expected;
    this.actual = actual;
  }
}
