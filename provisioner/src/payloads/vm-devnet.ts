/**
 * One chain across the node VMs: the host generates a single devnet for all of them (`trustnet devnet generate
 * --p2p-hosts <ULA addresses>`: one genesis, each validator its own keys and config, peers over the ULA segment,
 * RPC on every interface so the host forward reaches it) under `<home>/vms/.devnet`, once per install. Each node VM
 * gets only what its validator needs (devnet.json, the faucet and operator keys, its own `node<i>/`), the registry VM
 * only the operator key that signs MsgRecordTag; both ride on the seed as `trustnet-home.tgz`, unpacked into the
 * guest's /var/lib/trustnet.
 */
import { access, mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { InvalidConfigError, ProvisionError } from "../errors.ts";
import { checked, type Shell } from "../shell.ts";

export { HOME_TARBALL } from "../cloud-init/seed.ts";

// Dual-stack: the host forward arrives over IPv4 (slirp), the registry VM over the ULA segment (IPv6).
export const GUEST_RPC_LADDR = "tcp://[::]:26657";

export interface VmDevnetRequest {
  /** The TrustNet home (its bin/ holds the host's cometbft after install.sh). */
  readonly home: string;
  /** The node VMs' ULA addresses, validator 0 (the node VM) first. */
  readonly p2pHosts: readonly string[];
  /** Where the registry VM serves (recorded in genesis with its operator key). */
  readonly registryEndpoint: string;
}

/** Generates (or reuses) the VM devnet and returns its home (which holds `devnet/`). */
export type GenerateVmDevnet = (req: VmDevnetRequest) => Promise<string>;

export function vmDevnetHome(home: string): string {
  return join(home, "vms", ".devnet");
}

interface Manifest {
  readonly validators: number;
  readonly nodes: readonly { readonly index: number; readonly p2pHost?: string }[];
}

/** The real generator: the CLI of this install (`node cli/bin/trustnet.js devnet generate …`). */
export function realVmDevnet(deps: { readonly $: Shell; readonly appRoot: string; readonly log: (line: string) => void; readonly env?: NodeJS.ProcessEnv }): GenerateVmDevnet {
  return async (req) => {
    const dir = vmDevnetHome(req.home);
    const manifestFile = join(dir, "devnet", "devnet.json");
    const existing = await readFile(manifestFile, "utf8").then((t) => JSON.parse(t) as Manifest, () => undefined);
    if (existing !== undefined) {
      const hosts = existing.nodes.map((n) => n.p2pHost ?? "");
      if (hosts.join(",") !== req.p2pHosts.join(",")) {
        throw new InvalidConfigError(
          `the VMs' chain in ${dir} was made for ${existing.validators} validator(s) at ${hosts.join(", ")}, not ${req.p2pHosts.join(", ")}`,
          `destroy the node VMs (trustnet vm destroy … --force) and remove ${dir} to make a new chain`,
        );
      }
      return dir;
    }
    await mkdir(join(req.home, "vms"), { recursive: true });
    deps.log(`generating the VMs' chain (${req.p2pHosts.length} validator(s) on the ULA segment) in ${dir}`);
    const env = { ...(deps.env ?? process.env) };
    env.PATH = `${join(req.home, "bin")}:${env.PATH ?? ""}`;
    const trustnet = [process.execPath, join(deps.appRoot, "cli", "bin", "trustnet.js")];
    const r = await deps.$({ env })`${trustnet} devnet generate --home ${dir} --validators ${req.p2pHosts.length} --p2p-hosts ${req.p2pHosts.join(",")} --rpc-laddr ${GUEST_RPC_LADDR} --registry-endpoint ${req.registryEndpoint} --output json`;
    if (r.exitCode !== 0) {
      await rm(dir, { recursive: true, force: true });
      throw new ProvisionError(`could not generate the VMs' chain: ${(r.stderr || r.stdout).trim()}`, "check that cometbft is installed (./install.sh)");
    }
    return dir;
  };
}

/** The home tarball for one VM: node index i, or the registry (undefined). */
export async function buildGuestHome($: Shell, devnetHome: string, nodeIndex: number | undefined, out: string): Promise<void> {
  const root = join(devnetHome, "devnet");
  const entries = nodeIndex === undefined
    ? ["registry-operator.json"]
    : ["devnet.json", "faucet.json", "registry-operator.json", `node${nodeIndex}`].map((e) => `devnet/${e}`);
  const base = nodeIndex === undefined ? root : devnetHome;
  for (const e of entries) {
    await access(join(base, e)).catch(() => {
      throw new ProvisionError(`the VMs' chain in ${devnetHome} has no ${e}`, `remove ${devnetHome} and run vm up again`);
    });
  }
  await checked($`tar -C ${base} --owner=0 --group=0 --numeric-owner -czf ${out} ${entries}`, "tar", "apt-get install tar gzip");
}
