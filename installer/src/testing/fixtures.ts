// Builds real release artefacts for tests: a goreleaser-shaped cometbft tarball and its SHA256SUMS.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

/** The real CometBFT binary the test prerequisites build; fails loudly when it is missing. */
export function realCometbftPath(): string {
  const bin = join(process.env.TRUSTNET_TEST_BIN ?? join(homedir(), ".cache", "trustnet-test", "bin"), "cometbft");
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run 'sh scripts/prereqs.sh' (builds CometBFT with go install)`);
  return bin;
}

export const sha256 = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

/** tar.gz with `cometbft` (copied from `binary`, or a script with `script` as body) and a LICENSE at the root. */
export function buildCometbftTarball(src: { readonly binary?: string; readonly script?: string }): Buffer {
  const dir = mkdtempSync(join(tmpdir(), "tn-cbft-tar-"));
  try {
    if (src.binary !== undefined) copyFileSync(src.binary, join(dir, "cometbft"));
    else writeFileSync(join(dir, "cometbft"), src.script ?? "", { mode: 0o755 });
    writeFileSync(join(dir, "LICENSE"), "Apache-2.0\n");
    execFileSync("sh", ["-c", 'tar -C "$1" -cf - LICENSE cometbft | gzip -1 > "$1/out.tgz"', "sh", dir]);
    return readFileSync(join(dir, "out.tgz"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function sumsFile(entries: Readonly<Record<string, Buffer | string>>): string {
  return Object.entries(entries)
    .map(([name, v]) => `${typeof v === "string" ? v : sha256(v)}  ${name}\n`)
    .join("");
}
