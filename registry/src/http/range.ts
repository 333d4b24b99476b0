/**
 * Parses a single `Range: bytes=…` header against `size` (RFC 9110 §14). undefined = serve the whole body (no
 * header, a unit other than `bytes`, a syntax this parser does not read, or several ranges: a server MAY ignore
 * Range, and MUST ignore a unit it does not understand); "invalid" = 416 (a well-formed range the blob cannot
 * satisfy: it starts at or past the end, ends before it starts, or is an empty suffix).
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | "invalid" | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const [a, b] = [m[1] as string, m[2] as string];
  if (a === "" && b === "") return undefined;
  if (a === "") {
    const n = Number(b);
    if (n === 0 || size === 0) return "invalid";
    return { start: Math.max(0, size - n), end: size };
  }
  const start = Number(a);
  const last = b === "" ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || (b !== "" && Number(b) < start)) return "invalid";
  return { start, end: last + 1 };
}

/** Parses an upload `Content-Range: <start>-<end>` (inclusive; an optional `bytes ` prefix is accepted). */
export function parseContentRange(header: string | undefined): { start: number; end: number } | "invalid" | undefined {
  if (header === undefined) return undefined;
  const m = /^(?:bytes[= ])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(header.trim());
  if (!m) return "invalid";
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start) return "invalid";
  return { start, end };
}
