/**
 * The daemon's LeaseChain over the node's RPC with cosmjs: one signing client for the daemon's life (the provider's
 * key is unlocked once, from the CLI keyring), abci queries for the provider's open leases, and MsgLeaseReady /
 * MsgWithdrawLease / MsgCloseLease signed with the project's fee plan and waited for in a block.
 */
import { Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes, QueryClient, type SigningStargateClient, type StdFee } from "@cosmjs/stargate";
import { Comet38Client, HttpClient } from "@cosmjs/tendermint-rpc";
import { atOneHeight, fetchLeases, type HeightQuery, leasingMsgTypes, leasingTypes as L } from "@trustnet/abci-app";
import { connectSigningClient, normalizeNodeUrl, explainTxFailure, feeAfterSimulation, signBroadcastAndWait, TxRejectedError, type FeePlan } from "../chain/index.ts";
import { getSigner, type PassphraseSource } from "../keyring/index.ts";
import type { ChainLease, LeaseChain, ReadyAnnouncement } from "./lease-chain.ts";

const P = "/trustnet.leasing.v1.";
const OPEN = 4n;
export const leasingRegistry = (): Registry => new Registry([...defaultRegistryTypes, ...leasingMsgTypes.map((t) => [t.typeUrl, t] as [string, never])]);

export interface CosmosLeaseChainOptions {
  readonly node: string;
  readonly chainId: string | undefined;
  readonly home: string;
  readonly keyName: string;
  readonly provider: string;
  readonly passphrase: PassphraseSource;
  readonly fee: FeePlan;
  readonly log: (event: string, fields: Record<string, unknown>) => void;
}

export function toChainLease(l: L.Lease): ChainLease {
  return {
    id: l.id.toString(), tenant: l.tenant, image: l.image, sshPubkeys: l.sshPubkeys,
    resources: { millicores: Number(l.cpuMillis), memoryMiB: Number(l.memoryMib), diskGiB: Number(l.diskGib), bandwidthMbps: Number(l.bandwidthMbps) },
    state: l.state === L.LeaseState.ready ? "ready" : "pending", hostKeyFingerprint: l.hostKeyFingerprint,
  };
}

/**
 * The provider's open leases, every page read at the height of the first: the daemon acts on one block's leases.
 * Pages read at "the latest" would mix two blocks when one lands in between: a lease closed in it still listed from
 * the first page (a VM started for it), one created in it listed from the next, pending and ready states of two
 * heights; and a list that is not one height's could leave out an open lease, whose running VM sync() destroys.
 */
export async function providerOpenLeases(query: HeightQuery, provider: string, pageLimit = 500n): Promise<ChainLease[]> {
  return (await fetchLeases(atOneHeight(query), "provider", provider, OPEN, pageLimit)).map(toChainLease);
}

export class CosmosLeaseChain implements LeaseChain {
  readonly provider: string;
  private readonly client: SigningStargateClient;
  private readonly comet: Comet38Client;
  private readonly query: QueryClient;
  private readonly opts: CosmosLeaseChainOptions;

  private constructor(client: SigningStargateClient, opts: CosmosLeaseChainOptions) {
    this.client = client;
    this.opts = opts;
    this.provider = opts.provider;
    this.comet = Comet38Client.create(new HttpClient(normalizeNodeUrl(opts.node), 20_000));
    this.query = new QueryClient(this.comet);
  }

  static async connect(opts: CosmosLeaseChainOptions): Promise<CosmosLeaseChain> {
    const client = await connectSigningClient({
      node: opts.node, chainId: opts.chainId, gasPrice: opts.fee.gasPrice, registry: leasingRegistry(), signer: () => getSigner(opts.home, opts.keyName, opts.passphrase),
    });
    return new CosmosLeaseChain(client, opts);
  }

  disconnect(): void {
    this.client.disconnect();
    this.comet.disconnect();
  }

  async catchingUp(): Promise<boolean> {
    return (await this.comet.status()).syncInfo.catchingUp;
  }

  async openLeases(): Promise<readonly ChainLease[]> {
    return providerOpenLeases(async (path, data, at) => {
      const r = await this.query.queryAbci(path, data, at === undefined ? undefined : Number(at));
      return { value: r.value, height: BigInt(r.height) };
    }, this.provider);
  }

  async leaseReady(leaseId: string, r: ReadyAnnouncement): Promise<void> {
    await this.send([{ typeUrl: `${P}MsgLeaseReady`, value: { provider: this.provider, leaseId: BigInt(leaseId), sshHost: r.sshHost, sshPort: BigInt(r.sshPort), hostKeyFingerprint: r.hostKeyFingerprint, hostPublicKey: r.hostPublicKey } }], `ready ${leaseId}`);
  }

  async withdraw(leaseIds: readonly string[]): Promise<void> {
    await this.send(leaseIds.map((id) => ({ typeUrl: `${P}MsgWithdrawLease`, value: { provider: this.provider, leaseId: BigInt(id) } })), `withdraw ${leaseIds.join(",")}`);
  }

  async closeLease(leaseId: string): Promise<void> {
    await this.send([{ typeUrl: `${P}MsgCloseLease`, value: { sender: this.provider, leaseId: BigInt(leaseId) } }], `close ${leaseId}`);
  }

  private async send(msgs: readonly { typeUrl: string; value: unknown }[], what: string): Promise<void> {
    const plan = this.opts.fee;
    // Simulated here (not by cosmjs) so that a fee above --max-fee is refused like every tx command's.
    const fee: StdFee = plan.kind === "fixed" ? plan.fee : feeAfterSimulation(plan, await this.client.simulate(this.provider, msgs, ""));
    const res = await signBroadcastAndWait(this.client, this.provider, msgs, fee, "");
    if (res.code !== 0) {
      const e = explainTxFailure(res.code, undefined, res.rawLog, { node: this.opts.node, from: this.provider });
      throw new TxRejectedError(`${what}: transaction ${res.hash} failed in block ${res.height}: ${e.message}`, { code: res.code, txHash: res.hash });
    }
    this.opts.log("tx", { what, txhash: res.hash, height: res.height, gas_used: res.gasUsed });
  }
}
