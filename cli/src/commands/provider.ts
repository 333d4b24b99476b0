// `trustnet provider register|update|deregister|status|earnings|list|withdraw`: the provider's on-chain side of
// the leasing module (docs/leasing.md). `provider run` (the daemon) and `provider lease-logs` (a lease VM's
// console) belong to the provider daemon's side.
import type { NodeTarget } from "../chain/index.ts";
import type { Argv, CommandModule } from "yargs";
import { abortOnSignals, BANDWIDTH_NOT_ENFORCED, followLeaseConsole, leaseConsoleTail, LIMITS_ENFORCED, requireStateOwner } from "@trustnet/provisioner";
import { providerHome, providerRunCommand } from "./provider-run.ts";
import { leasingCli, leasingTypes as L, providerJson, providerText } from "@trustnet/abci-app";
import { resolveAddress } from "../address-arg.ts";
import { formatTrust, parseAmount } from "../coins.ts";
import { CliError, UsageError } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import type { Printer } from "../output.ts";
import { terminalSafe } from "../terminal-text.ts";
import { leaseIds, type OfferFlags, parseCapacityFilter, parseOffer, pauseChange } from "../leasing/args.ts";
import { nodeQuery, queryLeases, queryParams, queryProvider, requireProvider, runLeasingQuery } from "../leasing/queries.ts";
import { HEIGHT_DESCRIBE, queryHeight } from "./module-query.ts";
import { fromAddress, type KeyArgs, LEASING, sendLeasingBatches, sendLeasingMsgs } from "../leasing/send.ts";
import { inBatches } from "../leasing/batches.ts";
import { withTxOptions } from "./tx-options.ts";

type DescribeArgs = KeyArgs & OfferFlags;

/** --from (the provider's key), --memo and the fee flags, as every tx command has them. */
function withKey<T>(y: Argv<T>): Argv<T & KeyArgs> {
  return withTxOptions(y, "the provider's key: a key name or its trust1… address (default: the active key)");
}

/**
 * The flags that describe an offer, shared by register and update. Register's omitted flags take these defaults;
 * update's keep the provider's current values (leasing/args.ts, parseOffer).
 */
function withOffer<T>(y: Argv<T>, update = false): Argv<T & DescribeArgs> {
  const dflt = (v: string | string[], required = false) => (update ? {} : required ? { demandOption: true } : { default: v });
  const keeps = update ? " (default: unchanged)" : "";
  return withKey(y)
    .option("endpoint", { type: "string", ...dflt("https://127.0.0.1:8443"), describe: `where tenants and the daemon reach this provider (http(s) or ssh URL)${keeps}` })
    .option("region", { type: "string", ...dflt("local"), describe: `region label tenants filter on${keeps}` })
    .option("cpu", { type: "string", ...dflt("", true), describe: `capacity in vCPUs (4, 0.5) or millicores (4000m)${keeps}` })
    .option("memory", { type: "string", ...dflt("", true), describe: `memory capacity (8GiB)${keeps}` })
    .option("disk", { type: "string", ...dflt("", true), describe: `disk capacity (100GiB)${keeps}` })
    .option("bandwidth", { type: "string", ...dflt("0"), describe: `bandwidth capacity in Mbit/s${keeps}` })
    .option("image", { type: "string", ...dflt("alpine-3.22,ubuntu-24.04"), describe: `images offered, comma-separated${keeps}` })
    .option("price", { type: "string", ...dflt("", true), describe: `per block: cpu=<per vCPU>,memory=<per GiB>,disk=<per GiB>,bandwidth=<per Mbit/s>${update ? " (unnamed prices unchanged)" : ""}` })
    .option("attribute", { type: "string", array: true, ...dflt([]), describe: `key=value, repeatable${update ? " (default: unchanged; --attribute \"\" clears them)" : ""}` }) as unknown as Argv<T & DescribeArgs>;
}

const register: CommandModule<GlobalOptions, DescribeArgs & { bond?: string }> = {
  command: "register",
  describe: "offer this key's machine for leases: capacity, prices per block, images; the bond is escrowed until deregister",
  builder: (y) => withOffer(y).option("bond", { type: "string", describe: "bond (default: the chain's minimum)" })
    .example("$0 provider register --cpu 4 --memory 8GiB --disk 100GiB --bandwidth 100 --image alpine-3.22,ubuntu-24.04 --price cpu=10utrust,memory=5utrust,disk=1utrust,bandwidth=1utrust", "") as unknown as Argv<DescribeArgs & { bond?: string }>,
  handler: async (a) => {
    const { from } = await fromAddress(a);
    const o = { owner: from, ...parseOffer(a) };
    const bond = a.bond === undefined ? await minBond(a) : parseAmount(a.bond, { allowZero: true });
    const sent = await sendLeasingMsgs(a, () => [{ typeUrl: `${LEASING}MsgRegisterProvider`, value: { ...o, bond: bond > 0n ? [{ denom: "utrust", amount: bond.toString() }] : [] } }]);
    const p = await requireProvider(a, from);
    printerFor(a).result({ ...providerJson(p), txhash: sent.hash, fee: sent.fee, height: sent.height }, () => `registered (bond ${formatTrust(bond)}, tx ${sent.hash})\n${providerText(p)}`);
  },
};

async function minBond(target: NodeTarget): Promise<bigint> {
  return BigInt((await queryParams(target)).minBond);
}

type UpdateArgs = DescribeArgs & { paused?: boolean; resume?: boolean };
const update: CommandModule<GlobalOptions, UpdateArgs> = {
  command: "update",
  describe: "change the offer (flags left out keep their current values): new prices apply to new leases only; capacity may not drop below what open leases use; --paused stops new leases",
  builder: (y) => withOffer(y, true)
    .option("paused", { type: "boolean", describe: "take no new leases (maintenance): open leases run on and can be closed" })
    .option("resume", { type: "boolean", describe: "take new leases again after --paused" })
    .example("$0 provider update --paused", "refuse new leases while the open ones run").example("$0 provider update --resume", "take new leases again") as unknown as Argv<UpdateArgs>,
  handler: async (a) => {
    const pause = pauseChange(a); // --paused with --resume is refused before the keyring or the node is read
    const { from } = await fromAddress(a);
    const current = await requireProvider(a, from);
    const o = { owner: from, ...parseOffer(a, current), pause };
    const sent = await sendLeasingMsgs(a, () => [{ typeUrl: `${LEASING}MsgUpdateProvider`, value: o }]);
    const p = await requireProvider(a, from);
    printerFor(a).result({ ...providerJson(p), txhash: sent.hash, fee: sent.fee, height: sent.height }, () => `updated (tx ${sent.hash})\n${providerText(p)}`);
  },
};

const deregister: CommandModule<GlobalOptions, KeyArgs> = {
  command: "deregister",
  describe: "stop offering leases and get the bond back (refused while leases are open)",
  builder: (y) => withKey(y) as unknown as Argv<KeyArgs>,
  handler: async (a) => {
    const { from } = await fromAddress(a);
    const p = await requireProvider(a, from);
    if (p.openLeases > 0n) throw new CliError(`${from} has ${p.openLeases} open lease(s)`, { hint: `stop new ones with 'trustnet provider update --paused', then close these (list them with 'trustnet lease list --provider ${from}')` });
    const sent = await sendLeasingMsgs(a, (owner) => [{ typeUrl: `${LEASING}MsgDeregisterProvider`, value: { owner } }]);
    printerFor(a).result({ owner: from, deregistered: true, bond_returned: p.bond, txhash: sent.hash, fee: sent.fee, height: sent.height }, () => `deregistered ${from}; bond ${formatTrust(BigInt(p.bond))} returned (tx ${sent.hash})`);
  },
};

type ProviderArgs = GlobalOptions & { provider?: string; height?: string };
const status: CommandModule<GlobalOptions, ProviderArgs> = {
  command: "status [provider]",
  describe: "a provider's on-chain offer: capacity used and free, prices, open leases (default: the active key)",
  builder: (y) => y.positional("provider", { type: "string", describe: "address or key name" }).option("height", { type: "string", describe: HEIGHT_DESCRIBE }) as unknown as Argv<ProviderArgs>,
  handler: async (a) => {
    const height = queryHeight(a.height);
    const owner = await resolveAddress(a.home, a.provider, { what: "provider" });
    const at = nodeQuery(a, height); // the offer and its leases at one height
    const p = await queryProvider(at, owner);
    if (!p) {
      printerFor(a).result({ owner, registered: false }, () => `${owner} is not a registered provider (trustnet provider register)`);
      return;
    }
    const open = await queryLeases(at, "provider", owner, 4n);
    printerFor(a).result({ registered: true, ...providerJson(p), leases: open.map((l) => ({ lease_id: l.id.toString(), state: l.state === 2n ? "ready" : "pending", tenant: l.tenant })), limits_enforced: LIMITS_ENFORCED },
      () => `${providerText(p)}${open.length ? `\n  leases     ${open.map((l) => `${l.id}${l.state === 2n ? "" : " (pending)"}`).join(", ")}` : ""}\n  limits     cpu, memory and disk enforced by QEMU; ${BANDWIDTH_NOT_ENFORCED}`);
  },
};

const earnings: CommandModule<GlobalOptions, ProviderArgs> = {
  command: "earnings [provider]",
  describe: "accrued lease payments not yet withdrawn, resource rewards to withdraw and held, what has been paid and the take burned",
  builder: (y) => y.positional("provider", { type: "string", describe: "address or key name" }).option("height", { type: "string", describe: HEIGHT_DESCRIBE }) as unknown as Argv<ProviderArgs>,
  handler: async (a) => {
    const height = queryHeight(a.height);
    const owner = await resolveAddress(a.home, a.provider, { what: "provider" });
    const out = await runLeasingQuery(a, leasingCli.earnings, { provider: owner }, height);
    printerFor(a).result(out.json, () => out.text);
  },
};

const withdraw: CommandModule<GlobalOptions, KeyArgs & { ids?: string[] }> = {
  command: "withdraw [ids..]",
  describe: "collect what accrued on leases (default: every open lease) and the resource rewards; one transaction per 100 leases",
  builder: (y) => withKey(y).positional("ids", { type: "string", array: true, describe: "lease ids" }) as unknown as Argv<KeyArgs & { ids?: string[] }>,
  handler: async (a) => {
    const named = leaseIds(a.ids ?? []);
    const { from } = await fromAddress(a);
    const ids = named.length > 0 ? named : (await queryLeases(a, "provider", from, 4n)).map((l) => l.id);
    if (ids.length === 0) throw new CliError(`${from} has no open lease to withdraw from`);
    // a transaction takes at most 100 messages: more leases go in several, one after the other
    const done = await sendLeasingBatches(a, inBatches(ids), "leases", (provider, batch) => batch.map((leaseId) => ({ typeUrl: `${LEASING}MsgWithdrawLease`, value: { provider, leaseId } })));
    const zero = { paid: 0n, rewards: 0n, take: 0n };
    const sum = done.flatMap((d) => d.sent.responses).map((r) => L.MsgWithdrawLeaseResponse.decode(r.value))
      .reduce((s, r) => ({ paid: s.paid + BigInt(r.paid), rewards: s.rewards + BigInt(r.rewards), take: s.take + BigInt(r.take || "0") }), zero);
    const first = done[0]?.sent;
    const txs = done.map((d) => d.sent.hash);
    printerFor(a).result(
      {
        provider: from, lease_ids: ids.map(String), paid: sum.paid.toString(), rewards: sum.rewards.toString(), take: sum.take.toString(), txhash: first?.hash, fee: first?.fee, height: first?.height,
        ...(done.length > 1 ? { txs: done.map((d) => ({ txhash: d.sent.hash, fee: d.sent.fee, height: d.sent.height, lease_ids: d.items.map(String) })) } : {}),
      },
      () => `withdrew ${formatTrust(sum.paid)} from ${ids.length} lease(s) (after ${formatTrust(sum.take)} take, burned) and ${formatTrust(sum.rewards)} rewards (tx ${txs.join(", ")})`,
    );
  },
};

type ListArgs = GlobalOptions & { region: string; image: string; cpu: string; memory: string; disk: string; bandwidth: string; status: string; active?: boolean; height?: string };
const list: CommandModule<GlobalOptions, ListArgs> = {
  command: "list",
  describe: "providers, filtered by region, image, free capacity and whether they take new leases (paused ones are listed, marked PAUSED, unless --active)",
  builder: (y) => y.option("region", { type: "string", default: "" }).option("image", { type: "string", default: "" })
    .option("cpu", { type: "string", default: "0", describe: "free vCPUs at least (2, 0.5 or 500m)" }).option("memory", { type: "string", default: "0MiB", describe: "free memory at least" })
    .option("disk", { type: "string", default: "0", describe: "free disk GiB at least" }).option("bandwidth", { type: "string", default: "0", describe: "free Mbit/s at least" })
    .option("status", { type: "string", choices: ["all", "active", "paused"], default: "all", describe: "active: only providers taking new leases; paused: only paused ones" })
    .option("active", { type: "boolean", describe: "only providers taking new leases (--status active)" })
    .option("height", { type: "string", describe: HEIGHT_DESCRIBE }) as unknown as Argv<ListArgs>,
  handler: async (a) => {
    const height = queryHeight(a.height);
    if (a.active === true && a.status !== "all" && a.status !== "active") throw new UsageError(`--active and --status ${a.status} contradict each other`, "give one of them");
    const filter = { region: a.region, image: a.image, ...parseCapacityFilter(a), status: a.active === true ? "active" : a.status };
    const out = await runLeasingQuery(a, leasingCli.providers, Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, String(v)])), height);
    printerFor(a).result(out.json, () => out.text);
  },
};

type LeaseLogsArgs = GlobalOptions & { id: string; lines: number; follow: boolean };
const leaseLogs: CommandModule<GlobalOptions, LeaseLogsArgs> = {
  command: "lease-logs <id>",
  describe: "a lease VM's serial console on this machine (drained from QEMU's ring into its serial.log, at most 4 MiB kept): why a lease never became ready",
  builder: (y) => y.positional("id", { type: "string", describe: "lease id" }).option("lines", { type: "number", default: 100, describe: "the last N lines" })
    .option("follow", { alias: "f", type: "boolean", default: false, describe: "then print what the VM prints next, until Ctrl-C or the VM stops (text only)" }) as unknown as Argv<LeaseLogsArgs>,
  handler: async (a) => {
    const [id] = leaseIds([a.id]);
    if (!Number.isSafeInteger(a.lines) || a.lines < 1) throw new UsageError(`--lines must be a whole number from 1 up (got ${String(a.lines)})`);
    const printer = printerFor(a);
    // It drains the console into the daemon's files: as another user (sudo), files the daemon cannot write (owner.ts).
    await requireStateOwner(providerHome(a.home), `provider lease-logs ${id}`);
    if (a.follow) return followLease(providerHome(a.home), String(id), a.lines, printer);
    // The guest is the tenant's: its output reaches the terminal with every control character shown escaped (output.ts).
    const { text, closed } = await leaseConsoleTail(providerHome(a.home), String(id), a.lines);
    if (closed) printer.info(`lease ${id} is closed and its VM gone: its console as it was then`);
    printer.result({ lease_id: String(id), closed, lines: text.split("\n") }, () => text);
  },
};

/** `lease-logs --follow`: text only (a stream of lines is no JSON document), the tenant's control characters escaped. */
async function followLease(home: string, id: string, lines: number, printer: Printer): Promise<void> {
  if (printer.format === "json") throw new UsageError("--follow prints the console as text: it takes no --output json", "drop --output json to follow, or drop --follow for one JSON document of the last lines");
  const stop = abortOnSignals();
  try {
    const { end, closed } = await followLeaseConsole(home, id, { lines, signal: stop.signal, write: (t) => void process.stdout.write(terminalSafe(t)), note: (l) => printer.info(l) });
    if (closed) printer.info(`lease ${id} is closed and its VM gone: its console as it was then, nothing to follow`);
    else if (end === "not-running") printer.info(`lease ${id}'s VM is not running: its console as it is, nothing to follow`);
    else if (end === "stopped") printer.info(`lease ${id}'s VM stopped`);
  } finally {
    stop.dispose();
  }
}

/** Subcommands; the provider daemon's side adds `run` and `lease-logs`. */
export const providerSubcommands: CommandModule<GlobalOptions, never>[] = [register, update, deregister, status, earnings, withdraw, list, providerRunCommand, leaseLogs] as unknown as CommandModule<GlobalOptions, never>[];

export const providerCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "provider <command>",
  describe: "rent out this machine's CPU, memory, disk and bandwidth as VMs: register, update, status, earnings, withdraw, deregister",
  builder: (y: Argv<GlobalOptions>) => providerSubcommands.reduce((acc, c) => acc.command(c), y).demandCommand(1) as unknown as Argv<GlobalOptions>,
  handler: () => undefined,
};
