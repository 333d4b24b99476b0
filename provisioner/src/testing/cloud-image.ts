// The ARM64 cloud image of the full-image VM test (test/provisioner/full-image.vm.ts): where it is cached (by the
// recipe's hash) and how the test runner builds it in the background. A cold build takes 5-13 min on 2 cores, nearly
// all of it package scripts run under qemu-user. So when the whole suite runs, scripts/test-runner.ts starts the
// build first, at the lowest CPU and I/O priority, and it overlaps the unit and end-to-end phases instead of adding
// to the VM phase. Run alone, the VM test builds the image itself, in the foreground.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";

/** The recipe; its hash names the cache directory, so a changed recipe builds a new image. */
export const CLOUD_IMAGE_RECIPE = join(import.meta.dirname, "..", "..", "test-guest", "build-cloud-image.sh");

/** The directory the image is cached in: `<test cache>/provisioner-cloud-image/<first 16 hex of sha256(recipe)>`. */
export function cloudImageDir(env: NodeJS.ProcessEnv = process.env, recipe = CLOUD_IMAGE_RECIPE): string {
  const cache = env.TRUSTNET_TEST_CACHE ?? join(homedir(), ".cache/trustnet-test");
  return join(cache, "provisioner-cloud-image", createHash("sha256").update(readFileSync(recipe)).digest("hex").slice(0, 16));
}

/** The image itself. The recipe writes it under a temporary name and renames it, so it exists only when complete. */
export function cloudImageFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(cloudImageDir(env), "image.qcow2");
}

/** A recipe's cache entry: its directory (16 hex) or the background build's log beside it. */
const RECIPE_ENTRY = /^([0-9a-f]{16})(\.build\.log)?$/;

/**
 * Removes the images (and build logs) of every other recipe beside `keepDir`, once `keepDir`'s image is built: each
 * is ~220 MB, and an old recipe's image is never used again by this checkout. (A checkout of an older recipe builds
 * its own again.) Anything else in the directory is left alone. Returns the names removed.
 */
export function pruneOtherCloudImages(keepDir: string): string[] {
  const parent = dirname(keepDir);
  const keep = basename(keepDir);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of names.sort()) {
    const m = RECIPE_ENTRY.exec(name);
    if (m === null || m[1] === keep) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/**
 * The argv of a background build: `nice -n 19` and, where util-linux's ionice exists, the idle I/O class, so the
 * build takes only what the tests leave of the CPU and the disk.
 */
export function backgroundBuildArgv(outDir: string, hasIonice: boolean, recipe = CLOUD_IMAGE_RECIPE): string[] {
  return ["nice", "-n", "19", ...(hasIonice ? ["ionice", "-c", "3"] : []), "sh", recipe, outDir];
}

export interface BackgroundBuild {
  /** Resolves with the build's exit status (0: the image is there), after saying how long it took. */
  wait(): Promise<number>;
  /** Stops the whole build (its process group): for a run that ends before the VM phase. */
  kill(): void;
}

/**
 * Starts the recipe for `dir` in the background, in its own process group, output to `<dir>.build.log`. `log` gets
 * one line now and one when `wait()` resolves (with the log's tail if the build failed).
 */
export function startBackgroundBuild(o: { log: (line: string) => void; dir?: string; recipe?: string }): BackgroundBuild {
  const recipe = o.recipe ?? CLOUD_IMAGE_RECIPE;
  const dir = o.dir ?? cloudImageDir(process.env, recipe);
  mkdirSync(dir, { recursive: true });
  const logFile = `${dir}.build.log`;
  const out = openSync(logFile, "w");
  const hasIonice = spawnSync("ionice", ["--version"], { stdio: "ignore" }).status === 0;
  const [cmd = "nice", ...argv] = backgroundBuildArgv(dir, hasIonice, recipe);
  const child = spawn(cmd, argv, { detached: true, stdio: ["ignore", out, out] });
  closeSync(out);
  const startedAt = Date.now();
  const exited = new Promise<number>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
    child.once("error", () => resolve(127));
  });
  o.log(`== building the ARM64 cloud image in the background for the VM phase (log: ${logFile})`);
  return {
    async wait() {
      const from = Date.now();
      const code = await exited;
      const waited = Math.round((Date.now() - from) / 1000);
      // The build's own end is the image's mtime (the recipe renames it into place last): `waited` counts only
      // from this call.
      const image = join(dir, "image.qcow2");
      const built = code === 0 && existsSync(image) ? Math.round((statSync(image).mtimeMs - startedAt) / 1000) : undefined;
      const pruned = built === undefined ? [] : pruneOtherCloudImages(dir);
      o.log(code === 0
        ? `== the cloud image was built in the background in ${built ?? "?"} s (the VM phase waited ${waited} s for it)${pruned.length > 0 ? `; removed older recipes' images: ${pruned.join(", ")}` : ""}`
        : `== the background cloud image build failed (exit ${code}); the VM test builds it again. The end of ${logFile}:\n${readFileSync(logFile, "utf8").slice(-3000)}`);
      return code;
    },
    kill() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
    },
  };
}
