// `trustnet lease create|list|show|deposit|close`: the tenant's side of the leasing module (docs/leasing.md).
// `lease ssh` belongs to the provider daemon's side.
import type { Argv, CommandModule } from "yargs";
import { leaseSshCommand } from "./lease-ssh.ts";
import { LEASE_STATE_FILTERS, leaseJson, leaseRate, leaseText, leasingCli, leasingTypes as L } from "@trustnet/abci-app";
import { resolveAddress } from "../address-arg.ts";
import { formatTrust, parseAmount } from "../coins.ts";
import { CliError, UsageError } from "../errors.ts";
import { parseSeconds } from "../seconds.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { checkOffer, leaseId, parseCount, parseImages, parseLeaseCpu, parseSizeGib, parseSizeMib, readSshKeys } from "../leasing/args.ts";
import { queryEscrow, queryLease, requireProvider, runLeasingQuery } from "../leasing/queries.ts";
import { HEIGHT_DESCRIBE, queryHeight } from "./module-query.ts";
import { type KeyArgs, LEASING, sendLeasingMsgs } from "../leasing/send.ts";
import { withTxOptions } from "./tx-options.ts";

const utrust = (amount: bigint) => [{ denom: "utrust", amount: amount.toString() }];

/** --from, --memo and the fee flags, as every tx command has them. */
function withKey<T>(y: Argv<T>): Argv<T & KeyArgs> {
  return withTxOptions(y);
}

type CreateArgs = KeyArgs & { provider: string; cpu: string; memory: string; disk: string; bandwidth: string; image: string; "ssh-key": string[]; deposit: string; "max-price"?: string; wait: boolean; "wait-timeout": number };

/** Polls the lease until it is ready or closed, showing progress on stderr; a closed lease is an error. */
async function waitReady(a: GlobalOptions, id: bigint, timeoutS: number, info: (l: string) => void): Promise<L.Lease> {
  const end = Date.now() + timeoutS * 1000;
  let last = "";
  for (;;) {
    const l = await queryLease(a, id);
    if (l.state === L.LeaseState.ready) return l;
    if (l.state === L.LeaseState.closed) throw new CliError(`lease ${id} closed before it became ready (${l.closeReason}); ${formatTrust(BigInt(l.refunded))} refunded`);
    const esc = await queryEscrow(a, id);
    const line = `waiting for the provider to boot the VM … block ${esc.height}, refund at block ${l.dueHeight} if it never comes up`;
    if (line !== last) info(line);
    last = line;
    if (Date.now() > end) throw new CliError(`lease ${id} is not ready after ${timeoutS}s`, { hint: `it stays open; follow it with 'trustnet lease show ${id}', or close it with 'trustnet lease close ${id}'` });
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const create: CommandModule<GlobalOptions, CreateArgs> = {
  command: "create",
  describe: "rent a VM from a provider: reserves its capacity at the posted price and escrows the deposit",
  builder: (y) => withKey(y)
    .option("provider", { type: "string", demandOption: true, describe: "provider address or key name" })
    .option("cpu", { type: "string", default: "1", describe: "whole vCPUs (2, or 2000m)" })
    .option("memory", { type: "string", default: "1GiB", describe: "memory (2GiB, 512MiB)" })
    .option("disk", { type: "string", default: "10GiB", describe: "disk, whole GiB (20GiB)" })
    .option("bandwidth", { type: "string", default: "0", describe: "Mbit/s reserved (0: none)" })
    .option("image", { type: "string", default: "alpine-3.22", describe: "alpine-3.22 or ubuntu-24.04" })
    .option("ssh-key", { type: "string", array: true, demandOption: true, describe: "public key file or line, repeatable (ed25519, ecdsa, rsa ≥ 2048)" })
    .option("deposit", { type: "string", demandOption: true, describe: "escrowed up front (50TRUST); unspent funds are refunded on close" })
    .option("max-price", { type: "string", describe: "refuse if the price per block is above this (default: the provider's current price)" })
    .option("wait", { type: "boolean", default: true, describe: "wait until the provider reports the VM ready (--no-wait: return at once)" })
    .option("wait-timeout", { type: "number", default: 900, describe: "seconds to wait for ready" })
    .example("$0 lease create --provider trust1… --cpu 2 --memory 2GiB --disk 20GiB --image alpine-3.22 --ssh-key ~/.ssh/id_ed25519.pub --deposit 50TRUST", "") as unknown as Argv<CreateArgs>,
  handler: async (a) => {
    const p = printerFor(a);
    const waitTimeout = parseSeconds(a["wait-timeout"], "--wait-timeout");
    const provider = await resolveAddress(a.home, a.provider, { what: "provider" });
    const resources = { cpuMillis: parseLeaseCpu(a.cpu), memoryMib: parseSizeMib(a.memory, "--memory", "MiB"), diskGib: parseSizeGib(a.disk, "--disk"), bandwidthMbps: parseCount(a.bandwidth, "--bandwidth", true) };
    const deposit = parseAmount(a.deposit);
    const [image = a.image, ...more] = parseImages(a.image);
    if (more.length > 0) throw new UsageError(`--image: a lease boots one image, not ${a.image}`);
    const sshPubkeys = await readSshKeys(a["ssh-key"]);
    const offer = await requireProvider(a, provider);
    checkOffer(provider, offer, image);
    const rate = leaseRate(resources, offer);
    const maxPrice = a["max-price"] === undefined ? rate : parseAmount(a["max-price"], { allowZero: true });
    if (deposit < rate) throw new UsageError(`--deposit ${formatTrust(deposit)} does not cover one block at ${formatTrust(rate)}`);
    p.info(`leasing ${image} from ${provider} at ${rate} utrust per block (deposit lasts ${rate === 0n ? "forever" : `${deposit / rate} blocks`}) …`);
    const sent = await sendLeasingMsgs(a, (tenant) => [{ typeUrl: `${LEASING}MsgCreateLease`, value: { tenant, provider, ...resources, image, sshPubkeys, maxPricePerBlock: utrust(maxPrice), deposit: utrust(deposit) } }]);
    const resp = sent.responses.find((r) => r.typeUrl === L.MsgCreateLeaseResponse.typeUrl);
    if (!resp) throw new CliError(`transaction ${sent.hash} has no MsgCreateLeaseResponse`);
    const id = L.MsgCreateLeaseResponse.decode(resp.value).leaseId;
    p.info(`lease ${id} created in block ${sent.height} (tx ${sent.hash})`);
    const l = a.wait ? await waitReady(a, id, waitTimeout, (line) => p.info(line)) : await queryLease(a, id);
    p.result({ ...leaseJson(l), txhash: sent.hash, fee: sent.fee, height: sent.height }, () => `${leaseText(l)}${l.sshHost ? `\nconnect with: trustnet lease ssh ${id}` : ""}`);
  },
};

type ListArgs = GlobalOptions & { owner?: string; provider?: string; state: string; height?: string };

const list: CommandModule<GlobalOptions, ListArgs> = {
  command: "list [owner]",
  describe: "leases of a tenant (address or key; default the active key), or of a provider with --provider",
  builder: (y) => y.positional("owner", { type: "string" })
    .option("provider", { type: "string", describe: "list the leases hosted by this provider (address or key) instead" })
    .option("state", { choices: Object.keys(LEASE_STATE_FILTERS), default: "open", describe: "which leases" }).option("height", { type: "string", describe: HEIGHT_DESCRIBE }) as unknown as Argv<ListArgs>,
  handler: async (a) => {
    const height = queryHeight(a.height);
    const by = a.provider !== undefined ? "provider" : "tenant";
    const owner = await resolveAddress(a.home, a.provider ?? a.owner, { what: by });
    const out = await runLeasingQuery(a, leasingCli.leases, { [by === "tenant" ? "owner" : "provider"]: owner, state: a.state }, height);
    printerFor(a).result(out.json, () => out.text);
  },
};

type ShowArgs = GlobalOptions & { id: string; height?: string };
const show: CommandModule<GlobalOptions, ShowArgs> = {
  command: "show <id>",
  describe: "one lease, with its escrow: balance, blocks and time left at its rate",
  builder: (y) => y.positional("id", { type: "string", demandOption: true }).option("height", { type: "string", describe: HEIGHT_DESCRIBE }) as unknown as Argv<ShowArgs>,
  handler: async (a) => {
    const height = queryHeight(a.height);
    const out = await runLeasingQuery(a, leasingCli.lease, { id: leaseId(a.id).toString() }, height);
    printerFor(a).result(out.json, () => out.text);
  },
};

const deposit: CommandModule<GlobalOptions, KeyArgs & { id: string; amount: string }> = {
  command: "deposit <id> <amount>",
  describe: "top up a lease's escrow (anyone may)",
  builder: (y) => withKey(y).positional("id", { type: "string", demandOption: true }).positional("amount", { type: "string", demandOption: true }) as unknown as Argv<KeyArgs & { id: string; amount: string }>,
  handler: async (a) => {
    const id = leaseId(a.id);
    const amount = parseAmount(a.amount);
    const sent = await sendLeasingMsgs(a, (depositor) => [{ typeUrl: `${LEASING}MsgDepositLease`, value: { depositor, leaseId: id, amount: utrust(amount) } }]);
    const esc = await queryEscrow(a, id);
    printerFor(a).result({ lease_id: id.toString(), deposited: amount.toString(), balance: esc.balance, blocks_left: esc.blocksLeft.toString(), txhash: sent.hash, fee: sent.fee, height: sent.height },
      () => `deposited ${formatTrust(amount)} into lease ${id}: ${formatTrust(BigInt(esc.balance))} left, ${esc.blocksLeft} blocks (tx ${sent.hash})`);
  },
};

const close: CommandModule<GlobalOptions, KeyArgs & { id: string }> = {
  command: "close <id>",
  describe: "end a lease (its tenant or provider): settles the provider and refunds the rest to the tenant",
  builder: (y) => withKey(y).positional("id", { type: "string", demandOption: true }) as unknown as Argv<KeyArgs & { id: string }>,
  handler: async (a) => {
    const id = leaseId(a.id);
    const sent = await sendLeasingMsgs(a, (sender) => [{ typeUrl: `${LEASING}MsgCloseLease`, value: { sender, leaseId: id } }]);
    const l = await queryLease(a, id);
    printerFor(a).result({ ...leaseJson(l), txhash: sent.hash, fee: sent.fee, height: sent.height }, () => `lease ${id} closed in block ${sent.height}: paid ${formatTrust(BigInt(l.paid))}, refunded ${formatTrust(BigInt(l.refunded))}`);
  },
};

/** Subcommands; the provider daemon's side adds `ssh`. */
export const leaseSubcommands: CommandModule<GlobalOptions, never>[] = [create, list, show, deposit, close, leaseSshCommand] as unknown as CommandModule<GlobalOptions, never>[];

export const leaseCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "lease <command>",
  describe: "rent VMs from providers: create, list, show, deposit, close",
  builder: (y: Argv<GlobalOptions>) => leaseSubcommands.reduce((acc, c) => acc.command(c), y).demandCommand(1) as unknown as Argv<GlobalOptions>,
  handler: () => undefined,
};
