// `devnet up --monitoring`: a real Prometheus (Debian's `prometheus` package, or --prometheus-bin) scraping the
// app's /metrics (REST port), CometBFT's instrumentation (26660 + 10·i) and the registry's loopback /metrics. It runs
// detached beside the supervisor, listens on loopback only, keeps its data under <home>/monitoring, and
// `devnet down` stops it. config/grafana/trustnet.json is the dashboard over these series.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { writeFileAtomic } from "@trustnet/installer";
import { CliError } from "../errors.ts";
import { devnetLayout, type DevnetManifest, registryMetricsPort } from "./layout.ts";
import { pidIs, sleep, waitFor } from "./process-util.ts";
import { childEnv } from "../child-env.ts";


export const PROMETHEUS_PORT = 9090;

export function monitoringLayout(home: string) {
  const dir = join(home, "monitoring");
  return { dir, config: join(dir, "prometheus.yml"), data: join(dir, "data"), pid: join(devnetLayout(home).run, "prometheus.pid"), log: join(devnetLayout(home).logs, "prometheus.log") };
}

/** Prometheus's scrape configuration for a devnet (YAML; every target on loopback). */
export function prometheusConfig(m: DevnetManifest, scrapeInterval = "2s"): string {
  const list = (xs: readonly string[]): string => `[${xs.map((x) => `'${x}'`).join(", ")}]`;
  const app = m.nodes.filter((n) => n.ports.rest !== undefined).map((n) => `127.0.0.1:${n.ports.rest}`);
  const comet = m.nodes.map((n) => `127.0.0.1:${n.ports.metrics ?? 26660 + n.index * 10}`);
  const jobs = [
    `  - job_name: trustnet-app\n    static_configs:\n      - targets: ${list(app)}`,
    `  - job_name: cometbft\n    static_configs:\n      - targets: ${list(comet)}`,
    ...(m.registry ? [`  - job_name: registry\n    static_configs:\n      - targets: ${list([`127.0.0.1:${registryMetricsPort(m.registry.port)}`])}`] : []),
  ];
  return [
    "# Written by `trustnet devnet up --monitoring`; regenerated on every start.",
    "global:", `  scrape_interval: ${scrapeInterval}`, `  evaluation_interval: ${scrapeInterval}`, `  external_labels:`, `    chain_id: '${m.chainId}'`,
    "scrape_configs:", ...jobs, "",
  ].join("\n");
}

export function runningPrometheus(home: string): number | undefined {
  const f = monitoringLayout(home).pid;
  if (!existsSync(f)) return undefined;
  const pid = Number(readFileSync(f, "utf8").trim());
  return Number.isSafeInteger(pid) && pid > 0 && pidIs(pid, "prometheus") ? pid : undefined;
}

/**
 * Writes `<home>/monitoring/prometheus.yml` for `m`, whole (writeFileAtomic: a symbolic link planted there is
 * replaced, never written through, and a write cut short leaves the old file). 0600: only the Prometheus this
 * user starts reads it.
 */
export async function writePrometheusConfig(home: string, m: DevnetManifest): Promise<string> {
  const l = monitoringLayout(home);
  mkdirSync(l.dir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(l.config, prometheusConfig(m), "replace");
  return l.config;
}

export async function startMonitoring(o: { home: string; manifest: DevnetManifest; prometheusBin?: string; port?: number; log?: (l: string) => void }): Promise<{ url: string; pid: number; alreadyRunning: boolean }> {
  const l = monitoringLayout(o.home);
  const port = o.port ?? PROMETHEUS_PORT;
  const url = `http://127.0.0.1:${port}`;
  const existing = runningPrometheus(o.home);
  if (existing !== undefined) return { url, pid: existing, alreadyRunning: true };
  const bin = o.prometheusBin ?? "/usr/bin/prometheus";
  if (!existsSync(bin)) {
    throw new CliError(`--monitoring needs Prometheus, and ${bin} does not exist`, { hint: "install Debian's package: apt-get install prometheus (or pass --prometheus-bin)" });
  }
  mkdirSync(l.data, { recursive: true, mode: 0o700 });
  mkdirSync(devnetLayout(o.home).run, { recursive: true });
  mkdirSync(devnetLayout(o.home).logs, { recursive: true });
  await writePrometheusConfig(o.home, o.manifest);
  o.log?.(`starting Prometheus on ${url} (config ${l.config})`);
  const out = openSync(l.log, "a");
  const p = spawn(bin, [
    `--config.file=${l.config}`, `--storage.tsdb.path=${l.data}`, `--web.listen-address=127.0.0.1:${port}`,
    "--storage.tsdb.retention.time=7d",
  ], { stdio: ["ignore", out, out], detached: true, env: childEnv() });
  closeSync(out);
  p.unref();
  if (p.pid === undefined) throw new CliError(`could not start ${bin}`, { hint: `see ${l.log}` });
  await writeFileAtomic(l.pid, `${p.pid}\n`, "replace");
  const ready = await waitFor(async () => {
    try {
      return (await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok;
    } catch {
      return false;
    }
  }, 30_000, 300);
  if (!ready) {
    await stopMonitoring(o.home);
    throw new CliError(`Prometheus did not become ready on ${url} within 30 s`, { hint: `see ${l.log} (is port ${port} taken?)` });
  }
  return { url, pid: p.pid, alreadyRunning: false };
}

export async function stopMonitoring(home: string): Promise<boolean> {
  const pid = runningPrometheus(home);
  const f = monitoringLayout(home).pid;
  if (pid === undefined) {
    rmSync(f, { force: true });
    return false;
  }
  process.kill(pid, "SIGTERM");
  if (!(await waitFor(() => !pidIs(pid, "prometheus"), 15_000, 200))) {
    process.kill(pid, "SIGKILL");
    await sleep(200);
  }
  rmSync(f, { force: true });
  return true;
}
