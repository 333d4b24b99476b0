// A number of seconds from a flag (`--wait-timeout`, `--wait`, `--ready-timeout`). yargs turns `abc` into NaN for a
// number option, and a NaN deadline is never reached: every such flag is checked here before anything is sent.
import { UsageError } from "./errors.ts";

/** `value` if it is a finite number ≥ 0 (or > 0 with `positive`); otherwise a usage error naming the flag. */
export function parseSeconds(value: unknown, flag: string, opts: { readonly positive?: boolean } = {}): number {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || (opts.positive === true && n === 0)) {
    // yargs has already turned a word into NaN: there is nothing useful to quote then.
    const got = Number.isNaN(n) ? "" : ` (got ${String(value)})`;
    throw new UsageError(`${flag} must be a number of seconds, ${opts.positive === true ? "above 0" : "0 or more"}${got}`, `e.g. ${flag} 60`);
  }
  return n;
}
