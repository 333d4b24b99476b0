/** Output of a CLI command: human text, or `--output json` (one JSON document on stdout, bigints as strings). */
import { singleLineValues, terminalSafe } from "./terminal-text.ts";

export type OutputFormat = "text" | "json";

export interface Printer {
  readonly format: OutputFormat;
  /**
   * Print a result: `json` as a JSON document, otherwise `text()` (or the JSON, when no text form is given), with
   * any terminal control character in it (chain data: memos, monikers …) shown escaped, and each string of `json`
   * that text shows kept on one line: its newlines and tabs shown escaped too (terminal-text.ts).
   */
  result(json: unknown, text?: () => string): void;
  /** Progress and notes: stderr, so that stdout stays machine-readable (terminal controls escaped, as in text). */
  info(line: string): void;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

export function makePrinter(format: OutputFormat, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Printer {
  return {
    format,
    result(json, text) {
      // JSON escapes the C0 controls itself and is left as it is; text may carry chain strings as they are.
      out.write((format === "json" ? toJson(json) : terminalSafe(text ? singleLineValues(text(), json) : toJson(json))) + "\n");
    },
    info(line) {
      err.write(terminalSafe(line) + "\n");
    },
  };
}
