// `trustnet account [addr]`: account number, sequence and public key.
import type { Argv, CommandModule } from "yargs";
import { isSinglePubkey, type Pubkey } from "@cosmjs/amino";
import { encodePubkey } from "@cosmjs/proto-signing";
import { connectQueryClient, translateChainError } from "../chain/index.ts";
import { CliError } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { resolveAddress } from "../address-arg.ts";

type Args = GlobalOptions & { readonly address?: string };

/** A public key as the SDK prints it (`query auth account`, the REST route): `{"@type": its type URL, key: base64}`. */
function sdkPubKey(pubkey: Pubkey | null): { readonly "@type": string; readonly key: string } | null {
  if (pubkey === null) return null;
  if (!isSinglePubkey(pubkey)) throw new CliError(`the account's public key is a ${pubkey.type}, not a single key: use \`trustnet query auth account\``);
  return { "@type": encodePubkey(pubkey).typeUrl, key: pubkey.value };
}

async function run(a: Args): Promise<void> {
  const address = await resolveAddress(a.home, a.address);
  const client = await connectQueryClient({ node: a.node, chainId: a["chain-id"] });
  try {
    const acc = await client.getAccount(address);
    if (acc === null) {
      throw new CliError(`account ${address} does not exist on chain yet (it has never received tokens)`, {
        hint: `send it some TRUST first, e.g. \`trustnet devnet faucet ${address}\``,
      });
    }
    const pubKey = sdkPubKey(acc.pubkey);
    // 64-bit numbers as strings, as `query auth account` and the REST route print them.
    printerFor(a).result({ address: acc.address, account_number: String(acc.accountNumber), sequence: String(acc.sequence), pub_key: pubKey }, () =>
      [`address:        ${acc.address}`, `account number: ${acc.accountNumber}`, `sequence:       ${acc.sequence}`, `pubkey:         ${pubKey === null ? "(none yet: the account has not signed a tx)" : pubKey.key}`].join("\n"));
  } catch (err) {
    throw translateChainError(err, { node: a.node });
  } finally {
    client.disconnect();
  }
}

export const accountCommand: CommandModule<GlobalOptions, Args> = {
  command: "account [address]",
  describe: "show an account's number, sequence and public key (default: the active key)",
  builder: (y: Argv<GlobalOptions>) =>
    y.positional("address", { type: "string", describe: "trust1… address or key name" })
      .example("$0 account", "the active key's account")
      .example("$0 account trust1… -o json", "as JSON") as unknown as Argv<Args>,
  handler: (a) => run(a),
};
