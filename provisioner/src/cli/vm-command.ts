/**
 * `trustnet vm up|create|start|stop|restart|status|ssh|logs|destroy`: a yargs CommandModule (registered by the
 * CLI in cli/src/commands/index.ts). Errors are ProvisionError subclasses with `message` and `hint`.
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { InvalidConfigError } from "../errors.ts";
import { realShell } from "../shell.ts";
import { stderrProgress } from "../images/progress.ts";
import { realLifecycleDeps } from "../lifecycle/real-deps.ts";
import { makeSpinnerGroup } from "../lifecycle/spinner.ts";
import { lockFile, vmDir, vmsRoot } from "../lifecycle/layout.ts";
import { requireStateOwner } from "../lifecycle/owner.ts";
import { withLock } from "../lifecycle/lock.ts";
import { abortOnSignals } from "../lifecycle/serial-follow.ts";
import { SERIAL_EMPTY } from "../lifecycle/ready.ts";
import { listVms, startVm, stopVm } from "../lifecycle/vm.ts";
import { normaliseArch } from "../qemu/probe.ts";
import { destroy, followLogs, logs, requireVm, sshInteractive, statusAll, statusText, stopMany } from "./vm-actions.ts";
import { canonicalName, roleOf } from "./vm-plan.ts";
import { realPayloads } from "../payloads/guest-payloads.ts";
import { importValidatorState, realVmDevnet, vmDevnetHome } from "../payloads/vm-devnet.ts";
import { loadConfig, vmUp, waitVm, type UpDeps } from "./vm-up.ts";

export interface VmCliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly deps: () => UpDeps;
  /**
   * The guest's console (`vm logs`, with or without --follow) as the terminal may show it: the CLI's terminalSafe
   * (cli/src/terminal-text.ts), which writes control characters escaped, as `provider lease-logs` prints them.
   */
  readonly consoleText: (text: string) => string;
  /** The effective uid the owner checks compare with (lifecycle/owner.ts): process.geteuid() when absent; another user in specs. */
  readonly euid?: number;
}

export const DEFAULT_VM_CONFIG = resolve(import.meta.dirname, "../../../config/vm.json");

/** What the CLI hands the VM commands: the provisioner does not import the app. */
export interface VmAppFacts {
  /** STATE_FORMAT_VERSION of @trustnet/abci-app: the state format this install's app runs. */
  readonly stateFormat: number;
}

function realDeps(err: (t: string) => void, app: VmAppFacts): UpDeps {
  const log = (l: string): void => err(`${l}\n`);
  const images = { $: realShell, env: process.env, progress: (label: string) => stderrProgress(label), log };
  const appRoot = resolve(import.meta.dirname, "../../..");
  return {
    lifecycle: realLifecycleDeps(),
    images,
    $: realShell,
    spinner: makeSpinnerGroup(),
    log,
    devnet: realVmDevnet({ $: realShell, appRoot, log }),
    payloads: realPayloads({ ...images, appRoot }),
    stateFormat: app.stateFormat,
  };
}

/** The real input/output and dependencies of the VM commands (the CLI's); `consoleText` as VmCliIo's. */
export function realVmIo(app: VmAppFacts, consoleText: (text: string) => string): VmCliIo {
  return {
    consoleText,
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    deps: () => realDeps((t) => void process.stderr.write(t), app),
  };
}

interface Common {
  readonly home: string;
  readonly output: string;
}

function port(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidConfigError(`${flag} must be a port number (1-65535), got ${JSON.stringify(v)}`);
  return n;
}

/** The longest `--timeout`: a day, as config/vm.json's readyTimeoutSeconds (profiles.ts). */
export const MAX_TIMEOUT_SECONDS = 86_400;

/**
 * A positive number of seconds (`--timeout`), at most MAX_TIMEOUT_SECONDS. yargs turns `abc` into NaN for a number
 * option: a NaN deadline would make `vm stop` quit QEMU at once (no guest shutdown) and readiness waits spin forever,
 * so it is refused first. Past 2^31-1 ms a readiness wait's SSH timers (ssh-exec.ts) fired after 1 ms (Node's
 * TimeoutOverflowWarning): `vm start --timeout 9999999` then never saw a ready VM and waited out its months.
 */
export function seconds(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  if (!Number.isFinite(n) || n <= 0 || n > MAX_TIMEOUT_SECONDS) {
    throw new InvalidConfigError(`${flag} must be a number of seconds above 0, at most ${MAX_TIMEOUT_SECONDS} (a day)${Number.isNaN(n) ? "" : ` (got ${String(v)})`}`, `e.g. ${flag} 60`);
  }
  return n;
}

/** A whole number from 1 up (`--lines`). */
function count(v: unknown, flag: string): number {
  const n = typeof v === "number" ? v : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidConfigError(`${flag} must be a whole number from 1 up${Number.isNaN(n) ? "" : ` (got ${String(v)})`}`);
  return n;
}

/** $TRUSTNET_HOME, else ~/.trustnet; an empty variable counts as unset (as `${TRUSTNET_HOME:-…}` in install.sh). */
export function defaultVmHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.TRUSTNET_HOME || join(homedir(), ".trustnet");
}

function common<T>(y: Argv<T>): Argv<T & Common> {
  return y
    // Absolute: the generated start/stop scripts `cd` into the VM dir and name its files, and QEMU's command line is
    // what `vm status` recognises the VM by, from any directory.
    .option("home", { type: "string", default: defaultVmHome(), describe: "TrustNet home ($TRUSTNET_HOME)", coerce: (h: string) => resolve(h) })
    .option("output", { type: "string", default: "text", describe: "output format: text or json" }) as unknown as Argv<T & Common>;
}

function upOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option("validators", { type: "string", default: "1", describe: "node VMs on the ULA segment (1-16)" })
    .option("ssh-port", { type: "string", describe: "host port for the (first) VM's SSH instead of 2222/2223" })
    .option("mirror", { type: "string", describe: "image mirror base URL ($TRUSTNET_IMAGE_MIRROR)" })
    .option("ssh-key", { type: "string", describe: "SSH public key for the VM users (default ~/.ssh/id_ed25519.pub, else a generated key; the readiness checks log in with its private half, which must be unencrypted: a passphrase-protected default key is authorized too, but the checks use the generated key)" })
    .option("config", { type: "string", default: DEFAULT_VM_CONFIG, describe: "VM profiles (config/vm.json)" })
    .option("app-tarball", { type: "string", describe: "app bundle shipped on the cloud-init seed, unpacked to /opt/trustnet/app (default: built from this install)" })
    .option("node-tarball", { type: "string", describe: "node-linux-<arch> npm tarball for glibc guests (Ubuntu; default: from the npm registry, $TRUSTNET_NPM_REGISTRY)" })
    .option("cometbft-binary", { type: "string", describe: "CometBFT for the guest architecture (default: the release for linux/<arch>, $TRUSTNET_COMETBFT_MIRROR, else go install)" })
    .option("insecure-skip-signature", {
      type: "boolean", default: false,
      describe: "DANGEROUS: accept Ubuntu's SHA256SUMS without checking its signature (a tampering mirror could then serve any image the pin does not catch)",
    })
    .option("reuse-validator-key", {
      type: "boolean", default: false,
      describe: "ship a validator key that already went to a VM (the VM re-created): DOUBLE-SIGN RISK unless the old instance is gone for good and its priv_validator_state.json was imported (vm import-validator-state)",
    })
    .option("arch", { type: "string", choices: ["aarch64", "x86_64"], default: "aarch64", describe: "guest architecture" })
    .option("wait", { type: "boolean", default: true, describe: "wait for SSH, cloud-init and the services" })
    .option("timeout", { type: "number", describe: "readiness timeout in seconds, at most 86400 (default from config/vm.json)" }) as Argv<T>;
}

type A = Record<string, unknown> & Common & { readonly _: readonly unknown[] };

/** A JSON document with snake_case keys (`stale_reason`, `host_port`, `node_index`), as every JSON document `trustnet` prints. */
function snakeCaseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeCaseKeys);
  if (!v || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/gu, (c) => `_${c.toLowerCase()}`), snakeCaseKeys(x)]));
}

export function makeVmCommand(io: VmCliIo): CommandModule<object, never> {
  const print = (a: Common, json: unknown, text: () => string): void => io.out(`${a.output === "json" ? JSON.stringify(snakeCaseKeys(json), null, 2) : text()}\n`);
  const names = (v: unknown): string[] => (Array.isArray(v) ? v.map((n) => canonicalName(String(n))) : []);
  /**
   * The commands that write (QEMU started or stopped, its pidfile, scripts, QMP socket and serial.log, a VM created or
   * deleted, the chain's signing state) run as the owner of what they write: as another user (sudo, as root) they left
   * files the owner cannot write, and started QEMU as root for that user's VM. Refused first, naming the owner and
   * `sudo -u` (requireStateOwner, lifecycle/owner.ts); a directory not there yet passes. `vm status` and `vm ssh` only read.
   */
  const requireOwner = async (dirs: readonly string[], command: string): Promise<void> => {
    for (const dir of dirs) await requireStateOwner(dir, command, io.euid);
  };
  const vmDirs = async (home: string, list: readonly string[]): Promise<string[]> => (list.length > 0 ? list : await listVms(home)).map((n) => vmDir(home, n));
  const up = async (a: A, only: readonly string[] | undefined, start: boolean): Promise<void> => {
    const arch = normaliseArch(String(a.arch)) ?? "aarch64";
    // The home too: network.json, the image cache and the generated SSH key are written there.
    await requireOwner([a.home, vmsRoot(a.home), ...(await vmDirs(a.home, only ?? []))], only === undefined ? "vm up" : `vm create ${only.join(" ")}`);
    const created = await vmUp({
      home: a.home, configFile: a.config as string, validators: a.validators, sshPort: port(a["ssh-port"], "--ssh-port"),
      mirror: a.mirror as string | undefined, sshKey: a["ssh-key"] as string | undefined, arch, wait: a.wait as boolean,
      timeoutSeconds: seconds(a.timeout, "--timeout"), only, start,
      appTarball: a["app-tarball"] as string | undefined, nodeTarball: a["node-tarball"] as string | undefined,
      cometbftBinary: a["cometbft-binary"] as string | undefined,
      insecureSkipSignature: a["insecure-skip-signature"] === true,
      reuseValidatorKey: a["reuse-validator-key"] === true,
    }, io.deps());
    const st = await statusAll(a.home, created, false);
    print(a, st, () => statusText(st));
  };
  return {
    command: "vm <command>",
    describe: "ARM64 VMs for the node and the registry (QEMU, IPv6 ULA network)",
    builder: ((y: Argv) => common(y)
      .command("up", "create (if needed) and start all VMs, then wait until ready", (b) => upOptions(b), (a) => up(a as unknown as A, undefined, true))
      .command("create <name>", "create one VM (node, registry, validator-N) without starting it", (b) => upOptions(b.positional("name", { type: "string" })), (a) => up(a as unknown as A, [canonicalName(String((a as unknown as A).name))], false))
      .command("start <name>", "start a VM and wait until it is ready", (b) => b.positional("name", { type: "string" }).option("ssh-port", { type: "string" }).option("wait", { type: "boolean", default: true }).option("timeout", { type: "number" }).option("config", { type: "string", default: DEFAULT_VM_CONFIG }), async (raw) => {
        const a = raw as unknown as A;
        const name = canonicalName(String(a.name));
        const sshPort = port(a["ssh-port"], "--ssh-port");
        const timeout = seconds(a.timeout, "--timeout") ?? (await loadConfig(a.config as string)).readyTimeoutSeconds;
        await requireOwner([vmsRoot(a.home), vmDir(a.home, name)], `vm start ${name}`);
        await requireVm(a.home, name);
        // Under the vm lock, as vm up/stop/destroy: a concurrent destroy must not delete the directory QEMU starts in.
        const r = await withLock(lockFile(a.home), () => startVm(a.home, name, io.deps().lifecycle, { ...(sshPort !== undefined ? { sshPort } : {}) }));
        if (a.wait) await waitVm(a.home, name, timeout * 1000, io.deps());
        print(a, { name, pid: r.pid }, () => `${name} started (pid ${r.pid})`);
      })
      .command("stop [names..]", "power VMs off over QMP (all when none is named)", (b) => b.positional("names", { type: "string", array: true }).option("timeout", { type: "number", default: 60, describe: "seconds before QEMU is told to quit (at most 86400)" }), async (raw) => {
        const a = raw as unknown as A;
        const timeout = seconds(a.timeout, "--timeout") ?? 60;
        await requireOwner([vmsRoot(a.home), ...(await vmDirs(a.home, names(a.names)))], ["vm stop", ...names(a.names)].join(" "));
        const res = await stopMany(a.home, names(a.names), timeout * 1000);
        // Nothing to stop: a note on stderr (stdout printed an empty line); --output json is still the (empty) list.
        if (res.length === 0 && a.output !== "json") return io.err("no VMs to stop (create them with 'trustnet vm up')\n");
        print(a, res, () => res.map((r) => `${r.name}: ${r.method === "not-running" ? "not running" : `stopped (${r.method})`}`).join("\n"));
      })
      .command("restart <name>", "stop, then start and wait", (b) => b.positional("name", { type: "string" }).option("timeout", { type: "number" }).option("config", { type: "string", default: DEFAULT_VM_CONFIG }), async (raw) => {
        const a = raw as unknown as A;
        const name = canonicalName(String(a.name));
        const timeout = seconds(a.timeout, "--timeout") ?? (await loadConfig(a.config as string)).readyTimeoutSeconds;
        await requireOwner([vmsRoot(a.home), vmDir(a.home, name)], `vm restart ${name}`);
        await requireVm(a.home, name);
        const { method, r } = await withLock(lockFile(a.home), async () => {
          const method = await stopVm(a.home, name);
          return { method, r: await startVm(a.home, name, io.deps().lifecycle) };
        });
        await waitVm(a.home, name, timeout * 1000, io.deps());
        print(a, { name, stopped: method, pid: r.pid }, () => `${name} restarted (pid ${r.pid})`);
      })
      // `list` too: `vm list` (as docker, multipass) was answered "Did you mean logs?".
      .command(["status [names..]", "list [names..]"], "state, PIDs, ports, ULA addresses and service health", (b) => b.positional("names", { type: "string", array: true }).option("health", { type: "boolean", default: true }), async (raw) => {
        const a = raw as unknown as A;
        const st = await statusAll(a.home, names(a.names), a.health as boolean);
        print(a, st, () => statusText(st));
      })
      .command("ssh <name> [command..]", "SSH into a VM (pinned host key); a command with options after --: vm ssh node -- ls -la", (b) => b.positional("name", { type: "string" }).positional("command", { type: "string", array: true }), async (raw) => {
        const a = raw as unknown as A;
        // yargs leaves what follows `--` in `_`, after the command path (vm ssh): it is the guest command's rest.
        const command = [...((a.command as string[] | undefined) ?? []), ...(a._ as unknown[]).slice(2).map(String)];
        process.exitCode = await sshInteractive(io.deps().$, a.home, canonicalName(String(a.name)), command);
      })
      .command("logs <name>", "the VM's serial console log (drained from QEMU's ring; at most 4 MiB kept)", (b) => b.positional("name", { type: "string" })
        .option("lines", { type: "number", default: 100, describe: "the last N lines" })
        .option("follow", { alias: "f", type: "boolean", default: false, describe: "then print what the VM prints next, until Ctrl-C or the VM stops" }), async (raw) => {
        const a = raw as unknown as A;
        const name = canonicalName(String(a.name));
        const lines = count(a.lines, "--lines");
        if (a.follow === true && a.output === "json") throw new InvalidConfigError("--follow prints the console as text: it takes no --output json", "drop --output json to follow, or drop --follow for one JSON document of the last lines");
        // It drains the console into serial.log: as another user (sudo), a file the VM's owner cannot append to.
        await requireOwner([vmDir(a.home, name)], `vm logs ${name}`);
        if (a.follow !== true) {
          const tail = await logs(a.home, name, lines);
          return print(a, { name, lines: tail }, () => (tail.length === 0 ? SERIAL_EMPTY : io.consoleText(tail.join("\n"))));
        }
        const stop = abortOnSignals();
        try {
          const end = await followLogs(a.home, name, { lines, signal: stop.signal, write: (t) => io.out(io.consoleText(t)), note: (l) => io.err(`${l}\n`) });
          if (end === "not-running") io.err(`${name} is not running: its log as it is, nothing to follow (trustnet vm start ${name})\n`);
          if (end === "stopped") io.err(`${name} stopped\n`);
        } finally {
          stop.dispose();
        }
      })
      .command("import-validator-state <name> <file>", "put a validator VM's priv_validator_state.json (recovered from its disk) into the host copy of the VMs' chain", (b) => b.positional("name", { type: "string" }).positional("file", { type: "string" }), async (raw) => {
        const a = raw as unknown as A;
        const name = canonicalName(String(a.name));
        const role = roleOf(name);
        if (role.role === "registry") throw new InvalidConfigError(`${name} is not a validator VM: use node or validator-N`);
        const nodeIndex = role.role === "node" ? 0 : role.index - 1;
        // Replaced whole: as another user, a signing state the owner's next `vm up` could not read.
        await requireOwner([vmDevnetHome(a.home)], `vm import-validator-state ${name}`);
        const r = await importValidatorState(vmDevnetHome(a.home), nodeIndex, String(a.file));
        print(a, { name, nodeIndex, height: r.height, file: r.target }, () => `validator ${nodeIndex} (${name}): signing state at height ${r.height} imported into ${r.target}`);
      })
      .command("destroy <name>", "delete a VM and its disk (--force for a running VM)", (b) => b.positional("name", { type: "string" }).option("force", { type: "boolean", default: false, describe: "destroy a running VM too: it is stopped at once (QMP quit, then SIGKILL), without a guest shutdown" }), async (raw) => {
        const a = raw as unknown as A;
        const name = canonicalName(String(a.name));
        await requireOwner([vmsRoot(a.home), vmDir(a.home, name)], `vm destroy ${name}`);
        await destroy(a.home, name, a.force as boolean);
        print(a, { name, destroyed: true }, () => `${name} destroyed`);
      })
      .demandCommand(1, "name a vm command: up, create, start, stop, restart, status (list), ssh, logs, import-validator-state, destroy")) as unknown as CommandModule<object, never>["builder"],
    handler: () => undefined,
  };
}
