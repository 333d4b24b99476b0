import { CliError } from "./errors.ts";

/** The text and exit code for an error, as `main` prints them (the shell prints the same and keeps going). */
export function describeError(err: unknown): { readonly text: string; readonly exitCode: number } {
  if (err instanceof CliError) return { text: `error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ""}`, exitCode: err.exitCode };
  // yargs reports bad arguments as YError, or (with .fail(false)) as a plain Error thrown from its usage module.
  if (err instanceof Error && (err.name === "YError" || (err.constructor === Error && /[/\\]yargs[/\\]build[/\\]/u.test(err.stack ?? "")))) return { text: `error: ${err.message}\nRun 'help' or '<command> --help' for usage.\n`, exitCode: 2 };
  return { text: `error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`, exitCode: 1 };
}
