/**
 * One chain across the node VMs: the host generates a single devnet for all of them (`trustnet devnet generate
 * --p2p-hosts <ULA addresses>`: one genesis, each validator its own keys and config, peers over the ULA segment,
 * RPC on every interface so the host forward reaches it) under `<home>/vms/.devnet`, once per install. Each node VM
 * gets only what its validator needs (devnet.json, the faucet and operator keys, its own `node<i>/`), the registry VM
 * only the operator key that signs MsgRecordTag; both ride on the seed as `trustnet-home.tgz`, unpacked into the
 * guest's /var/lib/trustnet.
 */
import { constants } from "node:fs";
import { access, mkdir, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@trustnet/installer";
import { IncompatibleChainError, InvalidConfigError, ProvisionError } from "../errors.ts";
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

/**
 * Refuses a host copy of the VMs' chain made by a TrustNet of another state format (`stateFormat` in its devnet.json;
 * none recorded means older than the marker: cli/src/state-format.ts). VMs created now carry this install's app,
 * whose service would refuse that chain inside the guest, so the VM would never become healthy. `stateFormat` is the
 * format this install runs, handed in by the CLI (the provisioner does not import the app). No host copy yet passes:
 * `vm up` generates one of this format. Run before anything is created: a refusal changes nothing.
 */
export async function checkVmChainFormat(devnetHome: string, stateFormat: number, vms: readonly string[]): Promise<void> {
  const file = join(devnetHome, "devnet", "devnet.json");
  const text = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return undefined;
    throw new ProvisionError(`cannot read ${file}: ${e.message}`);
  });
  if (text === undefined) return;
  const manifest = (() => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  })();
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
    throw new InvalidConfigError(`${file} is not a devnet manifest (a JSON object)`, `remove ${devnetHome} to make a new chain for the VMs (destroy the node VMs first)`);
  }
  const found = (manifest as { stateFormat?: unknown }).stateFormat;
  if (found === stateFormat) return;
  const what = found === undefined ? "none recorded: it was made by a TrustNet version older than the state-format marker" : `state format ${JSON.stringify(found)}`;
  const destroy = vms.map((n) => `trustnet vm destroy ${n} --force && `).join("");
  throw new IncompatibleChainError(
    `the VMs' chain in ${devnetHome} was made by an incompatible TrustNet version (${what}); this TrustNet runs state format ${stateFormat} ` +
      "and has no state migrations, so a VM created now could not continue that chain (its service would refuse it and the VM would never become healthy). " +
      "Nothing was created or changed",
    `start a new chain for the VMs: ${destroy}rm -rf "${devnetHome}" && trustnet vm up. ` +
      `That deletes ${vms.length > 0 ? `the VMs ${vms.join(", ")} with their disks (the old chain's blocks and state) and ` : ""}` +
      `the host copy ${devnetHome} (its genesis, the validator, faucet and registry-operator keys, the shipment records); ` +
      "the cached images, the SSH keys, the VMs' network (network.json), your keystore and the host's own devnet are kept. " +
      "To keep the old chain instead, run it with the TrustNet version that made it (install.sh --version <that version>)",
  );
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

/**
 * Which validator keys of the host copy have been shipped to a VM: `<devnet home>/shipped/node<i>.json`, written
 * when that VM's seed is built. A validator's signing state (priv_validator_state.json) lives on its VM's disk and
 * never comes back to the host copy, so shipping the key again (the VM destroyed and re-created) hands a new VM the
 * key with its signing state at height 0: if the old instance still runs, or the chain halted at a height it signed,
 * the key can sign that height twice (slashed and tombstoned). `vm up` refuses that unless told otherwise.
 */
export interface Shipment {
  readonly vm: string;
  readonly at: string;
}

export function shipmentFile(devnetHome: string, nodeIndex: number): string {
  return join(devnetHome, "shipped", `node${nodeIndex}.json`);
}

export async function readShipments(devnetHome: string, nodeIndex: number): Promise<readonly Shipment[]> {
  const file = shipmentFile(devnetHome, nodeIndex);
  const text = await readFile(file, "utf8").catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return undefined;
    throw new ProvisionError(`cannot read ${file}: ${e.message}`);
  });
  if (text === undefined) return [];
  const parsed = (() => {
    try {
      return JSON.parse(text) as { shipments?: unknown };
    } catch {
      return undefined;
    }
  })();
  const list = parsed?.shipments;
  if (!Array.isArray(list)) {
    // Unreadable is not "never shipped": treat it as shipped (the safe side) and say where it is.
    return [{ vm: `unknown (unreadable ${file})`, at: "unknown" }];
  }
  return list.map((s: { vm?: unknown; at?: unknown }) => ({ vm: String(s.vm), at: String(s.at) }));
}

/**
 * Refuses to ship validator keys that already went to a VM, unless `reuse` (--reuse-validator-key). Run before
 * anything is created: a refusal changes nothing.
 */
export async function checkValidatorKeysUnshipped(devnetHome: string, wanted: readonly { readonly vm: string; readonly nodeIndex: number }[], reuse: boolean): Promise<void> {
  if (reuse) return;
  for (const w of wanted) {
    const prior = await readShipments(devnetHome, w.nodeIndex);
    const last = prior.at(-1);
    if (last === undefined) continue;
    const state = join(devnetHome, "devnet", `node${w.nodeIndex}`, "cometbft", "data", "priv_validator_state.json");
    throw new InvalidConfigError(
      `validator ${w.nodeIndex}'s key (for ${w.vm}) was already shipped to ${last.vm} at ${last.at} (${shipmentFile(devnetHome, w.nodeIndex)}); ` +
        "the host copy holds its signing state at height 0, so a re-created VM could sign a height the old one already signed " +
        "(double sign: slashed and tombstoned) if the old instance still runs or the chain halted at a height it signed",
      `stop the old instance for good, then either copy its disk's /var/lib/trustnet/devnet/node${w.nodeIndex}/cometbft/data/priv_validator_state.json ` +
        `to ${state} (trustnet vm import-validator-state ${w.vm} FILE does it with checks) and run vm up --reuse-validator-key, ` +
        "or start a fresh chain (destroy the node VMs and remove " + devnetHome + ")",
    );
  }
}

/** Records that validator `nodeIndex`'s key went to `vm` (appended; the history stays). */
export async function recordShipment(devnetHome: string, nodeIndex: number, vm: string, now: Date): Promise<void> {
  const file = shipmentFile(devnetHome, nodeIndex);
  const prior = await readShipments(devnetHome, nodeIndex);
  await mkdir(join(devnetHome, "shipped"), { recursive: true });
  const text = `${JSON.stringify({ nodeIndex, shipments: [...prior, { vm, at: now.toISOString() }] }, null, 2)}\n`;
  await writeFileAtomic(file, text, "replace");
}

interface SignState {
  readonly height: string;
  readonly round: number;
  readonly step: number;
}

function parseSignState(text: string, what: string): SignState {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new InvalidConfigError(`${what} is not JSON (a CometBFT priv_validator_state.json has height, round and step)`);
  }
  const o = (typeof v === "object" && v !== null ? v : {}) as Record<string, unknown>;
  const height = typeof o.height === "string" && /^\d+$/.test(o.height) ? o.height : undefined;
  const round = Number.isSafeInteger(o.round) && (o.round as number) >= 0 ? (o.round as number) : undefined;
  const step = Number.isSafeInteger(o.step) && (o.step as number) >= 0 && (o.step as number) <= 3 ? (o.step as number) : undefined;
  if (height === undefined || round === undefined || step === undefined) {
    throw new InvalidConfigError(`${what} is not a CometBFT priv_validator_state.json (want {"height":"<decimal>","round":<n>,"step":0-3})`);
  }
  return { height, round, step };
}

/**
 * `vm import-validator-state`: puts the signing state recovered from a validator VM's disk into the host copy
 * (`devnet/node<i>/cometbft/data/priv_validator_state.json`), so that the key shipped again resumes where the old
 * instance stopped. Refuses a file that is not a signing state or is behind the host copy's; changes nothing then.
 */
/**
 * The most `vm import-validator-state` reads of its FILE. A CometBFT priv_validator_state.json holds a height, round,
 * step and at most one signature and its sign bytes (a vote or proposal, under 1 KiB): 64 KiB is far above what one
 * needs, and `/dev/zero` or a disk image passed by mistake is refused instead of read into memory whole.
 */
export const MAX_SIGN_STATE_BYTES = 64 * 1024;

/**
 * FILE's text: a regular file of at most MAX_SIGN_STATE_BYTES, else an InvalidConfigError. Opened non-blocking, so a
 * FIFO without a writer is refused rather than waited on; the size is checked on what is read too (a file that grows).
 */
async function readSignStateFile(file: string): Promise<string> {
  const h = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((e: NodeJS.ErrnoException) => {
    throw new InvalidConfigError(`cannot read ${file}: ${e.message}`);
  });
  try {
    const s = await h.stat();
    const tooBig = (): InvalidConfigError => new InvalidConfigError(`${file} is larger than ${MAX_SIGN_STATE_BYTES} bytes: not a CometBFT priv_validator_state.json (a few hundred bytes)`);
    if (!s.isFile()) throw new InvalidConfigError(`${file} is not a regular file: pass the priv_validator_state.json copied from the validator's disk`);
    if (s.size > MAX_SIGN_STATE_BYTES) throw tooBig();
    const buf = Buffer.alloc(MAX_SIGN_STATE_BYTES + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await h.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n > MAX_SIGN_STATE_BYTES) throw tooBig();
    }
    return buf.subarray(0, n).toString("utf8");
  } catch (e) {
    if (e instanceof InvalidConfigError) throw e;
    throw new InvalidConfigError(`cannot read ${file}: ${(e as Error).message}`);
  } finally {
    await h.close();
  }
}

export async function importValidatorState(devnetHome: string, nodeIndex: number, file: string): Promise<{ readonly height: string; readonly target: string }> {
  const target = join(devnetHome, "devnet", `node${nodeIndex}`, "cometbft", "data", "priv_validator_state.json");
  const current = await readFile(target, "utf8").catch(() => undefined);
  if (current === undefined) throw new InvalidConfigError(`the VMs' chain in ${devnetHome} has no validator ${nodeIndex} (${target} is missing)`);
  const text = await readSignStateFile(file);
  const incoming = parseSignState(text, file);
  const have = parseSignState(current, target);
  const key = (s: SignState): [bigint, number, number] => [BigInt(s.height), s.round, s.step];
  const [ih, ir, is] = key(incoming);
  const [hh, hr, hs] = key(have);
  if (ih < hh || (ih === hh && (ir < hr || (ir === hr && is < hs)))) {
    throw new InvalidConfigError(
      `${file} is at height ${incoming.height} (round ${incoming.round}, step ${incoming.step}), behind the host copy's ${have.height}/${have.round}/${have.step} in ${target}`,
      "import the newest priv_validator_state.json of the validator's last instance",
    );
  }
  await writeFileAtomic(target, text, "replace");
  return { height: incoming.height, target };
}
