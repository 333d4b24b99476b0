// Shared pieces of the installer's end-to-end tests: real release artefacts served from a local mirror, and a
// runner for install.sh with no controlling terminal (so prompts answer "no" unless --yes is given).
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { buildCometbftTarball, realCometbftPath, sumsFile } from "../../installer/src/testing/fixtures.ts";
import { buildRelease } from "../../installer/src/release.ts";
import { COMETBFT_VERSION, NODE_VERSION } from "../../installer/src/versions.ts";

export const ROOT = resolve(import.meta.dirname, "../..");
export const INSTALL_SH = join(ROOT, "install.sh");
export const CACHE = join(homedir(), ".cache", "trustnet-test", "installer");

const sha256 = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

/** The private Node 24 that scripts/lib/node-env.sh installed (the one running this test). */
export function privateNodeDir(): string {
  const dir = process.env.TRUSTNET_NODE_DIR ?? join(homedir(), ".trustnet", "node");
  const node = join(dir, "bin", "node");
  if (!existsSync(node)) {
    throw new Error(`${node} is missing: run '. scripts/lib/node-env.sh && tn_ensure_node' (installs Node ${NODE_VERSION})`);
  }
  return dir;
}

/**
 * A real `node-v<ver>-linux-x64.tar.gz` built from the private Node dir (cached under ~/.cache/trustnet-test,
 * keyed by the version), laid out like nodejs.org/dist: `/v<ver>/<tarball>` and `/v<ver>/SHASUMS256.txt`.
 */
/** Pins for the artefacts the tests build (written by nodeMirrorFiles; passed on by baseEnv once it exists). */
export const TEST_PINS_FILE = join(CACHE, "test-pins.txt");
let pinsWritten = false;

export function nodeMirrorFiles(): Map<string, Buffer | string> {
  const arch = process.arch === "arm64" ? "arm64" : "x64";
  const name = `node-v${NODE_VERSION}-linux-${arch}`;
  const cached = join(CACHE, `${name}.tar.gz`);
  if (!existsSync(cached)) {
    mkdirSync(CACHE, { recursive: true });
    const src = privateNodeDir();
    execFileSync("sh", ["-c", 'tar -C "$1" --transform "flags=r;s,^\\.,$2," -cf - . | gzip -1 > "$3.tmp"', "sh", src, name, cached]);
    renameSync(`${cached}.tmp`, cached);
  }
  const tgz = readFileSync(cached);
  // Built here, so it cannot match the published pin: its own hash goes to TRUSTNET_PINS_FILE (see baseEnv).
  writeFileSync(TEST_PINS_FILE, `${sha256(tgz)}  ${name}.tar.gz\n`);
  pinsWritten = true;
  return new Map<string, Buffer | string>([
    [`/v${NODE_VERSION}/${name}.tar.gz`, tgz],
    [`/v${NODE_VERSION}/SHASUMS256.txt`, `${"0".repeat(64)}  node-v${NODE_VERSION}-darwin-arm64.tar.gz\n${sha256(tgz)}  ${name}.tar.gz\n`],
  ]);
}

/** The cometbft release tarball (with the real binary) and SHA256SUMS, at `/v<ver>/…` like GitHub's releases. */
export function cometbftMirrorFiles(): Map<string, Buffer | string> {
  const arch = process.arch === "arm64" ? "arm64" : "amd64";
  const asset = `cometbft_${COMETBFT_VERSION}_linux_${arch}.tar.gz`;
  const cached = join(CACHE, asset);
  const bin = realCometbftPath();
  if (!existsSync(cached) || statSync(cached).mtimeMs < statSync(bin).mtimeMs) {
    mkdirSync(CACHE, { recursive: true });
    execFileSync("sh", ["-c", 'cat > "$1"', "sh", cached], { input: buildCometbftTarball({ binary: bin }) });
  }
  const tgz = readFileSync(cached);
  return new Map<string, Buffer | string>([
    [`/v${COMETBFT_VERSION}/${asset}`, tgz],
    [`/v${COMETBFT_VERSION}/SHA256SUMS-${COMETBFT_VERSION}.txt`, sumsFile({ [asset]: tgz })],
  ]);
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * Runs a shell command line in a new session (no controlling terminal: /dev/tty cannot be opened, so the installer
 * never gets a "yes" it was not given). `env` replaces the environment except for PATH defaults.
 */
export function runShell(
  script: string,
  opts: { readonly env: NodeJS.ProcessEnv; readonly input?: string | Buffer; readonly shell?: string; readonly timeoutMs?: number },
): Promise<RunResult> {
  const t0 = performance.now();
  return new Promise((resolveRun, reject) => {
    const child = spawn(opts.shell ?? "/bin/sh", ["-c", script], { env: opts.env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), "SIGKILL");
      } catch {
        /* already gone */
      }
      reject(new Error(`timed out after ${opts.timeoutMs ?? 300_000} ms: ${script}\n${stderr}`));
    }, opts.timeoutMs ?? 300_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolveRun({ code: code ?? 1, stdout, stderr, ms: Math.round(performance.now() - t0) });
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(opts.input ?? "");
  });
}

/** Variables a user's machine would have for TLS and proxies (a TLS-inspecting proxy needs its CA bundle). */
const PASS_THROUGH = /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|(https?|no|all)_proxy|(HTTPS?|NO|ALL)_PROXY)$/;

/** A base environment for the installer: a throwaway HOME, the system PATH, nothing of this session's npm/Node. */
export function baseEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const kept = Object.fromEntries(Object.entries(process.env).filter(([k]) => PASS_THROUGH.test(k)));
  return {
    ...kept,
    HOME: home,
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    LANG: "C.UTF-8",
    TRUSTNET_NPM_REGISTRY: "http://127.0.0.1:9/npm-is-not-needed",
    ...(pinsWritten ? { TRUSTNET_PINS_FILE: TEST_PINS_FILE } : {}),
    ...extra,
  };
}

/** Every path under `dir` (relative), sorted; for "nothing changed" assertions. */
export function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

/**
 * A TrustNet release built from the working tree, plus the files a local mirror serves for the one-liner:
 * /trustnet/{install.sh, trustnet-<ver>.tar.gz, .sha256}, /node/… and /cometbft/… with their checksum files.
 */
export async function releaseMirrorFiles(outDir: string): Promise<{ version: string; files: Map<string, Buffer | string> }> {
  const rel = await buildRelease(ROOT, outDir, { allowUntracked: true }); // the tests test the working tree
  const files = new Map<string, Buffer | string>([
    ["/trustnet/install.sh", readFileSync(rel.installSh)],
    [`/trustnet/trustnet-${rel.version}.tar.gz`, readFileSync(rel.tarball)],
    [`/trustnet/trustnet-${rel.version}.tar.gz.sha256`, readFileSync(`${rel.tarball}.sha256`)],
  ]);
  for (const [k, v] of nodeMirrorFiles()) files.set(`/node${k}`, v);
  for (const [k, v] of cometbftMirrorFiles()) files.set(`/cometbft${k}`, v);
  return { version: rel.version, files };
}
