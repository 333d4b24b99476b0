/** Output of a CLI command: human text, or `--output json` (one JSON document on stdout, bigints as strings). */
export type OutputFormat = "text" | "json";

export interface Printer {
  readonly format: OutputFormat;
  /** Print a result: `json` as a JSON document, otherwise `text()` (or the JSON, when no text form is given). */
  result(json: unknown, text?: () => string): void;
  /** Progress and notes: stderr, so that stdout stays machine-readable. */
  info(line: string): void;
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v), 2);
}

export function makePrinter(format: OutputFormat, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Printer {
  return {
    format,
    result(json, text) {
      out.write((format === "json" || !text ? toJson(json) : text()) + "\n");
    },
    info(line) {
      err.write(line + "\n");
    },
  };
}
