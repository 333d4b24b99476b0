// Leases, providers, escrows and earnings as `trustnet` prints them (the `lease`/`provider` commands, `trustnet
// query leasing …` and the provider daemon): JSON with snake_case names (`lease_id` …), amounts in utrust as
// strings; text as aligned lines with TRUST amounts. This CLI JSON is a product surface the e2e tests parse; the REST
// routes (rest.ts) answer the gateway's proto JSON instead.
import { formatTrust } from "../../../sdk/client/display.ts";
import { protoJson } from "../../../sdk/client/json.ts";
import type { Lease, Params, Provider, QueryEarningsResponse, QueryEscrowResponse } from "../types.ts";
import { LeaseStateName } from "../types.ts";

export const stateName = (s: bigint): string => LeaseStateName[String(s)] ?? `unknown(${s})`;

/** The `--state` filter of lease lists, by name (the Leases queries' state numbers: 0 any, 4 pending or ready). */
export const LEASE_STATE_FILTERS: Readonly<Record<string, bigint>> = { all: 0n, pending: 1n, ready: 2n, closed: 3n, open: 4n };

/**
 * The `status` filter of provider lists (CLI `--status`, REST `status=`, the explorer's /providers?status=), by name:
 * which providers to keep by their `paused` flag. Query/Providers lists paused ones too (it has no such filter);
 * "all" keeps every one, as the query does.
 */
export const PROVIDER_STATUS_FILTERS: Readonly<Record<string, (paused: boolean) => boolean>> = { all: () => true, active: (paused) => !paused, paused: (paused) => paused };

/** The PROVIDER_STATUS_FILTERS entry named `status`, or undefined (an own key only: not `toString`, `__proto__` …). */
export const providerStatusFilter = (status: string): ((paused: boolean) => boolean) | undefined => (Object.hasOwn(PROVIDER_STATUS_FILTERS, status) ? PROVIDER_STATUS_FILTERS[status] : undefined);

export function leaseJson(l: Lease) {
  return {
    lease_id: l.id.toString(), state: stateName(l.state), tenant: l.tenant, provider: l.provider, image: l.image,
    cpu_millis: l.cpuMillis.toString(), memory_mib: l.memoryMib.toString(), disk_gib: l.diskGib.toString(), bandwidth_mbps: l.bandwidthMbps.toString(),
    ssh_pubkeys: l.sshPubkeys, rate_per_block: l.rate, balance: l.balance, deposited: l.deposited, paid: l.paid, refunded: l.refunded,
    created_height: l.createdHeight.toString(), ready_height: l.readyHeight.toString(), settled_height: l.settledHeight.toString(),
    closed_height: l.closedHeight.toString(), close_reason: l.closeReason, due_height: l.dueHeight.toString(),
    ssh_host: l.sshHost, ssh_port: l.sshPort.toString(), host_key_fingerprint: l.hostKeyFingerprint, host_public_key: l.hostPublicKey,
  };
}

const vcpus = (m: bigint): string => `${m / 1000n}${m % 1000n ? `.${(m % 1000n).toString().padStart(3, "0").replace(/0+$/u, "")}` : ""}`;
const ut = (s: string): string => formatTrust(BigInt(s || "0"));

export function leaseText(l: Lease): string {
  const lines = [
    `lease ${l.id}: ${stateName(l.state)}${l.closeReason ? ` (${l.closeReason})` : ""}`,
    `  tenant    ${l.tenant}`, `  provider  ${l.provider}`,
    `  image     ${l.image}   ${vcpus(l.cpuMillis)} vCPU, ${l.memoryMib} MiB, ${l.diskGib} GiB disk, ${l.bandwidthMbps} Mbit/s`,
    `  rate      ${ut(l.rate)} per block`, `  balance   ${ut(l.balance)} (deposited ${ut(l.deposited)}, paid ${ut(l.paid)}, refunded ${ut(l.refunded)})`,
    `  heights   created ${l.createdHeight}${l.readyHeight ? `, ready ${l.readyHeight}` : ""}${l.closedHeight ? `, closed ${l.closedHeight}` : ""}`,
  ];
  if (l.sshHost) lines.push(`  ssh       ${l.sshHost}:${l.sshPort}   host key ${l.hostKeyFingerprint}`);
  return lines.join("\n");
}

/** A list of leases of one tenant or provider: one line each, the other party last. */
export function leaseListText(by: "tenant" | "provider", owner: string, state: string, leases: readonly Lease[]): string {
  if (leases.length === 0) return `no ${state === "all" ? "" : `${state} `}leases for ${owner}`;
  return leases.map((l) => `${String(l.id).padStart(6)}  ${stateName(l.state).padEnd(8)} ${l.image.padEnd(13)} ${ut(l.rate)}/block  balance ${ut(l.balance)}  ${by === "tenant" ? l.provider : l.tenant}`).join("\n");
}

/** What is left of a lease's escrow at the query's height. */
export function escrowJson(e: QueryEscrowResponse) {
  return { balance: e.balance, accrued: e.accrued, blocks_left: e.blocksLeft.toString(), seconds_left: e.secondsLeft.toString(), height: e.height.toString() };
}

export const escrowText = (e: QueryEscrowResponse): string => `${ut(e.balance)} left at block ${e.height}: ${e.blocksLeft} blocks (~${e.secondsLeft}s)`;

export function providerJson(p: Provider) {
  return {
    owner: p.owner, endpoint: p.endpoint, region: p.region, images: p.images, attributes: p.attributes, bond: p.bond, paused: p.paused,
    capacity: { cpu_millis: p.cpuMillis.toString(), memory_mib: p.memoryMib.toString(), disk_gib: p.diskGib.toString(), bandwidth_mbps: p.bandwidthMbps.toString() },
    used: { cpu_millis: p.usedCpuMillis.toString(), memory_mib: p.usedMemoryMib.toString(), disk_gib: p.usedDiskGib.toString(), bandwidth_mbps: p.usedBandwidthMbps.toString() },
    free: {
      cpu_millis: (p.cpuMillis - p.usedCpuMillis).toString(), memory_mib: (p.memoryMib - p.usedMemoryMib).toString(),
      disk_gib: (p.diskGib - p.usedDiskGib).toString(), bandwidth_mbps: (p.bandwidthMbps - p.usedBandwidthMbps).toString(),
    },
    prices_per_block: { cpu: p.priceCpu.toString(), memory: p.priceMemory.toString(), disk: p.priceDisk.toString(), bandwidth: p.priceBandwidth.toString() },
    open_leases: p.openLeases.toString(), registered_height: p.registeredHeight.toString(), paid_total: p.paidTotal, rewards_paid: p.rewardsPaid,
    take_total: p.takeTotal,
  };
}

/**
 * A provider's attributes on one line, separated by spaces: an attribute that holds whitespace, `"` or `\` (a value
 * may: `gpu=nvidia a100`) is shown as a JSON string (`"gpu=nvidia a100"`), so each one reads back unambiguously.
 */
export const attributesText = (attributes: readonly string[]): string =>
  attributes.map((a) => (/[\s"\\]/u.test(a) ? JSON.stringify(a) : a)).join(" ");

export function providerText(p: Provider): string {
  return [
    `provider ${p.owner} (${p.region}, ${p.endpoint})${p.paused ? "   PAUSED: no new leases" : ""}`,
    `  images     ${p.images.join(", ")}${p.attributes.length ? `   attributes ${attributesText(p.attributes)}` : ""}`,
    `  vCPU       ${vcpus(p.usedCpuMillis)} of ${vcpus(p.cpuMillis)} used`, `  memory     ${p.usedMemoryMib} of ${p.memoryMib} MiB used`,
    `  disk       ${p.usedDiskGib} of ${p.diskGib} GiB used`, `  bandwidth  ${p.usedBandwidthMbps} of ${p.bandwidthMbps} Mbit/s used`,
    `  prices     ${p.priceCpu}/vCPU ${p.priceMemory}/GiB ${p.priceDisk}/GiB disk ${p.priceBandwidth}/Mbit/s (utrust per block)`,
    `  bond       ${ut(p.bond)}   open leases ${p.openLeases}   paid so far ${ut(p.paidTotal)} + rewards ${ut(p.rewardsPaid)} (take burned ${ut(p.takeTotal)})`,
  ].join("\n");
}

export function earningsJson(owner: string, e: QueryEarningsResponse) {
  return { provider: owner, accrued: e.accrued, rewards: e.rewards, rewards_held: e.rewardsHeld, paid: e.paid, take: e.take, open_leases: e.openLeases.toString() };
}

export const earningsText = (owner: string, e: QueryEarningsResponse): string =>
  `${owner}: ${ut(e.accrued)} accrued on ${e.openLeases} open lease(s), ${ut(e.rewards)} resource rewards to withdraw (${ut(e.rewardsHeld)} held until more take is burned), ${ut(e.paid)} paid so far after ${ut(e.take)} take`;

export const paramsJson = (p: Params): unknown => protoJson(p);

export const paramsText = (p: Params): string => [
  `min bond            ${ut(p.minBond)}`, `ready timeout       ${p.readyTimeoutBlocks} blocks`, `closes per block    at most ${p.maxClosesPerBlock}`,
  `take                ${p.takeBps} bps of every lease payment, burned`,
  `provider rewards    ${p.rewardShareBps} bps of each block's provision, by the rate of ready leases, at most each provider's take`,
  `block time          ${p.expectedBlockTimeMs} ms expected (for time left)`,
].join("\n");
