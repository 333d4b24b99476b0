// `trustnet provider run`: the provider daemon (cli/src/provider/daemon.ts). It follows the chain, boots a VM for
// every lease naming the --from key's provider, announces it ready, destroys it when the lease closes, withdraws
// on a schedule and reconciles the machine with the chain on start and every --reconcile-every blocks.
import { join } from "node:path";
import { pino } from "pino";
import { jsonLogger } from "@trustnet/abci-app";
import type { Argv, CommandModule } from "yargs";
import {
  BANDWIDTH_NOT_ENFORCED, catalogBootSource, kernelBootSource, leasesRoot, portFree, realLifecycleDeps, realShell, requireStateOwner, stderrProgress, type LeaseBootSource,
} from "@trustnet/provisioner";
import { planFee } from "../chain/index.ts";
import { UsageError } from "../errors.ts";
import { parseSeconds } from "../seconds.ts";
import type { GlobalOptions } from "../global-options.ts";
import { resolveKeyName, showKey } from "../keyring/index.ts";
import { CosmosLeaseChain } from "../provider/cosmos-lease-chain.ts";
import { ProviderDaemon } from "../provider/daemon.ts";
import { cometBlockSource } from "../provider/follow-blocks.ts";
import { realVmHost } from "../provider/vm-host.ts";
import { checkSshReach, parseSshBind } from "../leasing/args.ts";
import { normalizeNodeUrl } from "../chain/index.ts";
import { feeFlags, withFeeOptions, type FeeOptions } from "./chain-options.ts";
import { passphraseSource, withPassphraseOption, type PassphraseOptions } from "./wallet-options.ts";

type RunArgs = GlobalOptions & PassphraseOptions & FeeOptions & {
  from?: string; "ssh-port-range": string; "ssh-host": string; "ssh-bind"?: string; "reconcile-every": number; "withdraw-every": number; "ready-timeout": number;
  "guest-kernel"?: string; "guest-initrd"?: string; mirror?: string; "poll-ms": number;
};

/** The provider daemon's own directory: lease VMs live in <home>/provider/leases/<id>/. */
export const providerHome = (home: string): string => join(home, "provider");

/**
 * `provider run` writes the image cache into the home and every lease VM into <home>/provider/leases/, and runs their
 * QEMU: as another user (sudo, as root) the lease directories, pidfiles, serial.logs and QMP sockets were root's (the
 * owner's daemon could not write them again) and the tenants' VMs ran as root. Refused first, naming the owner and
 * `sudo -u`, as `provider lease-logs` and the vm commands (requireStateOwner, the provisioner's lifecycle/owner.ts); a
 * directory not there yet passes. `euid`: process.geteuid() when absent, another user in specs.
 */
export async function requireProviderOwner(home: string, command: string, euid?: number): Promise<void> {
  for (const dir of [home, providerHome(home), leasesRoot(providerHome(home))]) await requireStateOwner(dir, command, euid);
}

export function parsePortRange(s: string): { from: number; to: number } {
  const m = /^(\d{1,5})-(\d{1,5})$/u.exec(s.trim());
  const from = Number(m?.[1]);
  const to = Number(m?.[2]);
  if (m === null || from < 1024 || to > 65535 || from > to) throw new UsageError(`invalid --ssh-port-range "${s}"`, "write it like 40000-40100 (ports 1024-65535, low-high)");
  return { from, to };
}

function positive(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${name} must be a positive whole number (got ${v})`);
  return v;
}

export const providerRunCommand: CommandModule<GlobalOptions, RunArgs> = {
  command: "run",
  describe: "run the provider daemon: boot a VM for each lease, announce it ready, destroy it on close, withdraw",
  builder: (y) => withFeeOptions(withPassphraseOption(y as Argv<GlobalOptions>))
    .option("from", { type: "string", describe: "the provider's key (default: the active key)" })
    .option("ssh-port-range", { type: "string", default: "40000-40100", describe: "host ports forwarded to the lease VMs' SSH" })
    .option("ssh-host", { type: "string", default: "127.0.0.1", describe: "host name or address tenants connect to (announced on chain)" })
    .option("ssh-bind", { type: "string", describe: "IPv4 address the VMs' SSH forwards listen on (default 127.0.0.1; 0.0.0.0 or this host's address for remote tenants)" })
    .option("reconcile-every", { type: "number", default: 20, describe: "reconcile VMs with the chain every N blocks" })
    .option("withdraw-every", { type: "number", default: 50, describe: "withdraw the ready leases' accrued payment every N blocks" })
    .option("ready-timeout", { type: "number", default: 900, describe: "seconds to wait for a booted VM to accept the tenant's key before retrying" })
    .option("poll-ms", { type: "number", default: 1000, describe: "polling period while the websocket is down" })
    .option("mirror", { type: "string", describe: "image mirror base URL (catalog images)" })
    .option("guest-kernel", { type: "string", describe: "boot this direct kernel (with --guest-initrd) instead of the catalog images (the provisioner's test guest)" })
    .option("guest-initrd", { type: "string", describe: "the initramfs for --guest-kernel" }) as unknown as Argv<RunArgs>,
  handler: async (a) => {
    const ports = parsePortRange(a["ssh-port-range"]);
    const ssh = parseSshBind(a["ssh-bind"] ?? "127.0.0.1");
    checkSshReach(a["ssh-host"], a["ssh-bind"]);
    const reconcileEvery = positive("reconcile-every", a["reconcile-every"]);
    const withdrawEvery = positive("withdraw-every", a["withdraw-every"]);
    const readyTimeout = parseSeconds(a["ready-timeout"], "--ready-timeout", { positive: true });
    const pollMs = positive("poll-ms", a["poll-ms"]);
    if ((a["guest-kernel"] === undefined) !== (a["guest-initrd"] === undefined)) throw new UsageError("--guest-kernel and --guest-initrd go together");
    await requireProviderOwner(a.home, "provider run");
    const logger = jsonLogger({ name: "provider", base: { pid: process.pid } }, pino.destination({ dest: 2, sync: true }));
    const log = (event: string, fields: Record<string, unknown>): void => logger.info({ event, ...fields }, event);
    const keyName = await resolveKeyName(a.home, a.from);
    const provider = (await showKey(a.home, keyName)).address;
    const home = providerHome(a.home);
    const deps = realLifecycleDeps();
    const source: LeaseBootSource = a["guest-kernel"] !== undefined && a["guest-initrd"] !== undefined
      ? kernelBootSource(a["guest-kernel"], a["guest-initrd"], realShell)
      : catalogBootSource(a.home, a.mirror, { $: realShell, env: process.env, progress: (l) => stderrProgress(l), log: (l) => log("image", { line: l }) }, realShell);
    const chain = await CosmosLeaseChain.connect({ node: a.node, chainId: a["chain-id"], home: a.home, keyName, provider, passphrase: passphraseSource(a), fee: planFee(feeFlags(a)), log });
    const daemon = new ProviderDaemon(
      { chain, vms: realVmHost(home, source, deps, ssh.probeHost), portFree: (p) => portFree(p, ssh.bind), log, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
      { sshHost: a["ssh-host"], sshBind: ssh.bind, portRange: ports, reconcileEvery, withdrawEvery, readyTimeoutMs: readyTimeout * 1000, probeIntervalMs: 1000 },
    );
    const stop = new AbortController();
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => stop.abort());
    log("start", { provider, key: keyName, home, images: source.description, ssh_ports: a["ssh-port-range"], limits: { cpu: "enforced (-smp)", memory: "enforced (-m)", disk: "enforced (disk size)", bandwidth: BANDWIDTH_NOT_ENFORCED } });
    try {
      await daemon.reconcile();
      await cometBlockSource(normalizeNodeUrl(a.node), { pollMs, log }).follow(async (h, tip) => {
        await daemon.onHeight(h, tip).catch((e: unknown) => log("error", { height: h, error: (e as Error).message }));
      }, stop.signal);
    } finally {
      log("stop", { in_flight: daemon.inFlight() });
      chain.disconnect();
      // Tasks still probing a booting VM must not hold the process: the VMs keep running and a restart resumes them.
      setTimeout(() => process.exit(process.exitCode ?? 0), 1000).unref();
    }
  },
};
