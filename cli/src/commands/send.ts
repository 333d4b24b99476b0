// `trustnet send <to> <amount>`: a signed MsgSend from a key, with the flags of every tx command (tx-options.ts).
import type { Argv, CommandModule } from "yargs";
import type { StdFee } from "@cosmjs/stargate";
import type { MsgSendEncodeObject } from "@cosmjs/stargate";
import { connectSigningClient, explainTxFailure, feeAfterSimulation, planFee, signBroadcastAndWait, translateChainError, TxRejectedError } from "../chain/index.ts";
import { BASE_DENOM, formatTrust, parseAmount } from "../coins.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { getSigner, resolveKeyName, showKey } from "../keyring/index.ts";
import { resolveAddressArg } from "../address-arg.ts";
import { feeFlags } from "./chain-options.ts";
import { withTxOptions, type TxArgs } from "./tx-options.ts";
import { passphraseSource } from "./wallet-options.ts";

type Args = TxArgs & {
  readonly to: string;
  readonly amount: string;
};

async function run(a: Args): Promise<void> {
  const p = printerFor(a);
  // Everything that can be checked offline is checked before the node is contacted or a passphrase is asked.
  const { address: to } = await resolveAddressArg(a.home, a.to, { what: "recipient" });
  const amount = parseAmount(a.amount);
  const plan = planFee(feeFlags(a));
  const keyName = await resolveKeyName(a.home, a.from);
  const from = (await showKey(a.home, keyName)).address;
  const ctx = { node: a.node, from };
  const client = await connectSigningClient({
    node: a.node,
    chainId: a["chain-id"],
    gasPrice: plan.gasPrice,
    signer: () => getSigner(a.home, keyName, passphraseSource(a)),
  });
  try {
    const msg: MsgSendEncodeObject = {
      typeUrl: "/cosmos.bank.v1beta1.MsgSend",
      value: { fromAddress: from, toAddress: to, amount: [{ denom: BASE_DENOM, amount: amount.toString() }] },
    };
    let fee: StdFee | number;
    if (plan.kind === "fixed") fee = plan.fee;
    else if (plan.kind === "auto") fee = plan.adjustment;
    else fee = feeAfterSimulation(plan, await client.simulate(from, [msg], a.memo));
    p.info(`Sending ${formatTrust(amount)} from ${keyName} (${from}) to ${to} …`);
    const res = await signBroadcastAndWait(client, from, [msg], fee, a.memo);
    if (res.code !== 0) {
      const e = explainTxFailure(res.code, undefined, res.rawLog, ctx);
      throw new TxRejectedError(`transaction ${res.hash} failed in block ${res.height}: ${e.message}`, {
        ...(e.hint === undefined ? {} : { hint: e.hint }),
        code: res.code,
        txHash: res.hash,
      });
    }
    p.result(
      { txhash: res.hash, height: res.height, code: res.code, gasWanted: res.gasWanted, gasUsed: res.gasUsed, from, to, amount: { denom: BASE_DENOM, amount: amount.toString() }, memo: a.memo },
      () => [`Sent ${formatTrust(amount)} to ${to}`, `txhash: ${res.hash}`, `height: ${res.height}  gas used: ${res.gasUsed} / ${res.gasWanted}`].join("\n"),
    );
  } catch (err) {
    throw translateChainError(err, ctx);
  } finally {
    client.disconnect();
  }
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
  handler: (a) => run(a),
};
