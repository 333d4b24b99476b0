/**
 * The VMs' IPv6 ULA network (RFC 4193): a random /48 generated once per install and persisted in
 * $TRUSTNET_HOME/network.json; subnet 1 is the VM segment (/64): node ::1, registry ::2, validators ::3...
 */
import { createHash } from "node:crypto";
import { InvalidConfigError } from "../errors.ts";

export interface UlaNetwork {
  /** e.g. "fd5e:3a1b:9c04::/48" */
  readonly prefix: string;
  /** e.g. "fd5e:3a1b:9c04:1::/64" */
  readonly segment: string;
  readonly createdAt: string;
}

/** The seed's hand-picked fd10:1234::/32 is not a compliant ULA (not random, not a /48): never hand it out. */
const FORBIDDEN = /^fd10:1234:/;
export const VM_SUBNET_ID = 1;

function group(hi: number, lo: number): string {
  return ((hi << 8) | lo).toString(16);
}

/** Builds the /48 from a 40-bit random Global ID (5 bytes). */
export function prefixFromGlobalId(globalId: Uint8Array): string {
  if (globalId.length !== 5) throw new InvalidConfigError(`a ULA Global ID is 40 bits (5 bytes), got ${globalId.length} bytes`);
  const [a, b, c, d, e] = globalId as unknown as [number, number, number, number, number];
  return `${group(0xfd, a)}:${group(b, c)}:${group(d, e)}::/48`;
}

/** Draws Global IDs until one is not in the forbidden fd10:1234 range (a 2^-16 event). */
export function generateUlaPrefix(randomBytes: (n: number) => Uint8Array): string {
  for (;;) {
    const p = prefixFromGlobalId(randomBytes(5));
    if (!FORBIDDEN.test(p)) return p;
  }
}

const PREFIX_RE = /^fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::\/48$/;

/** Validates a /48 ULA prefix as stored in network.json. */
export function validatePrefix(prefix: string): void {
  if (!PREFIX_RE.test(prefix)) throw new InvalidConfigError(`not an RFC 4193 /48 ULA prefix: ${JSON.stringify(prefix)} (want fdXX:XXXX:XXXX::/48)`);
  if (FORBIDDEN.test(prefix)) throw new InvalidConfigError(`${prefix} is inside fd10:1234::/32, a hand-picked non-random prefix; delete network.json to generate a random one`);
}

export function segmentOf(prefix: string, subnetId = VM_SUBNET_ID): string {
  validatePrefix(prefix);
  return `${prefix.slice(0, -"::/48".length)}:${subnetId.toString(16)}::/64`;
}

/** Host part of a VM on the segment: node 1, registry 2, validator n (n >= 2; validator 1 is the node) n + 1. */
export type VmRole = { readonly role: "node" } | { readonly role: "registry" } | { readonly role: "validator"; readonly index: number };

export function hostIdOf(vm: VmRole): number {
  if (vm.role === "node") return 1;
  if (vm.role === "registry") return 2;
  if (!Number.isInteger(vm.index) || vm.index < 2 || vm.index > 0xfff0) throw new InvalidConfigError(`validator index must be an integer >= 2, got ${vm.index}`);
  return vm.index + 1;
}

/** The VM's address on the segment, without the length: "fd5e:3a1b:9c04:1::1". */
export function addressOf(segment: string, vm: VmRole): string {
  return `${segment.slice(0, -"::/64".length)}::${hostIdOf(vm).toString(16)}`;
}

/** A fixed per-VM MAC (52:54 = locally administered, unicast) derived from the install's prefix, the VM and the NIC. */
export function macFor(prefix: string, vmName: string, nic: number): string {
  const h = createHash("sha256").update(`${prefix}|${vmName}|${nic}`).digest();
  return ["52", "54", ...[...h.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0"))].join(":");
}

export function newNetwork(randomBytes: (n: number) => Uint8Array, now: Date): UlaNetwork {
  const prefix = generateUlaPrefix(randomBytes);
  return { prefix, segment: segmentOf(prefix), createdAt: now.toISOString() };
}

/** Parses and validates network.json; the segment is always recomputed from the prefix. */
export function parseNetwork(text: string, file: string): UlaNetwork {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InvalidConfigError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  const r = raw as Partial<UlaNetwork> | null;
  if (r === null || typeof r.prefix !== "string") throw new InvalidConfigError(`${file}: missing "prefix"`);
  validatePrefix(r.prefix);
  return { prefix: r.prefix, segment: segmentOf(r.prefix), createdAt: typeof r.createdAt === "string" ? r.createdAt : "" };
}

export interface NetworkStoreDeps {
  readonly readFile: (path: string) => Promise<string | undefined>;
  /** Writes atomically (temp file + rename), mode 0600. */
  readonly writeFile: (path: string, text: string) => Promise<void>;
  readonly randomBytes: (n: number) => Uint8Array;
  readonly now: () => Date;
}

/** Loads $home/network.json, creating it once with a fresh random /48. */
export async function loadOrCreateNetwork(home: string, deps: NetworkStoreDeps): Promise<UlaNetwork> {
  const file = `${home}/network.json`;
  const text = await deps.readFile(file);
  if (text !== undefined) return parseNetwork(text, file);
  const net = newNetwork(deps.randomBytes, deps.now());
  await deps.writeFile(file, JSON.stringify(net, null, 2) + "\n");
  return net;
}
