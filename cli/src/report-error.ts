import { CliError } from "./errors.ts";
import { INCOMPATIBLE_HOME_EXIT } from "./state-format.ts";
import { terminalSafe } from "./terminal-text.ts";

/** Set to 1 to get the full stack trace (and causes) of an error, for bug reports. */
export const DEBUG_ENV = "TRUSTNET_DEBUG";

export function debugEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env[DEBUG_ENV];
  return v !== undefined && v !== "" && v !== "0";
}

/** Typed errors of the other areas (provisioner, installer, registry): a message and an optional hint. */
const HINTED = new Set(["ProvisionError", "MissingDependencyError", "InvalidConfigError", "IncompatibleChainError", "PortInUseError", "VmStateError", "LockError", "ReadinessTimeoutError", "InstallerError"]);

function isHinted(err: Error): err is Error & { hint?: string } {
  // Subclasses keep their own names; walk the prototype chain for a known base.
  for (let p: object | null = err; p && p !== Error.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const n = (p as { constructor?: { name?: string } }).constructor?.name;
    if (n && HINTED.has(n)) return true;
  }
  return HINTED.has(err.name);
}

/** 3 for a chain of another state format (as a refused devnet or node home), 2 for bad configuration, else 1. */
function hintedExitCode(name: string): number {
  if (name === "IncompatibleChainError") return INCOMPATIBLE_HOME_EXIT;
  return name === "InvalidConfigError" ? 2 : 1;
}

/** yargs reports bad arguments as YError, or (with .fail(false)) as a plain Error thrown from its own code. */
function isYargsError(err: Error): boolean {
  return err.name === "YError" || (err.constructor === Error && /[/\\]yargs[/\\]build[/\\]/u.test(err.stack ?? ""));
}

/** The stack of `err` and of its causes, for TRUSTNET_DEBUG=1. */
function stacks(err: unknown): string {
  const out: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && depth < 5; e = e instanceof Error ? e.cause : undefined, depth++) {
    out.push(`${depth === 0 ? "" : "caused by: "}${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  return out.join("\n") + "\n";
}

export interface DescribeOptions {
  /** The line after a usage error (default: the shell's). */
  readonly usage?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The command line, to say when yargs took a negative number (`-1TRUST`) for options. */
  readonly argv?: readonly string[];
}

/** The first argument before `--` that yargs reads as options though it looks like a negative number: `-1TRUST`, `-5`. */
function negativeLooking(argv: readonly string[] | undefined): string | undefined {
  const end = argv?.indexOf("--") ?? -1;
  return (end < 0 ? argv : argv?.slice(0, end))?.find((a) => /^-[0-9.]/u.test(a));
}

/**
 * The text and exit code for an error, as `main` prints them (the shell prints the same and keeps going): the message
 * and a hint, never a stack trace unless $TRUSTNET_DEBUG is set. A message may quote the chain (a tx's log) or a
 * node's answer: terminal controls in it are shown escaped (terminal-text.ts).
 */
export function describeError(err: unknown, opts: DescribeOptions = {}): { readonly text: string; readonly exitCode: number } {
  const d = describe(err, opts);
  return { text: terminalSafe(d.text), exitCode: d.exitCode };
}

function describe(err: unknown, opts: DescribeOptions): { readonly text: string; readonly exitCode: number } {
  const debug = debugEnabled(opts.env) ? stacks(err) : "";
  if (err instanceof CliError) return { text: `error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ""}${debug}`, exitCode: err.exitCode };
  if (err instanceof Error && isHinted(err)) {
    return { text: `error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ""}${debug}`, exitCode: hintedExitCode(err.name) };
  }
  if (err instanceof Error && isYargsError(err)) {
    // yargs' recommendCommands fails with its suggestion alone ("Did you mean node?"): say what was wrong first.
    const suggestion = /^Did you mean (\S+)\?$/u.exec(err.message)?.[1];
    const message = suggestion === undefined ? err.message : `unknown command; did you mean "${suggestion}"?`;
    const negative = negativeLooking(opts.argv);
    const hint = negative === undefined ? "" : `hint: ${JSON.stringify(negative)} was read as options, not a value: amounts, heights and ids are never negative\n`;
    return { text: `error: ${message}\n${hint}${opts.usage ?? "Run 'help' or '<command> --help' for usage."}\n${debug}`, exitCode: 2 };
  }
  const message = err instanceof Error ? err.message || err.name : String(err);
  return { text: `error: ${message}\n${debug || `hint: set ${DEBUG_ENV}=1 to see where it happened\n`}`, exitCode: 1 };
}
