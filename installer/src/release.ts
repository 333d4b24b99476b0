// Builds the TrustNet release artefacts that install.sh fetches when piped: trustnet-<ver>.tar.gz (top directory
// trustnet-<ver>/, the files git tracks, as they are in the working tree; untracked files that are not ignored make
// it refuse, unless `allowUntracked` includes them: a stray secret or scratch file is never shipped silently),
// trustnet-<ver>.tar.gz.sha256 and install.sh itself, with the tarball's SHA-256 written into its
// TN_TARBALL_SHA256 line: the pin a piped install checks before the server's .sha256.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InstallerError } from "./errors.ts";
import { sha256File } from "./sha256sums.ts";

export interface ReleaseArtefacts {
  readonly version: string;
  readonly tarball: string;
  readonly sha256: string;
  readonly installSh: string;
}

/** The version install.sh pins (TN_VERSION_PIN), which names the tarball it asks for. */
export function installerPinnedVersion(root: string): string {
  const m = /^\s*TN_VERSION_PIN="([^"]+)"/m.exec(readFileSync(join(root, "install.sh"), "utf8"));
  if (m === null) throw new InstallerError("install.sh has no TN_VERSION_PIN line");
  return m[1]!;
}

/** install.sh with `TN_TARBALL_SHA256="<sha256>"`; exactly one such line must exist. */
export function pinInstallSh(text: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new InstallerError(`not a SHA-256: ${JSON.stringify(sha256)}`);
  const re = /^(\s*TN_TARBALL_SHA256=)"[^"]*"/gm;
  const n = [...text.matchAll(re)].length;
  if (n !== 1) throw new InstallerError(`install.sh must have exactly one TN_TARBALL_SHA256="..." line, found ${n}`);
  return text.replace(re, `$1"${sha256}"`);
}

const gitFiles = (root: string, which: readonly string[]): string[] =>
  execFileSync("git", ["-C", root, "ls-files", "-z", ...which]).toString().split("\0").filter((f) => f !== "");

export async function buildRelease(root: string, outDir: string, opts: { readonly allowUntracked?: boolean } = {}): Promise<ReleaseArtefacts> {
  const version = installerPinnedVersion(root);
  const untracked = gitFiles(root, ["--others", "--exclude-standard"]);
  if (untracked.length > 0 && opts.allowUntracked !== true) {
    const shown = untracked.slice(0, 5).join(", ") + (untracked.length > 5 ? `, and ${untracked.length - 5} more` : "");
    throw new InstallerError(
      `the working tree has ${untracked.length} untracked file${untracked.length === 1 ? "" : "s"} that git does not ignore (${shown}); a release holds only what git tracks`,
      "commit them, add them to .gitignore, or pass --allow-untracked to ship them too",
    );
  }
  mkdirSync(outDir, { recursive: true });
  const listed = [...gitFiles(root, ["--cached"]), ...(opts.allowUntracked === true ? untracked : [])].filter((f) => existsSync(join(root, f)));
  const name = `trustnet-${version}.tar.gz`;
  const tarball = join(outDir, name);
  execFileSync(
    "tar",
    ["-C", root, "--null", "-T", "-", "--transform", `s,^,trustnet-${version}/,`, "--owner=0", "--group=0", "-czf", tarball],
    { input: `${listed.join("\0")}\0` },
  );
  const sha256 = await sha256File(tarball);
  writeFileSync(`${tarball}.sha256`, `${sha256}  ${name}\n`);
  const installSh = join(outDir, "install.sh");
  writeFileSync(installSh, pinInstallSh(readFileSync(join(root, "install.sh"), "utf8"), sha256), { mode: 0o755 });
  return { version, tarball, sha256, installSh };
}
