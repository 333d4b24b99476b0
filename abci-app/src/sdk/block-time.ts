// A block's time, converted from CometBFT's google.protobuf.Timestamp in this one place. The exact seconds and
// nanoseconds are kept (persisted with the block, compared by the ante's timeout check); `date` is the millisecond
// view that Ctx.time offers the modules.
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";

export interface BlockTime {
  readonly seconds: bigint;
  readonly nanos: number;
  /** Millisecond precision (sub-millisecond nanos truncated): Ctx.time. */
  readonly date: Date;
}

/** The block time of a request's `time` field (the Unix epoch when CometBFT sent none). */
export function blockTime(ts: Timestamp | undefined): BlockTime {
  const seconds = ts?.seconds ?? 0n;
  const nanos = ts?.nanos ?? 0;
  return { seconds, nanos, date: new Date(Number(seconds * 1000n + BigInt(Math.floor(nanos / 1e6)))) };
}

/** True when `t` is strictly after the timestamp `deadline` (full nanosecond precision, as the SDK's time.After). */
export function isAfter(t: BlockTime, deadline: Timestamp): boolean {
  return t.seconds > deadline.seconds || (t.seconds === deadline.seconds && t.nanos > deadline.nanos);
}

/** The persisted form: "<seconds>.<nanos, 9 digits>". */
export function formatBlockTime(t: BlockTime): string {
  return `${t.seconds}.${String(t.nanos).padStart(9, "0")}`;
}

/** Parses formatBlockTime's output, or the older form, milliseconds since the epoch. */
export function parseBlockTime(s: string): BlockTime {
  const dot = s.indexOf(".");
  if (dot < 0) return fromDate(new Date(Number(s)));
  return blockTime({ seconds: BigInt(s.slice(0, dot)), nanos: Number(s.slice(dot + 1)) });
}

/** The block time of a Date (whole milliseconds): for contexts built without one. */
export function fromDate(d: Date): BlockTime {
  const ms = BigInt(d.getTime());
  const seconds = ms >= 0n || ms % 1000n === 0n ? ms / 1000n : ms / 1000n - 1n;
  return blockTime({ seconds, nanos: Number(ms - seconds * 1000n) * 1_000_000 });
}

/** RFC 3339 with the nanoseconds (trailing zeros dropped), as Go prints a time.Time: 2026-12-05T00:31:02.5Z. */
export function formatTimestamp(t: Timestamp): string {
  const whole = new Date(Number(t.seconds) * 1000).toISOString().slice(0, 19);
  const frac = t.nanos === 0 ? "" : `.${String(t.nanos).padStart(9, "0").replace(/0+$/, "")}`;
  return `${whole}${frac}Z`;
}
