// The fresh Debian bookworm machine shared by the fresh-machine tests (the one-liner, and ./install.sh from a clone):
// mmdebstrap minbase + curl + ca-certificates (no Node, no git, no build tools), as a tarball cached by recipe,
// imported into a private Docker engine.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import type { Dockerd } from "./dockerd.ts";
import { CACHE } from "./helpers.ts";

// --format=tar is explicit: mmdebstrap picks the format from the target's name, and reads "….tar.tmp" as a directory.
const ROOTFS_RECIPE = ["--variant=minbase", "--include=curl,ca-certificates", "--mode=root", "--format=tar", "bookworm"];
export const CONTRACT_PORTS = [26656, 26657, 26658, 1317, 8000];
/** The host's CA bundle (a TLS-inspecting proxy's CA, as a company machine has), given to the container for npm. */
export const HOST_CA = "/etc/ssl/certs/ca-certificates.crt";

export function rootfsTarball(): string {
  const key = createHash("sha256").update(ROOTFS_RECIPE.join(" ")).digest("hex").slice(0, 16);
  const out = join(CACHE, `rootfs-bookworm-${key}.tar`);
  if (existsSync(out)) return out;
  mkdirSync(CACHE, { recursive: true });
  try {
    execFileSync("mmdebstrap", [...ROOTFS_RECIPE, `${out}.tmp`], { stdio: ["ignore", "ignore", "pipe"], timeout: 900_000 });
  } catch (err) {
    throw new Error(`mmdebstrap failed (install it with 'sh scripts/prereqs.sh'): ${String((err as { stderr?: Buffer }).stderr ?? err)}`, { cause: err });
  }
  if (!statSync(`${out}.tmp`).isFile()) throw new Error(`mmdebstrap wrote ${out}.tmp as a directory, not a tarball`);
  renameSync(`${out}.tmp`, out);
  return out;
}

/** Imports the rootfs into `dockerd` and returns the image name. */
export async function importRootfs(dockerd: Dockerd): Promise<string> {
  const rootfs = rootfsTarball();
  const image = `trustnet-fresh:${createHash("sha256").update(rootfs).digest("hex").slice(0, 12)}`;
  const imp = await dockerd.docker(["import", rootfs, image]);
  assert.equal(imp.code, 0, imp.stderr);
  return image;
}
