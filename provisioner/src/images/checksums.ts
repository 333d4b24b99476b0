/** Checksum files in the three formats mirrors use: bare hex, GNU (`<hex> [*]name`), BSD (`SHA256 (name) = hex`). */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

export type DigestAlgorithm = "sha256" | "sha512";

const HEX_LEN: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };

/** The expected digest of `fileName` in a checksum file, or undefined when it is not listed. */
export function findDigest(text: string, fileName: string, algorithm: DigestAlgorithm): string | undefined {
  const len = HEX_LEN[algorithm];
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  for (const line of lines) {
    const gnu = /^([0-9a-fA-F]+)\s+\*?(.+)$/.exec(line);
    if (gnu?.[1]?.length === len && gnu[2] === fileName) return gnu[1].toLowerCase();
    const bsd = /^(SHA256|SHA512)\s*\((.+)\)\s*=\s*([0-9a-fA-F]+)$/.exec(line);
    if (bsd?.[1]?.toLowerCase() === algorithm && bsd[2] === fileName && bsd[3]?.length === len) return bsd[3].toLowerCase();
  }
  const bare = lines.length === 1 ? /^([0-9a-fA-F]+)$/.exec(lines[0] ?? "") : null;
  if (bare?.[1]?.length === len) return bare[1].toLowerCase();
  return undefined;
}

export async function hashFile(path: string, algorithm: DigestAlgorithm): Promise<string> {
  const h = createHash(algorithm);
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}
