// `trustnet query leasing …`: the leasing module's CLI queries, declared as data (cli/ builds the commands; its
// `lease list|show` and `provider earnings|list` run the same declarations). Lists return every page.
import type { CliQuery, CliQueryArg, ComposedCliQuery } from "../../../sdk/client/cli-query.ts";
import { fetchEarnings, fetchEscrow, fetchLease, fetchLeases, fetchParams, fetchProvider, fetchProviders, parseLeaseId } from "./reads.ts";
import { earningsJson, earningsText, escrowJson, escrowText, LEASE_STATE_FILTERS, leaseJson, leaseListText, leaseText, paramsJson, paramsText, PROVIDER_STATUS_FILTERS, providerJson, providerStatusFilter, providerText, stateName } from "./view.ts";

const LIST_LEASES = "list leases with 'trustnet lease list' or 'trustnet query leasing leases'";
const notRegistered = (owner: string): Error => new Error(`provider ${owner} not found: it is not a registered provider (list them with 'trustnet query leasing providers')`);
const noLease = (id: bigint): Error => new Error(`lease ${id} not found (${LIST_LEASES})`);

/** A capacity filter flag: a whole number of the unit its name ends with. */
function atLeast(args: Readonly<Record<string, string>>, name: string): bigint {
  const v = args[name] ?? "0";
  if (!/^\d{1,19}$/u.test(v)) throw new Error(`--${name} must be a whole number, not "${v}"`);
  return BigInt(v);
}

const leaseIdArg: CliQueryArg = { name: "id", describe: "lease id", kind: "string" };

const CAPACITY_FLAGS = ["cpu-millis", "memory-mib", "disk-gib", "bandwidth-mbps"] as const;
const capacityOption = (name: (typeof CAPACITY_FLAGS)[number], what: string) => ({ name, describe: `only providers with at least this much free ${what}`, default: "0" });

const params: ComposedCliQuery = {
  name: "params", describe: "the leasing parameters: minimum bond, ready timeout, reward share", args: [],
  run: async (query) => {
    const p = await fetchParams(query);
    return { json: { params: paramsJson(p) }, text: paramsText(p) };
  },
};

const provider: ComposedCliQuery = {
  name: "provider", describe: "one provider's offer: capacity used and free, prices per block, images, bond",
  args: [{ name: "address", describe: "provider address or key name", kind: "address" }],
  run: async (query, a) => {
    const owner = a.address ?? "";
    const p = await fetchProvider(query, owner);
    if (!p) throw notRegistered(owner);
    return { json: providerJson(p), text: providerText(p) };
  },
};

/** `--status`: which providers by whether they take new leases, on their `paused` flag. */
function providerStatus(a: Readonly<Record<string, string>>): (paused: boolean) => boolean {
  const status = a.status ?? "all";
  const keep = providerStatusFilter(status);
  if (keep === undefined) throw new Error(`--status ${status}: one of ${Object.keys(PROVIDER_STATUS_FILTERS).join(", ")}`);
  return keep;
}

const providers: ComposedCliQuery = {
  name: "providers", describe: "every provider, filtered by region, image, free capacity and whether it takes new leases", args: [],
  options: [
    { name: "region", describe: "only this region", default: "" }, { name: "image", describe: "only providers offering this image", default: "" },
    capacityOption("cpu-millis", "millicores"), capacityOption("memory-mib", "memory (MiB)"), capacityOption("disk-gib", "disk (GiB)"), capacityOption("bandwidth-mbps", "bandwidth (Mbit/s)"),
    { name: "status", describe: "active: only providers taking new leases; paused: only paused ones; all: both", choices: Object.keys(PROVIDER_STATUS_FILTERS), default: "all" },
  ],
  check(a) {
    for (const name of CAPACITY_FLAGS) atLeast(a, name);
    providerStatus(a);
  },
  run: async (query, a) => {
    const filter = {
      region: a.region ?? "", image: a.image ?? "", cpuMillis: atLeast(a, "cpu-millis"), memoryMib: atLeast(a, "memory-mib"), diskGib: atLeast(a, "disk-gib"), bandwidthMbps: atLeast(a, "bandwidth-mbps"),
    };
    const keep = providerStatus(a);
    const ps = (await fetchProviders(query, filter)).filter((p) => keep(p.paused));
    return { json: { providers: ps.map(providerJson) }, text: ps.length === 0 ? "no provider matches" : ps.map(providerText).join("\n") };
  },
};

const lease: ComposedCliQuery = {
  name: "lease", describe: "one lease, with its escrow: balance, blocks and time left at its rate",
  args: [leaseIdArg],
  check: (a) => void parseLeaseId(a.id ?? ""),
  run: async (query, a) => {
    const id = parseLeaseId(a.id ?? "");
    const l = await fetchLease(query, id);
    const esc = l && (await fetchEscrow(query, id));
    if (!l || !esc) throw noLease(id);
    return { json: { ...leaseJson(l), escrow: escrowJson(esc) }, text: `${leaseText(l)}\n  escrow    ${escrowText(esc)}` };
  },
};

const leases: ComposedCliQuery = {
  name: "leases", describe: "leases of a tenant (default: the active key), or with --provider those a provider hosts",
  args: [{ name: "owner", describe: "tenant address or key name (default: the active key)", kind: "address", optional: true }],
  options: [
    { name: "provider", describe: "list the leases hosted by this provider (address or key name) instead", kind: "address" },
    { name: "state", describe: "which leases", choices: Object.keys(LEASE_STATE_FILTERS), default: "open" },
  ],
  run: async (query, a) => {
    const by = a.provider !== undefined ? "provider" : "tenant";
    const owner = a.provider ?? a.owner;
    if (owner === undefined) throw new Error("name a tenant, or a provider with --provider");
    const stateLabel = a.state ?? "open";
    const state = LEASE_STATE_FILTERS[stateLabel];
    if (state === undefined) throw new Error(`--state ${stateLabel}: one of ${Object.keys(LEASE_STATE_FILTERS).join(", ")}`);
    const ls = await fetchLeases(query, by, owner, state);
    return { json: { [by]: owner, leases: ls.map(leaseJson) }, text: leaseListText(by, owner, stateLabel, ls) };
  },
};

const escrow: ComposedCliQuery = {
  name: "escrow", describe: "what is left of a lease's escrow now, and how many blocks it lasts",
  args: [leaseIdArg],
  check: (a) => void parseLeaseId(a.id ?? ""),
  run: async (query, a) => {
    const id = parseLeaseId(a.id ?? "");
    const e = await fetchEscrow(query, id);
    if (!e) throw noLease(id);
    return { json: { lease_id: e.leaseId.toString(), state: stateName(e.state), rate_per_block: e.rate, ...escrowJson(e) }, text: `lease ${id} (${stateName(e.state)}): ${escrowText(e)}` };
  },
};

const earnings: ComposedCliQuery = {
  name: "earnings", describe: "a provider's accrued lease payments not yet withdrawn, resource rewards to withdraw and held, what it was paid and the take burned",
  args: [{ name: "provider", describe: "provider address or key name (default: the active key)", kind: "address", optional: true }],
  run: async (query, a) => {
    const owner = a.provider ?? "";
    const e = await fetchEarnings(query, owner);
    if (!e) throw notRegistered(owner);
    return { json: earningsJson(owner, e), text: earningsText(owner, e) };
  },
};

/** By name, for the `lease`/`provider` commands that run them; `leasingCliQueries` in command order. */
export const leasingCli = { params, provider, providers, lease, leases, escrow, earnings } as const satisfies Record<string, ComposedCliQuery>;
export const leasingCliQueries: readonly CliQuery[] = Object.values(leasingCli);
