// A private Docker engine for the fresh-machine test: its own data and exec roots and unix socket, no bridge and
// no iptables (containers use the host network, so everything they serve stays on 127.0.0.1). Needs root.
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const HOW = "run 'sh scripts/prereqs.sh' as root (installs Debian's docker.io and mmdebstrap), or use 'npm test'";

export interface DockerResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}
export interface Dockerd {
  /** Runs the docker CLI without blocking the event loop (the test's own HTTP mirror must keep serving). */
  readonly docker: (args: readonly string[], opts?: { readonly timeoutMs?: number }) => Promise<DockerResult>;
  readonly stop: () => Promise<void>;
}

export async function startDockerd(dir: string): Promise<Dockerd> {
  if (spawnSync("dockerd", ["--version"]).status !== 0) throw new Error(`dockerd is not installed: ${HOW}`);
  if (process.getuid?.() !== 0) throw new Error("the fresh-machine test starts dockerd and needs root (CI runs as root)");
  mkdirSync(dir, { recursive: true });
  const sock = join(dir, "docker.sock");
  const log = openSync(join(dir, "dockerd.log"), "a");
  const child: ChildProcess = spawn("dockerd", [
    "--data-root", join(dir, "data"), "--exec-root", join(dir, "exec"), "--pidfile", join(dir, "dockerd.pid"),
    "-H", `unix://${sock}`, "--iptables=false", "--ip6tables=false", "--bridge=none",
  ], { stdio: ["ignore", log, log] });
  closeSync(log);
  const cli = existsSync("/usr/bin/docker") ? "/usr/bin/docker" : "docker";
  const env = { ...process.env, DOCKER_HOST: `unix://${sock}`, DOCKER_CONFIG: join(dir, "client") };
  const docker: Dockerd["docker"] = (args, opts = {}) =>
    new Promise((resolve) => {
      execFile(cli, [...args], { env, encoding: "utf8", timeout: opts.timeoutMs ?? 900_000, maxBuffer: 256 << 20 }, (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === "number" ? err.code : -1;
        resolve({ code, stdout, stderr: stderr + (err !== null && typeof err.code !== "number" ? String(err) : "") });
      });
    });
  const deadline = Date.now() + 60_000;
  while ((await docker(["version", "--format", "{{.Server.Version}}"])).code !== 0) {
    if (child.exitCode !== null) throw new Error(`dockerd exited with ${child.exitCode}; see ${join(dir, "dockerd.log")}`);
    if (Date.now() > deadline) throw new Error(`dockerd did not answer within 60 s; see ${join(dir, "dockerd.log")}`);
    await sleep(250);
  }
  return {
    docker,
    stop: async (): Promise<void> => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(20_000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
      // dockerd leaves its default network namespace mounted when it is killed; without this the dir cannot go.
      spawnSync("umount", ["-l", join(dir, "exec", "netns", "default")], { stdio: "ignore" });
    },
  };
}
