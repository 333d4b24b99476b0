import type { Duration } from "cosmjs-types/google/protobuf/duration";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { ErrInvalidRequest } from "./errors.ts";

/** Block-time arithmetic in milliseconds since the epoch (bigint), and the protobuf Timestamp/Duration forms. */
export const tsToMs = (t: Timestamp | undefined): bigint => (t ? t.seconds * 1000n + BigInt(Math.floor(t.nanos / 1e6)) : 0n);
export const msToTs = (ms: bigint): Timestamp => ({ seconds: ms / 1000n, nanos: Number(ms % 1000n) * 1_000_000 });
export const durationToMs = (d: Duration | undefined): bigint => tsToMs(d);
export const msToDuration = (ms: bigint): Duration => msToTs(ms);

/**
 * Nanoseconds (0..10^9) as jsonpb writes a Timestamp's or Duration's fraction: "" for none, else a dot and 3, 6 or 9
 * digits, as few as they need (500_000_000 → ".500", 1 → ".000000001").
 */
export const nanosFraction = (nanos: number): string => {
  const digits = String(nanos).padStart(9, "0").replace(/(?:000){1,3}$/u, "");
  return digits && `.${digits}`;
};

const DURATION = /^(\d{1,12})(ms|s|m|h)$/;
/** The SDK's genesis form (jsonpb: seconds with 0-9 fraction digits and an "s"): "1814400s", "1.500s". */
const JSONPB_DURATION = /^(\d{1,12})\.(\d{1,9})s$/;
const UNIT_MS = { ms: 1n, s: 1000n, m: 60_000n, h: 3_600_000n } as const;

/**
 * The longest duration a param may hold: Go's time.Duration (int64 nanoseconds, ~292 years), the SDK's limit.
 * Unbounded, "999999999999h" put completion times beyond what a Timestamp (year 9999) or a JS Date holds.
 */
const MAX_DURATION_MS = (2n ** 63n - 1n) / 1_000_000n;

/** "1814400s", "1.500s" (an SDK genesis), "5m", "1500ms" -> milliseconds (strictly positive, at most MAX_DURATION_MS). */
export function parseDurationMs(s: string, field: string): bigint {
  const shown = JSON.stringify(s.slice(0, 40));
  let ms: bigint;
  const f = JSONPB_DURATION.exec(s);
  if (f) {
    const nanos = BigInt((f[2] ?? "").padEnd(9, "0"));
    if (nanos % 1_000_000n !== 0n) throw ErrInvalidRequest.wrap(`${field}: ${shown} is finer than a millisecond, the precision the chain keeps durations in`);
    ms = BigInt(f[1] ?? "0") * 1000n + nanos / 1_000_000n;
  } else {
    const m = DURATION.exec(s);
    if (!m) throw ErrInvalidRequest.wrap(`${field}: ${shown} is not a duration like "1814400s", "1.5s", "10m" or "500ms"`);
    ms = BigInt(m[1] ?? "0") * UNIT_MS[m[2] as keyof typeof UNIT_MS];
  }
  if (ms <= 0n) throw ErrInvalidRequest.wrap(`${field} must be positive`);
  if (ms > MAX_DURATION_MS) throw ErrInvalidRequest.wrap(`${field} must be at most ${MAX_DURATION_MS}ms (~292 years, Go's time.Duration as the SDK holds it)`);
  return ms;
}

/**
 * The inverse of parseDurationMs, in the SDK's genesis form (jsonpb, which an SDK chain's genesis parser takes):
 * whole seconds as "600s", else three fraction digits, "1.500s".
 */
export const formatDurationMs = (ms: bigint): string => `${ms / 1000n}${nanosFraction(Number(ms % 1000n) * 1_000_000)}s`;
