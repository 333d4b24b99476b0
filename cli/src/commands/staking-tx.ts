// `trustnet tx staking …`: create-validator, edit-validator, delegate, undelegate, redelegate, cancel-unbond.
// Messages are the Cosmos SDK's (/cosmos.staking.v1beta1.*), signed by cosmjs's default registry.
import { readFile } from "node:fs/promises";
import type { Argv, CommandModule } from "yargs";
import type { EncodeObject, Registry } from "@cosmjs/proto-signing";
import type { IndexedTx } from "@cosmjs/stargate";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { BASE_DENOM, formatTrust, parseAmount } from "../coins.ts";
import { UsageError } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { parseConsensusPubkey, parseHeightArg, parseRate, valoperOf, VALOPER_PREFIX } from "../staking-args.ts";
import { resolveValidator } from "../address-arg.ts";
import { sendTx, withTxOptions, type SentTx, type TxArgs } from "./tx-options.ts";

export { resolveValidator };
export type { TxArgs };
const S = "/cosmos.staking.v1beta1.";
const DO_NOT_MODIFY = "[do-not-modify]";

/**
 * Signs `build(from)` (one message or several) with the --from key and waits for the block; a failed tx is a
 * TxRejectedError. `registry`: for messages outside cosmjs's default registry (x/slashing's MsgUnjail).
 */
export async function sendStakingTx(a: TxArgs, build: (from: string) => EncodeObject | EncodeObject[] | Promise<EncodeObject[]>, summary: string, registry?: Registry): Promise<{ res: IndexedTx; from: string; msg: EncodeObject; msgs: EncodeObject[]; fee: SentTx["fee"] }> {
  const { res, from, msgs, fee } = await sendTx(a, async (f) => {
    const built = [await build(f)].flat();
    if (built.length === 0) throw new UsageError("nothing to send");
    return built;
  }, { summary, ...(registry ? { registry } : {}) });
  return { res, from, msg: msgs[0] as EncodeObject, msgs: [...msgs], fee };
}

/** sendStakingTx, then prints `summary` or the tx result as JSON. */
export async function signAndSend(a: TxArgs, build: (from: string) => EncodeObject | EncodeObject[] | Promise<EncodeObject[]>, summary: string, registry?: Registry): Promise<void> {
  const { res, from, msg, msgs, fee } = await sendStakingTx(a, build, summary, registry);
  printerFor(a).result(
    { txhash: res.hash, height: String(res.height), code: res.code, gas_wanted: res.gasWanted, gas_used: res.gasUsed, fee, signer: from, message: { type_url: msg.typeUrl }, messages: msgs.map((m) => m.typeUrl) },
    () => [`${summary}: done`, `txhash: ${res.hash}`, `height: ${res.height}  gas used: ${res.gasUsed} / ${res.gasWanted}`].join("\n"),
  );
}

const coin = (amount: bigint) => ({ denom: BASE_DENOM, amount: amount.toString() });
export const common = <T>(y: Argv<T>): Argv<T & TxArgs> => withTxOptions(y);

/** The flags create-validator and `validator join` share (everything but the consensus key). */
export type ValidatorArgs = TxArgs & { amount: string; moniker: string; identity: string; website: string; details: string; "security-contact": string; "commission-rate": string; "commission-max-rate": string; "commission-max-change-rate": string; "min-self-delegation": string };
type CreateArgs = ValidatorArgs & { pubkey: string };
type EditArgs = TxArgs & { moniker?: string; identity?: string; website?: string; details?: string; "security-contact"?: string; "commission-rate"?: string; "min-self-delegation"?: string };
type DelegateArgs = TxArgs & { validator: string; amount: string };
type RedelegateArgs = TxArgs & { src: string; dst: string; amount: string };
type CancelArgs = DelegateArgs & { "creation-height": string };

/** --pubkey: base64, CometBFT JSON, or a path to priv_validator_key.json / a file holding either. */
export async function readPubkey(v: string): Promise<Uint8Array> {
  const t = v.trim();
  if (t.startsWith("{") || /^[A-Za-z0-9+/]{43}=$/u.test(t)) return parseConsensusPubkey(t);
  let text: string;
  try {
    text = await readFile(t, "utf8");
  } catch {
    throw new UsageError(`--pubkey: "${v}" is neither a base64 ed25519 key nor a readable file`, "e.g. --pubkey ~/node/config/priv_validator_key.json, or the output of 'cometbft show-validator'");
  }
  return parseConsensusPubkey(text);
}

function minSelf(v: string): bigint {
  if (!/^[1-9]\d{0,77}$/u.test(v)) throw new UsageError(`--min-self-delegation: "${v}" is not a positive integer of utrust`);
  return BigInt(v);
}

const create: CommandModule<GlobalOptions, CreateArgs> = {
  command: "create-validator",
  describe: "make the --from key's account a validator operator with this CometBFT consensus key and a self-delegation",
  builder: (y) => validatorOptions(common(y), true)
    .option("pubkey", { type: "string", demandOption: true, describe: "consensus key: base64 ed25519, CometBFT JSON, or a path to priv_validator_key.json" })
    .example("$0 tx staking create-validator --amount 10TRUST --pubkey ~/.node/config/priv_validator_key.json --moniker mine --from me", "") as unknown as Argv<CreateArgs>,
  handler: async (a) => {
    const { msg, summary } = createValidatorMsg(a, await readPubkey(a.pubkey));
    await signAndSend(a, msg, summary);
  },
};

/** Checks the flags and builds MsgCreateValidator for the signer's operator address and consensus key `key`. */
export function createValidatorMsg(a: ValidatorArgs, key: Uint8Array): { msg: (from: string) => EncodeObject; summary: string } {
  const amount = parseAmount(a.amount);
  const rate = parseRate(a["commission-rate"], "--commission-rate");
  const maxRate = parseRate(a["commission-max-rate"], "--commission-max-rate");
  const maxChangeRate = parseRate(a["commission-max-change-rate"], "--commission-max-change-rate");
  if (BigInt(rate) > BigInt(maxRate)) throw new UsageError("--commission-rate is above --commission-max-rate");
  if (BigInt(maxChangeRate) > BigInt(maxRate)) throw new UsageError("--commission-max-change-rate is above --commission-max-rate");
  const min = minSelf(a["min-self-delegation"]);
  if (amount < min) throw new UsageError(`--amount ${amount}utrust is below --min-self-delegation ${min}`);
  return {
    msg: (from) => ({
      typeUrl: `${S}MsgCreateValidator`,
      value: {
        description: { moniker: a.moniker, identity: a.identity, website: a.website, securityContact: a["security-contact"], details: a.details },
        commission: { rate, maxRate, maxChangeRate }, minSelfDelegation: min.toString(), delegatorAddress: "", validatorAddress: valoperOf(from),
        pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: PubKey.encode({ key }).finish() }, value: coin(amount),
      },
    }),
    summary: `Creating validator ${a.moniker} with ${formatTrust(amount)}`,
  };
}

/** create-validator's flags; `validator join` takes its moniker default from the node. */
export const validatorOptions = <T>(y: Argv<T>, monikerRequired: boolean): Argv<T> => y
  .option("amount", { type: "string", demandOption: true, describe: "self-delegation: 10TRUST or 10000000utrust" })
  .option("moniker", { type: "string", demandOption: monikerRequired, describe: monikerRequired ? "validator name" : "validator name (default: the node's moniker)" })
  .option("identity", { type: "string", default: "" }).option("website", { type: "string", default: "" })
  .option("details", { type: "string", default: "" }).option("security-contact", { type: "string", default: "" })
  .option("commission-rate", { type: "string", default: "0.1" }).option("commission-max-rate", { type: "string", default: "0.2" })
  .option("commission-max-change-rate", { type: "string", default: "0.01" })
  .option("min-self-delegation", { type: "string", default: "1", describe: "utrust" }) as unknown as Argv<T>;

const edit: CommandModule<GlobalOptions, EditArgs> = {
  command: "edit-validator",
  describe: "change the --from operator's description, commission rate (once per 24 h) or min self-delegation",
  builder: (y) => common(y)
    .option("moniker", { type: "string" }).option("identity", { type: "string" }).option("website", { type: "string" })
    .option("details", { type: "string" }).option("security-contact", { type: "string" })
    .option("commission-rate", { type: "string" }).option("min-self-delegation", { type: "string", describe: "utrust; may only grow" }) as unknown as Argv<EditArgs>,
  handler: async (a) => {
    const rate = a["commission-rate"] === undefined ? "" : parseRate(a["commission-rate"], "--commission-rate");
    const min = a["min-self-delegation"] === undefined ? "" : minSelf(a["min-self-delegation"]).toString();
    await signAndSend(a, (from) => ({
      typeUrl: `${S}MsgEditValidator`,
      value: {
        description: { moniker: a.moniker ?? DO_NOT_MODIFY, identity: a.identity ?? DO_NOT_MODIFY, website: a.website ?? DO_NOT_MODIFY, securityContact: a["security-contact"] ?? DO_NOT_MODIFY, details: a.details ?? DO_NOT_MODIFY },
        validatorAddress: valoperOf(from), commissionRate: rate, minSelfDelegation: min,
      },
    }), "Editing validator");
  },
};

const valPositional = <T>(y: Argv<T>, name: string, what: string) => y.positional(name, { type: "string", demandOption: true, describe: `${what}: ${VALOPER_PREFIX}1…, the operator's trust1… address, or a key name` });

const delegateCmd: CommandModule<GlobalOptions, DelegateArgs> = {
  command: "delegate <validator> <amount>",
  describe: "bond TRUST to a validator",
  builder: (y) => valPositional(common(y), "validator", "validator").positional("amount", { type: "string", demandOption: true }).example("$0 tx staking delegate trustvaloper1… 5TRUST --from alice", "") as unknown as Argv<DelegateArgs>,
  handler: async (a) => {
    const val = await resolveValidator(a.home, a.validator);
    const amount = parseAmount(a.amount);
    await signAndSend(a, (from) => ({ typeUrl: `${S}MsgDelegate`, value: { delegatorAddress: from, validatorAddress: val, amount: coin(amount) } }), `Delegating ${formatTrust(amount)} to ${val}`);
  },
};

const undelegateCmd: CommandModule<GlobalOptions, DelegateArgs> = {
  command: "undelegate <validator> <amount>",
  aliases: ["unbond"], // the SDK CLI's name (`simd tx staking unbond`)
  describe: "unbond TRUST from a validator; it returns after the unbonding period",
  builder: (y) => valPositional(common(y), "validator", "validator").positional("amount", { type: "string", demandOption: true }) as unknown as Argv<DelegateArgs>,
  handler: async (a) => {
    const val = await resolveValidator(a.home, a.validator);
    const amount = parseAmount(a.amount);
    await signAndSend(a, (from) => ({ typeUrl: `${S}MsgUndelegate`, value: { delegatorAddress: from, validatorAddress: val, amount: coin(amount) } }), `Undelegating ${formatTrust(amount)} from ${val}`);
  },
};

const redelegateCmd: CommandModule<GlobalOptions, RedelegateArgs> = {
  command: "redelegate <src> <dst> <amount>",
  describe: "move bonded TRUST from one validator to another at once",
  builder: (y) => valPositional(valPositional(common(y), "src", "source validator"), "dst", "destination validator").positional("amount", { type: "string", demandOption: true }) as unknown as Argv<RedelegateArgs>,
  handler: async (a) => {
    const src = await resolveValidator(a.home, a.src);
    const dst = await resolveValidator(a.home, a.dst);
    if (src === dst) throw new UsageError("source and destination validators are the same");
    const amount = parseAmount(a.amount);
    await signAndSend(a, (from) => ({ typeUrl: `${S}MsgBeginRedelegate`, value: { delegatorAddress: from, validatorSrcAddress: src, validatorDstAddress: dst, amount: coin(amount) } }), `Redelegating ${formatTrust(amount)} from ${src} to ${dst}`);
  },
};

const cancelCmd: CommandModule<GlobalOptions, CancelArgs> = {
  command: "cancel-unbond <validator> <amount> <creation-height>",
  describe: "put (part of) an unbonding entry, by the height it was created at, back into the validator",
  builder: (y) => valPositional(common(y), "validator", "validator").positional("amount", { type: "string", demandOption: true })
    .positional("creation-height", { type: "string", demandOption: true, describe: "see 'trustnet query staking unbonding'" }) as unknown as Argv<CancelArgs>,
  handler: async (a) => {
    const val = await resolveValidator(a.home, a.validator);
    const amount = parseAmount(a.amount);
    const h = parseHeightArg(String(a["creation-height"]), "creation height");
    await signAndSend(a, (from) => ({ typeUrl: `${S}MsgCancelUnbondingDelegation`, value: { delegatorAddress: from, validatorAddress: val, amount: coin(amount), creationHeight: h } }), `Cancelling ${formatTrust(amount)} of the unbonding from ${val} created at ${h}`);
  },
};

export const stakingTxCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "staking <command>",
  describe: "validators and delegations (Cosmos x/staking messages)",
  builder: (y) => y
    .command(create as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(edit as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(delegateCmd as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(undelegateCmd as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(redelegateCmd as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(cancelCmd as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .demandCommand(1, "name a staking transaction"),
  handler: () => undefined,
};
