// The transport's logging needs: a minimal, pino-compatible interface (a pino logger satisfies it as is).

type LogFn = (objOrMsg: object | string, msg?: string) => void;

/** What the transport logs through. `pino()` fits; so does `stderrLogger` below. */
export interface AbciLogger {
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
}

function line(level: string, objOrMsg: object | string, msg?: string): string {
  const fields = typeof objOrMsg === "string" ? { msg: objOrMsg } : { ...objOrMsg, ...(msg === undefined ? {} : { msg }) };
  return JSON.stringify({ level, time: new Date().toISOString(), name: "abci", ...fields }, (_k, v: unknown) =>
    typeof v === "bigint" ? v.toString() : v instanceof Error ? { type: v.name, message: v.message } : v,
  );
}

/** Default logger: one JSON line per entry on stderr; info is dropped unless `verbose`. */
export function stderrLogger(verbose = false): AbciLogger {
  const write = (level: string): LogFn => (o, m) => { process.stderr.write(line(level, o, m) + "\n"); };
  return { info: verbose ? write("info") : () => undefined, warn: write("warn"), error: write("error") };
}

/** A logger that drops everything. */
export const silentLogger: AbciLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Error text for logs and exception responses. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
