// `trustnet send <to> <amount>`: a signed MsgSend from a key, with the flags of every tx command (tx-options.ts).
// `trustnet tx bank send <from> <to> <amount>`, the SDK CLI's form (the sender positional), runs the same send.
import type { Argv, CommandModule } from "yargs";
import type { MsgSendEncodeObject } from "@cosmjs/stargate";
import { BASE_DENOM, formatTrust, parseAmount } from "../coins.ts";
import { UsageError } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { resolveAddressArg } from "../address-arg.ts";
import { sendTx, withTxOptions, type TxArgs } from "./tx-options.ts";

type Args = TxArgs & {
  readonly to: string;
  readonly amount: string;
};

async function send(a: Args): Promise<void> {
  // Everything that can be checked offline is checked before the node is contacted or a passphrase is asked.
  const { address: to } = await resolveAddressArg(a.home, a.to, { what: "recipient" });
  const amount = parseAmount(a.amount);
  const { res, from, fee } = await sendTx(a, (f): MsgSendEncodeObject => ({
    typeUrl: "/cosmos.bank.v1beta1.MsgSend",
    value: { fromAddress: f, toAddress: to, amount: [{ denom: BASE_DENOM, amount: amount.toString() }] },
  }), { summary: `Sending ${formatTrust(amount)} to ${to}` });
  printerFor(a).result(
    { txhash: res.hash, height: String(res.height), code: res.code, gas_wanted: res.gasWanted, gas_used: res.gasUsed, fee, from, to, amount: { denom: BASE_DENOM, amount: amount.toString() }, memo: a.memo },
    () => [`Sent ${formatTrust(amount)} to ${to}`, `txhash: ${res.hash}`, `height: ${res.height}  gas used: ${res.gasUsed} / ${res.gasWanted}`].join("\n"),
  );
}

export const sendCommand: CommandModule<GlobalOptions, Args> = {
  command: "send <to> <amount>",
  describe: "send TRUST to an address or key (amount as 1.5TRUST or 1500000utrust)",
  builder: (y: Argv<GlobalOptions>) =>
    withTxOptions(y)
      .positional("to", { type: "string", demandOption: true, describe: "recipient: trust1… address or key name" })
      .positional("amount", { type: "string", demandOption: true, describe: "amount: 1.5TRUST, 2trust or 1500000utrust" })
      .example("$0 send trust1… 1.5TRUST", "send from the active key, gas auto")
      .example("$0 send bob 1500000utrust --from alice --memo rent", "send from key alice to key bob")
      .example("$0 send trust1… 2trust --gas 200000 --fees 5000utrust -o json", "fixed gas and fee, JSON result") as unknown as Argv<Args>,
  handler: (a) => send(a),
};

type BankSendArgs = Omit<Args, "from" | "to"> & { readonly from?: string; readonly from_key_or_address: string; readonly to_address: string };

const bankSend: CommandModule<GlobalOptions, BankSendArgs> = {
  command: "send <from_key_or_address> <to_address> <amount>",
  describe: "the SDK CLI's form of 'trustnet send <to> <amount> --from <from>', which it runs",
  builder: (y: Argv<GlobalOptions>) =>
    withTxOptions(y)
      .hide("from")
      .positional("from_key_or_address", { type: "string", demandOption: true, describe: "sender: a key name or its trust1… address" })
      .positional("to_address", { type: "string", demandOption: true, describe: "recipient: trust1… address or key name" })
      .positional("amount", { type: "string", demandOption: true, describe: "amount: 1.5TRUST, 2trust or 1500000utrust" })
      .example("$0 tx bank send alice trust1… 1.5TRUST", "send from key alice") as unknown as Argv<BankSendArgs>,
  handler: (a) => {
    if (a.from !== undefined) throw new UsageError("tx bank send takes the sender as its first argument, not --from", "drop --from, or use 'trustnet send <to> <amount> --from <key>'");
    return send({ ...a, from: a.from_key_or_address, to: a.to_address });
  },
};

/** `trustnet tx bank send …`. */
export const bankTxCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "bank <command>",
  describe: "bank transactions, as the SDK CLI names them (send)",
  builder: (y) => y.command(bankSend as unknown as CommandModule<GlobalOptions, GlobalOptions>).demandCommand(1, "name a bank transaction"),
  handler: () => undefined,
};
