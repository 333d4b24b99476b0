// Leases and providers as the CLI prints them: JSON with snake_case names (`lease_id` …), amounts in utrust as
// strings; text as aligned lines with TRUST amounts.
import type { leasingTypes as L } from "@trustnet/abci-app";
import { formatTrust } from "../coins.ts";

const STATE: Readonly<Record<string, string>> = { "1": "pending", "2": "ready", "3": "closed" };
export const stateName = (s: bigint): string => STATE[String(s)] ?? `unknown(${s})`;

export function leaseJson(l: L.Lease) {
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

export function leaseText(l: L.Lease): string {
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

export function providerJson(p: L.Provider) {
  return {
    owner: p.owner, endpoint: p.endpoint, region: p.region, images: p.images, attributes: p.attributes, bond: p.bond,
    capacity: { cpu_millis: p.cpuMillis.toString(), memory_mib: p.memoryMib.toString(), disk_gib: p.diskGib.toString(), bandwidth_mbps: p.bandwidthMbps.toString() },
    used: { cpu_millis: p.usedCpuMillis.toString(), memory_mib: p.usedMemoryMib.toString(), disk_gib: p.usedDiskGib.toString(), bandwidth_mbps: p.usedBandwidthMbps.toString() },
    free: {
      cpu_millis: (p.cpuMillis - p.usedCpuMillis).toString(), memory_mib: (p.memoryMib - p.usedMemoryMib).toString(),
      disk_gib: (p.diskGib - p.usedDiskGib).toString(), bandwidth_mbps: (p.bandwidthMbps - p.usedBandwidthMbps).toString(),
    },
    prices_per_block: { cpu: p.priceCpu.toString(), memory: p.priceMemory.toString(), disk: p.priceDisk.toString(), bandwidth: p.priceBandwidth.toString() },
    open_leases: p.openLeases.toString(), registered_height: p.registeredHeight.toString(), paid_total: p.paidTotal, rewards_paid: p.rewardsPaid,
  };
}

export function providerText(p: L.Provider): string {
  return [
    `provider ${p.owner} (${p.region}, ${p.endpoint})`,
    `  images     ${p.images.join(", ")}${p.attributes.length ? `   attributes ${p.attributes.join(" ")}` : ""}`,
    `  vCPU       ${vcpus(p.usedCpuMillis)} of ${vcpus(p.cpuMillis)} used`, `  memory     ${p.usedMemoryMib} of ${p.memoryMib} MiB used`,
    `  disk       ${p.usedDiskGib} of ${p.diskGib} GiB used`, `  bandwidth  ${p.usedBandwidthMbps} of ${p.bandwidthMbps} Mbit/s used`,
    `  prices     ${p.priceCpu}/vCPU ${p.priceMemory}/GiB ${p.priceDisk}/GiB disk ${p.priceBandwidth}/Mbit/s (utrust per block)`,
    `  bond       ${ut(p.bond)}   open leases ${p.openLeases}   paid so far ${ut(p.paidTotal)} + rewards ${ut(p.rewardsPaid)}`,
  ].join("\n");
}
