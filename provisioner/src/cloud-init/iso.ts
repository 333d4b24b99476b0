/** Writes the NoCloud seed as an ISO 9660 image labelled `cidata`, with xorriso (or genisoimage). */
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MissingDependencyError } from "../errors.ts";
import { checked, type Shell } from "../shell.ts";
import type { Seed } from "./seed.ts";

const HINT = "install xorriso (Debian/Ubuntu: sudo apt-get install -y xorriso; Fedora: sudo dnf install -y xorriso; macOS: brew install xorriso)";

/** `extraFiles`: payloads copied onto the ISO under their `name` (the app and Node runtime tarballs). */
export async function writeSeedIso($: Shell, seed: Seed, out: string, extraFiles: readonly { readonly name: string; readonly path: string }[] = []): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "tn-cidata-"));
  try {
    await writeFile(join(dir, "meta-data"), seed.metaData);
    await writeFile(join(dir, "user-data"), seed.userData, { mode: 0o600 });
    await writeFile(join(dir, "network-config"), seed.networkConfig);
    for (const f of extraFiles) await copyFile(f.path, join(dir, f.name));
    const files = ["user-data", "meta-data", "network-config", ...extraFiles.map((f) => f.name)];
    const mkisofs = ["-output", out, "-volid", "cidata", "-joliet", "-rock", ...files];
    const here = $({ cwd: dir });
    const x = await here`xorriso -as mkisofs -quiet ${mkisofs}`;
    if (x.exitCode === 0) return;
    if (x.exitCode !== 127) await checked(here`xorriso -as mkisofs ${mkisofs}`, "xorriso", HINT);
    const g = await here`genisoimage -quiet ${mkisofs}`;
    if (g.exitCode === 127) throw new MissingDependencyError("xorriso", "neither xorriso nor genisoimage is installed (needed for the cloud-init seed)", HINT);
    await checked(here`genisoimage -quiet ${mkisofs}`, "genisoimage", HINT);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
