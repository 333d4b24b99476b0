/** VM profiles: the seed's defaults, overridable in config/vm.json. */
import { InvalidConfigError } from "./errors.ts";
import type { PortForward } from "./qemu/types.ts";

export type VmKind = "node" | "registry" | "validator";

export interface VmProfile {
  readonly kind: VmKind;
  readonly cpus: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
  /** Host port forwarded to the guest's 22 (node 2222, registry 2223; validators 2224+). */
  readonly sshPort: number;
  /** The login user cloud-init creates. */
  readonly user: string;
  /** Forwards to the host's loopback: 26657 on the node, 8000 on the registry. */
  readonly forwards: readonly PortForward[];
}

export interface VmConfig {
  readonly image: string;
  readonly node: VmProfile;
  readonly registry: VmProfile;
  readonly validator: VmProfile;
  readonly readyTimeoutSeconds: number;
}

export const DEFAULT_CONFIG: VmConfig = {
  image: "alpine-3.22",
  node: { kind: "node", cpus: 4, memoryMiB: 8192, diskGiB: 50, sshPort: 2222, user: "warden", forwards: [{ hostPort: 26657, guestPort: 26657 }] },
  registry: { kind: "registry", cpus: 2, memoryMiB: 4096, diskGiB: 30, sshPort: 2223, user: "keeper", forwards: [{ hostPort: 8000, guestPort: 8000 }] },
  validator: { kind: "validator", cpus: 2, memoryMiB: 4096, diskGiB: 30, sshPort: 2224, user: "warden", forwards: [] },
  readyTimeoutSeconds: 900,
};

function int(v: unknown, what: string, min: number, max: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new InvalidConfigError(`${what} must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

function merge(base: VmProfile, raw: unknown, where: string): VmProfile {
  if (raw === undefined) return base;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new InvalidConfigError(`${where} must be an object`);
  const r = raw as Record<string, unknown>;
  const known = ["cpus", "memoryMiB", "diskGiB", "sshPort", "forwardRpc", "forwardRegistry"];
  const unknown = Object.keys(r).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new InvalidConfigError(`${where}: unknown setting(s) ${unknown.join(", ")} (known: ${known.join(", ")})`);
  const forwardFlag = base.kind === "registry" ? r.forwardRegistry : r.forwardRpc;
  let forwards = base.forwards;
  if (forwardFlag === false) forwards = [];
  // A number forwards that host port (loopback) instead of the contract port, e.g. when 26657 runs a local devnet.
  else if (typeof forwardFlag === "number") forwards = base.forwards.map((f) => ({ ...f, hostPort: int(forwardFlag, `${where}.${base.kind === "registry" ? "forwardRegistry" : "forwardRpc"}`, 1024, 65535) }));
  else if (forwardFlag !== undefined && forwardFlag !== true) throw new InvalidConfigError(`${where}: forwardRpc/forwardRegistry must be true, false or a host port number`);
  return {
    ...base,
    cpus: r.cpus === undefined ? base.cpus : int(r.cpus, `${where}.cpus`, 1, 64),
    memoryMiB: r.memoryMiB === undefined ? base.memoryMiB : int(r.memoryMiB, `${where}.memoryMiB`, 128, 1 << 20),
    diskGiB: r.diskGiB === undefined ? base.diskGiB : int(r.diskGiB, `${where}.diskGiB`, 1, 65536),
    sshPort: r.sshPort === undefined ? base.sshPort : int(r.sshPort, `${where}.sshPort`, 1024, 65535),
    forwards,
  };
}

/** Parses config/vm.json over the defaults; unknown keys and out-of-range values are refused. */
export function parseVmConfig(text: string, file: string): VmConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InvalidConfigError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new InvalidConfigError(`${file} must hold a JSON object`);
  const r = raw as Record<string, unknown>;
  const known = ["image", "node", "registry", "validator", "readyTimeoutSeconds"];
  const unknown = Object.keys(r).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new InvalidConfigError(`${file}: unknown setting(s) ${unknown.join(", ")}`);
  if (r.image !== undefined && typeof r.image !== "string") throw new InvalidConfigError(`${file}: image must be a string`);
  return {
    image: (r.image as string | undefined) ?? DEFAULT_CONFIG.image,
    node: merge(DEFAULT_CONFIG.node, r.node, `${file}: node`),
    registry: merge(DEFAULT_CONFIG.registry, r.registry, `${file}: registry`),
    validator: merge(DEFAULT_CONFIG.validator, r.validator, `${file}: validator`),
    readyTimeoutSeconds: r.readyTimeoutSeconds === undefined ? DEFAULT_CONFIG.readyTimeoutSeconds : int(r.readyTimeoutSeconds, `${file}: readyTimeoutSeconds`, 10, 86400),
  };
}

/** Validates a `--validators N` value: 1 (the node alone) to 16. */
export function parseValidatorCount(v: unknown): number {
  const n = typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 16) {
    throw new InvalidConfigError(`--validators must be an integer from 1 to 16, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** The profile of validator n (n >= 2; validator 1 is the node VM): its own SSH port after the registry's. */
export function validatorProfile(cfg: VmConfig, n: number): VmProfile {
  return { ...cfg.validator, sshPort: cfg.validator.sshPort + (n - 2) };
}
