// `trustnet validator join`: turns this home's synced full node (`trustnet node init|start`) into a validator in one
// command — waits until the node has caught up, sends MsgCreateValidator with the node's own consensus key
// (priv_validator_key.json) signed by --from, and waits until CometBFT's /validators on that node lists it.
import { join } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { CliError } from "../errors.ts";
import { CometRpc } from "@trustnet/abci-app";
import { nodeStatus } from "../devnet/rpc.ts";
import { sleep } from "../devnet/process-util.ts";
import { fullNodeLayout, nodeRpcUrl, readFullNode } from "../fullnode/init.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { valoperOf } from "../staking-args.ts";
import { common, createValidatorMsg, readPubkey, sendStakingTx, validatorOptions, type ValidatorArgs } from "./staking-tx.ts";

type JoinArgs = Omit<ValidatorArgs, "moniker"> & { moniker?: string; timeout: number };

interface CometValidator { readonly pub_key: { readonly value: string }; readonly voting_power: string }

/** Polls `check` every second until it returns a value; `progress` is shown at most every 5 s. */
async function until<T>(what: string, timeoutS: number, check: () => Promise<{ done: T | undefined; progress: string }>, info: (l: string) => void): Promise<T> {
  const end = Date.now() + timeoutS * 1000;
  let shown = 0;
  for (;;) {
    const r = await check().catch((err: unknown) => ({ done: undefined, progress: `node not answering (${err instanceof Error ? err.message : String(err)})` }));
    if (r.done !== undefined) return r.done;
    if (Date.now() - shown >= 5000) {
      info(`  ${what}: ${r.progress}`);
      shown = Date.now();
    }
    if (Date.now() > end) throw new CliError(`timed out after ${timeoutS} s ${what} (${r.progress})`, { hint: "is 'trustnet node start' running for this home? see its logs" });
    await sleep(1000);
  }
}

const join_: CommandModule<GlobalOptions, JoinArgs> = {
  command: "join",
  describe: "make this home's full node a validator: wait for sync, create-validator with its consensus key, wait for /validators",
  builder: (y) => validatorOptions(common(y), false)
    .option("timeout", { type: "number", default: 600, describe: "seconds to wait for the sync, and again for the validator set" })
    .example("$0 validator join --home ~/n1 --from me --amount 10TRUST --moniker n1", "") as unknown as Argv<JoinArgs>,
  handler: async (a) => {
    const p = printerFor(a);
    const m = await readFullNode(a.home);
    const rpc = nodeRpcUrl(m);
    p.info(`Waiting for node ${m.moniker} (${rpc}) to catch up …`);
    const synced = await until("syncing", a.timeout, async () => {
      const s = await nodeStatus(rpc);
      return { done: !s.catchingUp && s.height > 0n ? s.height : undefined, progress: `height ${s.height}${s.catchingUp ? ", catching up" : ""}` };
    }, p.info);
    p.info(`  caught up at height ${synced}`);
    const keyFile = join(fullNodeLayout(a.home).cometHome, "config", "priv_validator_key.json");
    const key = await readPubkey(keyFile);
    const pub = Buffer.from(key).toString("base64");
    const args: ValidatorArgs = { ...a, moniker: a.moniker ?? m.moniker, node: rpc, "chain-id": m.chainId };
    const { msg, summary } = createValidatorMsg(args, key);
    const { res, from, fee } = await sendStakingTx(args, msg, summary);
    p.info(`  MsgCreateValidator committed at height ${res.height} (tx ${res.hash}); waiting for CometBFT's validator set …`);
    const power = await until("joining the validator set", a.timeout, async () => {
      const r = await new CometRpc(rpc, 2000).call<{ block_height: string; validators: CometValidator[] }>("validators", { per_page: "100" });
      const me = r.validators.find((v) => v.pub_key.value === pub);
      return { done: me?.voting_power, progress: `height ${r.block_height}, ${r.validators.length} validators, not yet in the set` };
    }, p.info);
    const out = { moniker: args.moniker, operator: valoperOf(from), consensus_pubkey: pub, txhash: res.hash, height: String(res.height), fee, voting_power: power, node: rpc };
    p.result(out, () => [`${out.moniker} is a validator: voting power ${power}`, `operator: ${out.operator}`, `consensus key: ${pub}`, `txhash: ${res.hash} (height ${res.height})`].join("\n"));
  },
};

export const validatorCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "validator <command>",
  describe: "run this home's node as a validator (join)",
  builder: (y) => y.command(join_ as unknown as CommandModule<GlobalOptions, GlobalOptions>).demandCommand(1, "name a validator command"),
  handler: () => undefined,
};
