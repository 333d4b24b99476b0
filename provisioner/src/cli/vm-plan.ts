/** Pure planning for `vm up` / `vm create`: which VMs, their names, ports, addresses, MACs and segment transport. */
import { createHash } from "node:crypto";
import { join } from "node:path";
import { InvalidConfigError } from "../errors.ts";
import { netDir } from "../lifecycle/layout.ts";
import { addressOf, macFor, type UlaNetwork, type VmRole } from "../network/ula.ts";
import { validatorProfile, type VmConfig, type VmProfile } from "../profiles.ts";
import type { UlaTransport } from "../qemu/types.ts";

export interface PlannedVm {
  readonly name: string;
  readonly role: VmRole;
  readonly profile: VmProfile;
  readonly ulaAddress: string;
  readonly ulaMac: string;
  readonly userNicMac: string;
  readonly transport: UlaTransport;
}

export const NODE_VM = "trustnet-node";
export const REGISTRY_VM = "trustnet-registry";

/** Accepts "node", "registry", "validator-3" as short names. */
export function canonicalName(name: string): string {
  if (name === "node") return NODE_VM;
  if (name === "registry") return REGISTRY_VM;
  const v = /^validator-(\d+)$/.exec(name);
  return v ? `trustnet-validator-${v[1]}` : name;
}

/**
 * The role a VM name stands for. Validator VMs are named `trustnet-validator-N` (allVmNames), N from 2 in plain
 * decimal: `validator-02` named no VM, yet `vm import-validator-state validator-02` imported into validator 2's state
 * and printed `trustnet-validator-02`. A leading zero is refused, naming the VM meant.
 */
export function roleOf(name: string): VmRole {
  if (name === NODE_VM) return { role: "node" };
  if (name === REGISTRY_VM) return { role: "registry" };
  const m = /^trustnet-validator-([1-9]\d{0,5})$/.exec(name);
  if (m?.[1] !== undefined && Number(m[1]) >= 2) return { role: "validator", index: Number(m[1]) };
  const padded = /^trustnet-validator-0+([1-9]\d{0,5})$/.exec(name)?.[1];
  const meant = padded !== undefined && Number(padded) >= 2 ? ` (did you mean validator-${padded}?)` : "";
  throw new InvalidConfigError(`unknown VM ${JSON.stringify(name)}${meant}: use node, registry or validator-N (N >= 2, no leading zeros)`);
}

/** The VMs of a TrustNet install: node + registry + validators 2..N. */
export function allVmNames(validators: number): readonly string[] {
  return [NODE_VM, REGISTRY_VM, ...Array.from({ length: Math.max(0, validators - 1) }, (_, i) => `trustnet-validator-${i + 2}`)];
}

/** Two VMs: a unix datagram socket pair. More: a loopback multicast group derived from the install's prefix. */
export function segmentTransport(home: string, net: UlaNetwork, names: readonly string[], name: string): UlaTransport {
  if (names.length === 2) {
    const peer = names.find((n) => n !== name) ?? name;
    return { kind: "unix-pair", localSocket: join(netDir(home), `${name}.sock`), remoteSocket: join(netDir(home), `${peer}.sock`) };
  }
  const h = createHash("sha256").update(net.prefix).digest();
  return { kind: "mcast", group: `239.${h[0] ?? 0}.${h[1] ?? 0}.${(h[2] ?? 0) | 1}`, port: 40000 + ((h.readUInt16BE(3) % 20000)) };
}

export function planVm(home: string, net: UlaNetwork, cfg: VmConfig, members: readonly string[], name: string, sshPort: number | undefined): PlannedVm {
  const role = roleOf(name);
  const base = role.role === "node" ? cfg.node : role.role === "registry" ? cfg.registry : validatorProfile(cfg, role.index);
  const profile = sshPort === undefined ? base : { ...base, sshPort };
  return {
    name, role, profile,
    ulaAddress: addressOf(net.segment, role),
    ulaMac: macFor(net.prefix, name, 1),
    userNicMac: macFor(net.prefix, name, 0),
    transport: segmentTransport(home, net, members, name),
  };
}
