/** `trustnet vm up` / `vm create`: image, network, keys, disks, seeds, then start and wait (the imperative shell). */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, chmod, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@trustnet/installer";
import { writeSeedIso } from "../cloud-init/iso.ts";
import { buildSeed } from "../cloud-init/seed.ts";
import { HEALTH_COMMANDS } from "../cloud-init/services.ts";
import { createOverlay } from "../disks.ts";
import { InvalidConfigError } from "../errors.ts";
import type { Shell } from "../shell.ts";
import { findImage } from "../images/catalog.ts";
import { ensureImage, type EnsureImageDeps } from "../images/ensure-image.ts";
import { FILES, lockFile, vmDir } from "../lifecycle/layout.ts";
import { withLock } from "../lifecycle/lock.ts";
import { checkPortPlan, ensurePortsFree, type PortUse } from "../lifecycle/ports.ts";
import type { VmRecord } from "../lifecycle/record.ts";
import { waitReady } from "../lifecycle/ready.ts";
import { CLIENT_KEY_HINT, clientKeyProblem } from "../lifecycle/ssh-exec.ts";
import { runState } from "../lifecycle/state.ts";
import type { Spinner } from "../lifecycle/spinner.ts";
import { createVm, listVms, readRecord, startVm, type LifecycleDeps } from "../lifecycle/vm.ts";
import { loadOrCreateNetwork, type UlaNetwork } from "../network/ula.ts";
import { DEFAULT_CONFIG, parseValidatorCount, parseVmConfig, type VmConfig } from "../profiles.ts";
import type { GuestArch } from "../qemu/types.ts";
import type { GuestPayloads, ResolvePayloads } from "../payloads/guest-payloads.ts";
import { buildGuestHome, checkValidatorKeysUnshipped, checkVmChainFormat, HOME_TARBALL, recordShipment, vmDevnetHome, type GenerateVmDevnet } from "../payloads/vm-devnet.ts";
import { generateEd25519, openSshPublicLine } from "../ssh/keys.ts";
import { privateKeyProblem, resolveClientKey } from "./keys-setup.ts";
import { allVmNames, planVm, roleOf, type PlannedVm } from "./vm-plan.ts";

export interface UpDeps {
  readonly lifecycle: LifecycleDeps;
  readonly images: EnsureImageDeps;
  readonly $: Shell;
  readonly spinner: (label: string) => Spinner;
  readonly log: (line: string) => void;
  /** Gets the app, Node runtime and guest CometBFT shipped on the seeds (realPayloads in the CLI). */
  readonly payloads: ResolvePayloads;
  /** Generates (once) the chain the node VMs share (realVmDevnet in the CLI). */
  readonly devnet: GenerateVmDevnet;
  /**
   * The state format this install's app runs (STATE_FORMAT_VERSION of @trustnet/abci-app, handed in by the CLI: the
   * provisioner does not import the app). A host copy of the VMs' chain of another format is refused.
   */
  readonly stateFormat: number;
}

export interface UpOptions {
  readonly home: string;
  readonly configFile: string | undefined;
  readonly validators: unknown;
  readonly sshPort: number | undefined;
  readonly mirror: string | undefined;
  readonly sshKey: string | undefined;
  readonly arch: GuestArch;
  readonly wait: boolean;
  readonly timeoutSeconds: number | undefined;
  /** Only these VMs (vm create/up <name>); all of the install otherwise. */
  readonly only: readonly string[] | undefined;
  readonly start: boolean;
  /** The app tarball (npm pack / bundle) to ship on the seed, unpacked to /opt/trustnet/app. */
  readonly appTarball?: string | undefined;
  /** The node-linux-<arch> npm tarball for glibc guests (Ubuntu); Alpine installs its nodejs package. */
  readonly nodeTarball?: string | undefined;
  /** CometBFT built for the guest's architecture (default: the release for linux/<arch>, cached). */
  readonly cometbftBinary?: string | undefined;
  /** --insecure-skip-signature: accept Ubuntu's SHA256SUMS without a signature check (prints why that is dangerous). */
  readonly insecureSkipSignature?: boolean;
  /**
   * --reuse-validator-key: ship a validator key that already went to a VM (the VM re-created). Without it that is
   * refused: the host copy's signing state is at height 0, a double-sign risk (payloads/vm-devnet.ts, shipments).
   */
  readonly reuseValidatorKey?: boolean;
}

async function checkReadable(path: string | undefined, flag: string): Promise<void> {
  if (path === undefined) return;
  await access(path, constants.R_OK).catch(() => {
    throw new InvalidConfigError(`cannot read ${path} (${flag})`);
  });
}

export async function loadConfig(file: string | undefined): Promise<VmConfig> {
  if (file === undefined) return DEFAULT_CONFIG;
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) throw new InvalidConfigError(`cannot read ${file}`);
  return parseVmConfig(text, file);
}

async function network(home: string): Promise<UlaNetwork> {
  return loadOrCreateNetwork(home, {
    readFile: (p) => readFile(p, "utf8").catch(() => undefined),
    writeFile: (p, t) => writeFileAtomic(p, t, "replace"),
    randomBytes,
    now: () => new Date(),
  });
}

function recordFor(vm: PlannedVm, imageId: string, arch: GuestArch, clientKeyPath: string | undefined, hostKeyLine: string, extraArgs: readonly string[]): VmRecord {
  return {
    version: 1, name: vm.name, kind: vm.profile.kind, arch, cpus: vm.profile.cpus, memoryMiB: vm.profile.memoryMiB,
    boot: { kind: "uefi" }, disk: { format: "qcow2" }, cidata: true,
    sshPort: vm.profile.sshPort, forwards: vm.profile.forwards, user: vm.profile.user,
    clientKey: clientKeyPath ?? "", userNicMac: vm.userNicMac,
    ula: { address: vm.ulaAddress, mac: vm.ulaMac, transport: vm.transport },
    hostKey: hostKeyLine, readiness: { cloudInit: true, health: HEALTH_COMMANDS[vm.profile.kind] }, image: imageId, extraArgs,
  };
}

/**
 * `vm create validator-3` is planned against the install's VMs (`--validators`): outside them it got no validator
 * key of the chain and a segment socket wired to the node VM's peer. Refused before anything is written.
 */
function checkMembers(only: readonly string[], members: readonly string[], validators: number): void {
  for (const name of only) {
    const role = roleOf(name);
    if (!members.includes(name)) {
      throw new InvalidConfigError(
        `${name} is not one of the VMs of --validators ${validators} (${members.join(", ")})`,
        `pass --validators ${role.role === "validator" ? role.index : validators} (the number of node VMs the chain has)`,
      );
    }
  }
}

/** Creates (and by default starts and waits for) the install's VMs. Holds the vm lock throughout. */
export async function vmUp(opts: UpOptions, deps: UpDeps): Promise<readonly string[]> {
  const validators = parseValidatorCount(opts.validators ?? 1);
  const cfg = await loadConfig(opts.configFile);
  checkMembers(opts.only ?? [], allVmNames(validators), validators);
  // The lock covers creating and starting; waiting for readiness happens outside it, so `vm stop` stays usable.
  const names = await withLock(lockFile(opts.home), async () => {
    const members = allVmNames(validators);
    const names = opts.only ?? members;
    const existing = new Set(await listVms(opts.home));
    const net = await network(opts.home);
    const planned = names.map((n) => planVm(opts.home, net, cfg, members, n, n === names[0] ? opts.sshPort : undefined));
    const toCreate = planned.filter((p) => !existing.has(p.name));
    // One chain for all node VMs (validator 0 = the node VM, then validator-2…), generated once per install.
    const allPlanned = members.map((n) => planned.find((p) => p.name === n) ?? planVm(opts.home, net, cfg, members, n, undefined));
    const validatorVms = allPlanned.filter((p) => p.role.role !== "registry");
    const nodeIndexOf = (name: string): number | undefined => {
      const i = validatorVms.findIndex((p) => p.name === name);
      return i < 0 ? undefined : i;
    };
    // Before anything is created or downloaded: every VM its own host ports (the existing ones keep theirs).
    if (toCreate.length > 0) {
      const records = await Promise.all([...existing].map((n) => readRecord(opts.home, n).catch(() => undefined)));
      const taken = records.flatMap((r): PortUse[] => (r === undefined ? [] : [{ vm: r.name, sshPort: r.sshPort, forwards: r.forwards }]));
      checkPortPlan(toCreate.map((p) => ({ vm: p.name, sshPort: p.profile.sshPort, forwards: p.profile.forwards })), taken);
    }
    // Before anything is created or downloaded: VMs created now run this install's app, which refuses a chain of
    // another state format (inside the guest, where nobody sees it); the existing VMs keep the app they were made with.
    if (toCreate.length > 0) await checkVmChainFormat(vmDevnetHome(opts.home), deps.stateFormat, [...existing].sort());
    // Before anything is created or downloaded: a validator key already shipped to a VM is not shipped again.
    await checkValidatorKeysUnshipped(
      vmDevnetHome(opts.home),
      toCreate.flatMap((p) => {
        const nodeIndex = nodeIndexOf(p.name);
        return nodeIndex === undefined ? [] : [{ vm: p.name, nodeIndex }];
      }),
      opts.reuseValidatorKey === true,
    );
    if (toCreate.length > 0) {
      await ensurePortsFree(toCreate.map((p) => ({ port: p.profile.sshPort, flag: "--ssh-port" })));
      await checkReadable(opts.appTarball, "--app-tarball");
      await checkReadable(opts.nodeTarball, "--node-tarball");
      await checkReadable(opts.cometbftBinary, "--cometbft-binary");
      const client = await resolveClientKey(opts.home, opts.sshKey, undefined, deps.log);
      // Waiting for the VMs logs in with the private half: refuse one that cannot be used before anything is made.
      if (opts.start && opts.wait) {
        const problem = client.privateKeyPath === undefined ? `no private key beside ${opts.sshKey ?? "the key"} (want a .pub file)` : await privateKeyProblem(client.privateKeyPath);
        if (problem !== undefined) throw new InvalidConfigError(`cannot log in to the VMs to wait for them: ${problem}`, `${CLIENT_KEY_HINT}; or --no-wait`);
      }
      // Fail on a missing QEMU or firmware before downloading hundreds of MiB.
      await deps.lifecycle.probe({ guestArch: opts.arch, needFirmware: true, qemuBinary: deps.lifecycle.qemuBinary(opts.arch) });
      const image = findImage(cfg.image, opts.arch);
      const cached = await ensureImage(image, opts.home, opts.mirror, deps.images, { insecureSkipSignature: opts.insecureSkipSignature === true });
      deps.log(`${cached.reused ? "using cached" : "downloaded"} ${cached.path} (${cached.algorithm} ${cached.digest.slice(0, 16)}...)`);
      const payloads: GuestPayloads = await deps.payloads({
        home: opts.home, os: image.os, arch: opts.arch, workDir: join(opts.home, "cache", "payloads"),
        appTarball: opts.appTarball, nodeTarball: opts.nodeTarball, cometbftBinary: opts.cometbftBinary,
      });
      const registryUla = allPlanned.find((p) => p.role.role === "registry")?.ulaAddress;
      const devnetHome = await deps.devnet({
        home: opts.home, p2pHosts: validatorVms.map((p) => p.ulaAddress),
        registryEndpoint: registryUla === undefined ? "http://127.0.0.1:8000" : `http://[${registryUla}]:8000`,
      });
      const nodeUla = validatorVms[0]?.ulaAddress ?? "";
      for (const vm of toCreate) {
        const hostKey = generateEd25519();
        const rec = recordFor(vm, image.id, opts.arch, client.privateKeyPath, openSshPublicLine(hostKey, ""), []);
        await createVm(opts.home, rec, async (tmp) => {
          await createOverlay(deps.$, cached.path, join(tmp, FILES.disk), vm.profile.diskGiB);
          const payload = vm.profile.kind === "registry" ? payloads.registry : payloads.node;
          const nodeIndex = nodeIndexOf(vm.name);
          const homeTgz = join(tmp, HOME_TARBALL);
          await buildGuestHome(deps.$, devnetHome, nodeIndex, homeTgz);
          const seed = buildSeed({
            vmName: vm.name, kind: vm.profile.kind, os: image.os, user: vm.profile.user, authorizedKeys: client.publicLines, hostKey,
            userNicMac: vm.userNicMac, ulaMac: vm.ulaMac, ulaAddress: vm.ulaAddress, nodeUlaAddress: nodeUla,
            payloads: { ...payload.flags, home: true }, ...(nodeIndex !== undefined ? { nodeIndex } : {}),
          });
          await writeSeedIso(deps.$, seed, join(tmp, FILES.cidata), [...payload.files, { name: HOME_TARBALL, path: homeTgz }]);
          await rm(homeTgz, { force: true });
          // The seed now carries this validator's key: recorded, so that re-creating the VM cannot ship it silently.
          if (nodeIndex !== undefined) await recordShipment(devnetHome, nodeIndex, vm.name, new Date());
          await chmod(join(tmp, FILES.cidata), 0o600);
        }, deps.lifecycle);
        deps.log(`created ${vm.name} (${vmDir(opts.home, vm.name)})`);
      }
    }
    if (!opts.start) return names;
    await Promise.all(names.map(async (n) => {
      if ((await runState(vmDir(opts.home, n))).state === "running") {
        deps.log(`${n} is already running`);
        return;
      }
      await startVm(opts.home, n, deps.lifecycle);
      deps.log(`started ${n}`);
    }));
    return names;
  });
  if (opts.start && opts.wait) await Promise.all(names.map((n) => waitVm(opts.home, n, (opts.timeoutSeconds ?? cfg.readyTimeoutSeconds) * 1000, deps)));
  return names;
}

/** Waits for a started VM: SSH with the pinned key, cloud-init, health; spinner on stderr. */
export async function waitVm(home: string, name: string, timeoutMs: number, deps: { readonly spinner: (label: string) => Spinner }): Promise<void> {
  const r = await readRecord(home, name);
  if (r.clientKey === "") throw new InvalidConfigError(`VM ${name} has no private key on record to log in with`, "use --ssh-key with a key whose private half sits beside the .pub");
  const privateKey = await readFile(r.clientKey, "utf8").catch(() => {
    throw new InvalidConfigError(`cannot read the private key ${r.clientKey} for VM ${name}`);
  });
  const problem = clientKeyProblem(privateKey);
  if (problem !== undefined) throw new InvalidConfigError(`cannot log in to VM ${name} with ${r.clientKey}: ${problem}`, CLIENT_KEY_HINT);
  await waitReady(name, { port: r.sshPort, user: r.user, privateKey, hostKey: r.hostKey }, r.readiness, join(vmDir(home, name), FILES.serialLog), timeoutMs, deps.spinner(name));
}
