// The one way TrustNet's daemons (the app, the registry, the devnet supervisor, `provider run`) build their pino
// loggers: JSON lines whose `level` is the label ("info", "warn", "error"), not pino's number (30, 40, 50), which is
// what people reading the logs with jq, Loki or journald expect.
import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";

/** pino's `formatters.level` for TrustNet logs: `"level":"info"` rather than `"level":30`. */
export const levelLabel = (label: string): { level: string } => ({ level: label });

/** A pino logger writing JSON lines with the level as its label, to `destination` (stdout when omitted). */
export function jsonLogger(options: LoggerOptions<never, boolean>, destination?: DestinationStream): Logger<never, boolean> {
  const opts: LoggerOptions<never, boolean> = { ...options, formatters: { ...options.formatters, level: levelLabel } };
  return destination === undefined ? pino(opts) : pino(opts, destination);
}
