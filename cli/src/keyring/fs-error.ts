// A filesystem failure under the TrustNet home (keystores, the active-key setting), as an error that names the path
// and says what to check, instead of Node's bare `ENOTDIR: not a directory, scandir …` with a stack trace.
import { CliError } from "../errors.ts";

const REASONS: Readonly<Record<string, string>> = {
  ENOTDIR: "a part of the path is not a directory",
  EISDIR: "it is a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ELOOP: "too many levels of symbolic links",
  ENAMETOOLONG: "the path is too long",
  EIO: "input/output error",
  EMFILE: "too many open files",
};

/** The errno code of a Node filesystem error, if it is one. */
export function errnoCode(err: unknown): string | undefined {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return typeof code === "string" ? code : undefined;
}

/**
 * Wraps a filesystem error: `cannot <action> <path>: <reason> (<CODE>)`, with a hint about --home. Errors that are
 * already CliErrors pass through unchanged.
 */
export function fsError(err: unknown, action: string, path: string): CliError {
  if (err instanceof CliError) return err;
  const code = errnoCode(err);
  const reason = (code === undefined ? undefined : REASONS[code]) ?? (err instanceof Error ? err.message : String(err));
  return new CliError(`cannot ${action} ${path}: ${reason}${code === undefined ? "" : ` (${code})`}`, {
    hint: "check --home (or $TRUSTNET_HOME): it must be a directory you can read and write",
    cause: err,
  });
}
