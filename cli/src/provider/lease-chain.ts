/**
 * What the provider daemon needs of the chain (implemented over CometBFT RPC in cosmos-lease-chain.ts, faked in
 * the daemon's unit tests): the open leases that name this provider, and the three messages a provider sends.
 */
import type { LeaseImage, LeaseResources } from "@trustnet/provisioner";

export interface ChainLease {
  /** Decimal uint64. */
  readonly id: string;
  readonly tenant: string;
  readonly image: LeaseImage | string;
  readonly resources: LeaseResources;
  readonly sshPubkeys: readonly string[];
  readonly state: "pending" | "ready";
  /** Set once ready (MsgLeaseReady went through). */
  readonly hostKeyFingerprint: string;
}

export interface ReadyAnnouncement {
  readonly sshHost: string;
  readonly sshPort: number;
  readonly hostKeyFingerprint: string;
  readonly hostPublicKey: string;
}

export interface LeaseChain {
  /** This provider's address (trust1…). */
  readonly provider: string;
  /**
   * Whether the node is still catching up (CometBFT's `sync_info.catching_up`): its state is an old height's, so a
   * lease missing from its open leases may well be open on the chain. The daemon acts on nothing until it is done.
   */
  catchingUp(): Promise<boolean>;
  /** Open (pending or ready) leases naming this provider, by id, as of the latest block. */
  openLeases(): Promise<readonly ChainLease[]>;
  leaseReady(leaseId: string, ready: ReadyAnnouncement): Promise<void>;
  /** One transaction withdrawing what the given leases have accrued. */
  withdraw(leaseIds: readonly string[]): Promise<void>;
  /** Closes a lease the provider cannot host (a refund for the tenant). */
  closeLease(leaseId: string): Promise<void>;
}

/** Delivers every block height in order, each exactly once, including those missed while disconnected. */
export interface BlockSource {
  follow(onHeight: (height: number, tip: number) => Promise<void>, signal: AbortSignal): Promise<void>;
}
