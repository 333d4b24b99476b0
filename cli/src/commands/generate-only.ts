// `--generate-only` on every tx command, as the SDK's CLI: the unsigned tx as the SDK's JSON
// (`{"body", "auth_info": {"signer_infos": [], "fee"}, "signatures": []}`) on stdout, for `trustnet tx sign` on a
// machine that holds the key. No passphrase is asked and nothing is broadcast.
import type { EncodeObject, OfflineDirectSigner, Registry } from "@cosmjs/proto-signing";
import { fromBase64 } from "@cosmjs/encoding";
import type { StdFee } from "@cosmjs/stargate";
import { trustnetRegistry, txJson } from "@trustnet/abci-app";
import { AuthInfo, Tx, TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { isBech32, parseAddress } from "../address.ts";
import { connectQueryClient, connectSigningClient, describeFee, feeAfterSimulation, planFee, translateChainError } from "../chain/index.ts";
import { CliError, TxGenerated } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { resolveKeyName, showKey } from "../keyring/index.ts";
import { feeFlags, type FeeOptions } from "./chain-options.ts";

type GenerateArgs = GlobalOptions & FeeOptions & { readonly from?: string | undefined; readonly memo: string };

/** --from for an unsigned tx: a key name (or the active key), or any trust1… address, in the keyring or not. */
async function generator(a: GenerateArgs): Promise<{ address: string; pubkey: Uint8Array | undefined; label: string }> {
  if (a.from !== undefined && isBech32(a.from)) {
    const address = parseAddress(a.from);
    try {
      const k = await showKey(a.home, address);
      return { address, pubkey: fromBase64(k.pubkey), label: k.name };
    } catch (err) {
      if (err instanceof CliError && err.message.startsWith("no key in ")) return { address, pubkey: undefined, label: address };
      throw err;
    }
  }
  const k = await showKey(a.home, await resolveKeyName(a.home, a.from));
  return { address: k.address, pubkey: fromBase64(k.pubkey), label: k.name };
}

/** The signer's public key for a simulation: the keyring's, else the one its account has on chain. */
async function simulationPubkey(a: GenerateArgs, address: string, known: Uint8Array | undefined): Promise<Uint8Array> {
  if (known) return known;
  const q = await connectQueryClient({ node: a.node, chainId: a["chain-id"] });
  try {
    const pk = (await q.getAccount(address))?.pubkey;
    if (pk && typeof pk.value === "string") return fromBase64(pk.value);
  } finally {
    q.disconnect();
  }
  throw new CliError(`--gas auto simulates the transaction with the signer's public key: ${address} is no key in this keyring and its account has none on chain yet`, {
    hint: "pass a gas limit (e.g. --gas 200000), or generate with the key's name",
  });
}

/** The unsigned tx of `msgs` as the SDK's JSON (rest/tx-json.ts' txJson: what `tx sign` reads back). */
export function unsignedTxJson(msgs: readonly EncodeObject[], memo: string, fee: StdFee, registry: Registry = trustnetRegistry()): Record<string, unknown> {
  const body = TxBody.decode(registry.encodeTxBody({ messages: [...msgs], memo }));
  const authInfo = AuthInfo.fromPartial({ signerInfos: [], fee: { amount: fee.amount.map((c) => ({ denom: c.denom, amount: c.amount })), gasLimit: BigInt(fee.gas), payer: fee.payer ?? "", granter: fee.granter ?? "" } });
  const json = txJson(Tx.encode({ body, authInfo, signatures: [] }).finish());
  if (json === null) throw new Error("unreachable: an encoded tx did not decode");
  return json;
}

/**
 * --generate-only: builds the messages for the --from address, plans the fee (with --gas auto the node simulates it,
 * as the online path does; a fixed --gas needs no node at all), prints the unsigned tx JSON on stdout and stops the
 * command (TxGenerated: exit 0, nothing broadcast).
 */
export async function generateOnly(
  a: GenerateArgs,
  build: (from: string) => EncodeObject | EncodeObject[] | Promise<EncodeObject | EncodeObject[]>,
  registry: Registry | undefined,
): Promise<never> {
  const plan = planFee(feeFlags(a));
  const { address, pubkey, label } = await generator(a);
  const msgs = [await build(address)].flat();
  let fee: StdFee;
  if (plan.kind === "fixed") fee = plan.fee;
  else {
    const key = await simulationPubkey(a, address, pubkey);
    const signer: OfflineDirectSigner = {
      getAccounts: async () => [{ address, algo: "secp256k1", pubkey: key }],
      signDirect: () => Promise.reject(new Error("--generate-only signs nothing")),
    };
    const client = await connectSigningClient({ node: a.node, chainId: a["chain-id"], gasPrice: plan.gasPrice, signer: async () => signer, ...(registry ? { registry } : {}) });
    try {
      fee = feeAfterSimulation(plan, await client.simulate(address, msgs, a.memo));
    } catch (err) {
      throw translateChainError(err, { node: a.node, from: address, gas: "auto" });
    } finally {
      client.disconnect();
    }
  }
  process.stdout.write(`${JSON.stringify(unsignedTxJson(msgs, a.memo, fee, registry))}\n`);
  printerFor(a).info(`Unsigned transaction for ${label === address ? address : `${label}, ${address}`} (${describeFee(fee)}): sign it with \`trustnet tx sign <file> --from <key>\`; nothing was sent`);
  throw new TxGenerated();
}
