import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

/** Parses `sha256sum` output (`<64 hex>  <name>` or `<hex> *<name>`); ignores blank lines, rejects garbage. */
export function parseSha256Sums(text: string): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "") continue;
    const m = /^([0-9a-fA-F]{64}) [ *]?(.+)$/.exec(line);
    if (m === null) continue;
    out.set(m[2]!.replace(/^\.\//, ""), m[1]!.toLowerCase());
  }
  return out;
}

/** Hex SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}
