// Leasing-module reads over CometBFT's abci_query (no signer needed).
import { leasingTypes as L } from "@trustnet/abci-app";
import { CometRpc } from "@trustnet/abci-app";
import { CliError } from "../errors.ts";

const P = "/trustnet.leasing.v1.Query/";

async function query<T>(node: string, method: string, data: Uint8Array, decode: (b: Uint8Array) => T): Promise<T | undefined> {
  let r: { code: number; log: string; value: Uint8Array };
  try {
    r = await new CometRpc(node).abciQuery(`${P}${method}`, data);
  } catch (err) {
    throw new CliError(`cannot reach the node at ${node}: ${(err as Error).message}`, { hint: "is the devnet running? try 'trustnet devnet status'" });
  }
  if (r.code === 22) return undefined;
  if (r.code !== 0) throw new CliError(r.log);
  return decode(r.value);
}

const need = <T>(v: T | undefined, what: string, hint: string): T => {
  if (v === undefined) throw new CliError(`${what} not found`, { hint });
  return v;
};

export async function queryLease(node: string, id: bigint): Promise<L.Lease> {
  const r = await query(node, "Lease", L.QueryLeaseRequest.encode({ leaseId: id }).finish(), L.QueryLeaseResponse.decode);
  return need(r?.lease[0], `lease ${id}`, "list your leases with 'trustnet lease list'");
}

export async function queryProvider(node: string, owner: string): Promise<L.Provider | undefined> {
  return (await query(node, "Provider", L.QueryProviderRequest.encode({ owner }).finish(), L.QueryProviderResponse.decode))?.provider[0];
}

export async function requireProvider(node: string, owner: string): Promise<L.Provider> {
  return need(await queryProvider(node, owner), `provider ${owner}`, "register it with 'trustnet provider register', or list providers with 'trustnet provider list'");
}

export async function queryEscrow(node: string, id: bigint): Promise<L.QueryEscrowResponse> {
  return need(await query(node, "Escrow", L.QueryEscrowRequest.encode({ leaseId: id }).finish(), L.QueryEscrowResponse.decode), `lease ${id}`, "list your leases with 'trustnet lease list'");
}

export async function queryEarnings(node: string, owner: string): Promise<{ accrued: string; rewards: string; paid: string; openLeases: bigint }> {
  return need(await query(node, "Earnings", L.QueryEarningsRequest.encode({ owner }).finish(), L.QueryEarningsResponse.decode), `provider ${owner}`, "register it with 'trustnet provider register'");
}

/** Every page of a lease list (`by` tenant or provider; state 0 any, 4 open). */
export async function queryLeases(node: string, by: "tenant" | "provider", owner: string, state: bigint): Promise<L.Lease[]> {
  const out: L.Lease[] = [];
  let key: Uint8Array = new Uint8Array();
  const codec = by === "tenant" ? L.QueryLeasesByTenantRequest : L.QueryLeasesByProviderRequest;
  do {
    const r = await query(node, by === "tenant" ? "LeasesByTenant" : "LeasesByProvider", codec.encode({ owner, state, pagination: [{ key, offset: 0n, limit: 1000n, countTotal: 0n, reverse: 0n }] }).finish(), L.QueryLeasesResponse.decode);
    out.push(...(r?.leases ?? []));
    key = r?.pagination[0]?.nextKey ?? new Uint8Array();
  } while (key.length > 0);
  return out;
}

export async function queryProviders(node: string, filter: { region: string; image: string; cpuMillis: bigint; memoryMib: bigint; diskGib: bigint; bandwidthMbps: bigint }): Promise<L.Provider[]> {
  const out: L.Provider[] = [];
  let key: Uint8Array = new Uint8Array();
  do {
    const r = await query(node, "Providers", L.QueryProvidersRequest.encode({ ...filter, pagination: [{ key, offset: 0n, limit: 1000n, countTotal: 0n, reverse: 0n }] }).finish(), L.QueryProvidersResponse.decode);
    out.push(...(r?.providers ?? []));
    key = r?.pagination[0]?.nextKey ?? new Uint8Array();
  } while (key.length > 0);
  return out;
}

export async function queryParams(node: string): Promise<L.Params> {
  return need((await query(node, "Params", new Uint8Array(), L.QueryParamsResponse.decode))?.params[0], "leasing params", "is this a TrustNet node with the leasing module?");
}
