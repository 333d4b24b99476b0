// The fresh Debian bookworm machine both README tests install into (fresh-clone.e2e.ts: `./install.sh` from a
// clone; fresh-machine.e2e.ts: the one-liner from a release): the mmdebstrap rootfs (no Node, no git, no compiler)
// imported into a private Docker engine, a local mirror serving the test's real tarballs with real checksums, the
// host's CA certificates and the shared npm cache mounted, and the container on the host network (so the contract
// ports must be free). Every command run in it is kept and written to .test-output/installer/<name>.log.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { isPortFree } from "../../installer/src/ports.ts";
import { type MirrorEntry as MirrorFile, startMirror } from "../../installer/src/testing/mirror.ts";
import { startDockerd } from "./dockerd.ts";
import { CONTRACT_PORTS, HOST_CA, importRootfs } from "./fresh-rootfs.ts";
import { ROOT, TEST_PINS_FILE } from "./helpers.ts";

export interface FreshContainer {
  /** The mirror's base URL (files under the paths `files` gave). */
  readonly mirrorUrl: string;
  /** A scratch directory on the host, removed by close(). */
  readonly work: string;
  /** Runs `cmd` with sh in the container (working directory and environment from the options). */
  sh(cmd: string, timeoutMs?: number): Promise<{ code: number; out: string; ms: number }>;
  /** Copies a host directory into the container. */
  copyIn(hostDir: string, containerPath: string): Promise<void>;
  /** CometBFT's /status on the host network: the devnet inside the container. */
  rpcStatus(): Promise<{ height: number; network: string }>;
  /** Every path in the container's own filesystem (not /proc, /sys, /dev, /tmp or the npm cache). */
  fsList(): Promise<string[]>;
  /** Writes the log, removes the container, stops the engine and the mirror, deletes the scratch directory. */
  close(): Promise<void>;
}

export interface FreshContainerOptions {
  /** Names the container, the scratch directory and the log. */
  readonly name: string;
  /** What the mirror serves (by URL path), built in the scratch directory. */
  readonly files: (work: string) => Promise<ReadonlyMap<string, MirrorFile>> | ReadonlyMap<string, MirrorFile>;
  /** Extra environment for every command, given the mirror's URL. */
  readonly env: (mirrorUrl: string) => readonly string[];
  readonly workdir?: string;
}

export async function startFreshContainer(o: FreshContainerOptions): Promise<FreshContainer> {
  for (const p of CONTRACT_PORTS) {
    if (!(await isPortFree(p))) throw new Error(`port ${p} is in use on this host; the ${o.name} test needs the contract ports free (stop the other devnet)`);
  }
  const work = mkdtempSync(join(tmpdir(), `tn-${o.name}-`));
  const logs: string[] = [];
  const mirror = await startMirror(new Map(await o.files(work)));
  const dockerd = await startDockerd(join(work, "docker"));
  const ctr = `tn-${o.name}-${randomBytes(4).toString("hex")}`;
  let started = false;
  const close = async (): Promise<void> => {
    const out = join(ROOT, ".test-output", "installer");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, `${o.name}.log`), logs.join("\n"));
    if (started) await dockerd.docker(["rm", "-f", ctr]);
    await dockerd.stop();
    await mirror.close();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const image = await importRootfs(dockerd);
    const npmCache = join(homedir(), ".cache", "trustnet-test", "npm");
    mkdirSync(npmCache, { recursive: true });
    // Tarballs built by the test are pinned by the test's pins file (TRUSTNET_PINS_FILE).
    const run = await dockerd.docker(["run", "-d", "--init", "--name", ctr, "--network", "host", "-v", `${HOST_CA}:/etc/ssl/host-ca.crt:ro`,
      "-v", `${npmCache}:/npm-cache`, "-v", `${TEST_PINS_FILE}:/etc/trustnet-test-pins.txt:ro`, image, "sleep", "infinity"]);
    assert.equal(run.code, 0, run.stderr);
    started = true;
  } catch (err) {
    await close();
    throw err;
  }
  const execEnv = [...(o.workdir ? ["-w", o.workdir] : []), ...o.env(mirror.url).flatMap((e) => ["-e", e]),
    "-e", "NODE_EXTRA_CA_CERTS=/etc/ssl/host-ca.crt", "-e", "npm_config_cache=/npm-cache", "-e", "TRUSTNET_PINS_FILE=/etc/trustnet-test-pins.txt"];
  const sh = async (cmd: string, timeoutMs = 900_000): Promise<{ code: number; out: string; ms: number }> => {
    const t0 = performance.now();
    const r = await dockerd.docker(["exec", ...execEnv, ctr, "sh", "-c", cmd], { timeoutMs });
    const out = `${r.stdout}${r.stderr}`;
    logs.push(`$ ${cmd}\n${out}`);
    return { code: r.code, out, ms: Math.round(performance.now() - t0) };
  };
  return {
    mirrorUrl: mirror.url, work, sh, close,
    async copyIn(hostDir, containerPath) {
      const cp = await dockerd.docker(["cp", hostDir, `${ctr}:${containerPath}`]);
      assert.equal(cp.code, 0, cp.stderr);
    },
    async rpcStatus() {
      const res = await fetch("http://127.0.0.1:26657/status", { signal: AbortSignal.timeout(5000) });
      const body = (await res.json()) as { result: { node_info: { network: string }; sync_info: { latest_block_height: string } } };
      return { height: Number(body.result.sync_info.latest_block_height), network: body.result.node_info.network };
    },
    fsList: async () => (await sh("find / -xdev \\( -path /proc -o -path /sys -o -path /dev -o -path /npm-cache -o -path /tmp \\) -prune -o -print | sort")).out.split("\n"),
  };
}
