// Message builders for the leasing specs, the simulation and the benchmark.
import { bech32Address } from "../../../sdk/address.ts";
import type { MsgCreateLease, MsgRegisterProvider, MsgUpdateProvider } from "../types.ts";
import { ED25519 } from "./ssh-keys.ts";

export const T = "/trustnet.leasing.v1.";
export const Q = "/trustnet.leasing.v1.Query/";
export const addr = (n: number): string => bech32Address(new Uint8Array(20).fill(n));
export const utrust = (amount: bigint | number | string) => [{ denom: "utrust", amount: String(amount) }];

/** A provider with 4 vCPU, 8 GiB, 100 GiB, 100 Mbit/s at 10/5/1/1 utrust per vCPU/GiB/GiB/Mbit per block. */
export function registerMsg(owner: string, o: Partial<MsgRegisterProvider> = {}): MsgRegisterProvider {
  return {
    owner, endpoint: "https://provider.example:8443", region: "eu-west", cpuMillis: 4000n, memoryMib: 8192n, diskGib: 100n, bandwidthMbps: 100n,
    priceCpu: 10n, priceMemory: 5n, priceDisk: 1n, priceBandwidth: 1n, images: ["alpine-3.22", "ubuntu-24.04"], attributes: ["arch=arm64"], bond: utrust(1_000_000), ...o,
  };
}

/** registerMsg's offer as an update, as the wire decodes it: `pause` 0 (keep the paused state) unless `o` names it. */
export function updateMsg(owner: string, o: Partial<MsgUpdateProvider> = {}): MsgUpdateProvider {
  const { bond: _bond, ...offer } = registerMsg(owner);
  return { ...offer, pause: 0n, ...o };
}

/** 2 vCPU, 2 GiB, 20 GiB, no bandwidth: rate 20 + 10 + 20 = 50 utrust per block at registerMsg's prices. */
export function leaseMsg(tenant: string, provider: string, o: Partial<MsgCreateLease> = {}): MsgCreateLease {
  return {
    tenant, provider, cpuMillis: 2000n, memoryMib: 2048n, diskGib: 20n, bandwidthMbps: 0n, image: "alpine-3.22", sshPubkeys: [ED25519],
    maxPricePerBlock: utrust(1000), deposit: utrust(5000), ...o,
  };
}

export const readyMsg = (provider: string, leaseId: bigint) => ({
  provider, leaseId, sshHost: "127.0.0.1", sshPort: 2222n, hostKeyFingerprint: "SHA256:u0LLIQziaYPjKT3lOUIpd5NF4CHRg8H+YjHoyW5ruBk", hostPublicKey: ED25519,
});
