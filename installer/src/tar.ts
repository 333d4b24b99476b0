import { gunzipSync } from "node:zlib";
import { InstallerError } from "./errors.ts";

const BLOCK = 512;

function field(h: Buffer, off: number, len: number): string {
  const s = h.subarray(off, off + len);
  const nul = s.indexOf(0);
  return s.subarray(0, nul === -1 ? len : nul).toString("utf8");
}

function octal(h: Buffer, off: number, len: number): number {
  const s = field(h, off, len).trim();
  const n = s === "" ? 0 : parseInt(s, 8);
  if (!Number.isFinite(n) || n < 0) throw new InstallerError("corrupt tar header (bad size field)");
  return n;
}

/**
 * Finds a regular file whose base name is `want` (at the archive root or one directory down) in a gzipped tar and
 * returns its bytes. Only that file is ever read out: no other path from the archive touches the disk.
 */
export function extractFromTarGz(archive: Buffer, want: string, archiveName = "archive"): Buffer {
  let tar: Buffer;
  try {
    tar = gunzipSync(archive);
  } catch (err) {
    throw new InstallerError(`${archiveName} is not a valid gzip file`, undefined, { cause: err });
  }
  let off = 0;
  let longName: string | undefined;
  while (off + BLOCK <= tar.length) {
    const h = tar.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156] ?? 0);
    const prefix = field(h, 345, 155);
    let name = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
    longName = undefined;
    const dataStart = off + BLOCK;
    if (dataStart + size > tar.length) throw new InstallerError(`${archiveName} is truncated inside '${name}'`);
    const data = tar.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === "L") {
      longName = field(data, 0, data.length);
      continue;
    }
    if (type !== "0" && type !== "\0") continue;
    name = name.replace(/^\.\//, "");
    const parts = name.split("/");
    if (parts.length <= 2 && parts[parts.length - 1] === want) return Buffer.from(data);
  }
  throw new InstallerError(`${archiveName} does not contain a '${want}' file`);
}
