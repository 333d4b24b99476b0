// `trustnet tx slashing unjail` and `trustnet query slashing signing-info|params`: the Cosmos SDK's x/slashing
// (/cosmos.slashing.v1beta1.*), through cosmjs's setupSlashingExtension.
import type { Argv, CommandModule } from "yargs";
import { sha256 } from "@cosmjs/crypto";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { Registry } from "@cosmjs/proto-signing";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import type { ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { ADDRESS_PREFIX } from "../address.ts";
import { UsageError } from "../errors.ts";
import { printerFor, type GlobalOptions } from "../global-options.ts";
import { valoperOf } from "../staking-args.ts";
import { rate, withChainQueries } from "./chain-queries.ts";
import { common, resolveValidator, signAndSend, type TxArgs } from "./staking-tx.ts";

const UNJAIL = "/cosmos.slashing.v1beta1.MsgUnjail";
const VALCONS_PREFIX = `${ADDRESS_PREFIX}valcons`;
/** cosmjs's default registry lacks x/slashing: MsgUnjail is added as a wallet adds it. */
const registry = new Registry([...defaultRegistryTypes, [UNJAIL, MsgUnjail]]);
const dec = (b: Uint8Array): string => rate(new TextDecoder().decode(b));
const iso = (t: { seconds: bigint; nanos: number }): string => new Date(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6)).toISOString();

const unjail: CommandModule<GlobalOptions, TxArgs> = {
  command: "unjail",
  describe: "bring the --from key's validator back into the set after its downtime jail time (a tombstoned one never returns)",
  builder: (y) => common(y).example("$0 tx slashing unjail --from validator", "") as unknown as Argv<TxArgs>,
  handler: async (a) => {
    await signAndSend(a, (from) => ({ typeUrl: UNJAIL, value: MsgUnjail.fromPartial({ validatorAddr: valoperOf(from) }) }), "Unjailing the validator", registry);
  },
};

export const slashingTxCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "slashing <command>",
  describe: "validator liveness (Cosmos x/slashing messages)",
  builder: (y) => y.command(unjail as unknown as CommandModule<GlobalOptions, GlobalOptions>).demandCommand(1, "name a slashing transaction"),
  handler: () => undefined,
};

function infoJson(i: ValidatorSigningInfo) {
  return {
    address: i.address, startHeight: i.startHeight.toString(), indexOffset: i.indexOffset.toString(), jailedUntil: iso(i.jailedUntil),
    tombstoned: i.tombstoned, missedBlocksCounter: i.missedBlocksCounter.toString(),
  };
}

type InfoArgs = GlobalOptions & { validator: string };

const signingInfo: CommandModule<GlobalOptions, InfoArgs> = {
  command: "signing-info <validator>",
  describe: "a validator's liveness record: missed blocks in the window, jailed until, tombstoned",
  builder: (y) => y.positional("validator", { type: "string", demandOption: true, describe: `${VALCONS_PREFIX}1…, ${ADDRESS_PREFIX}valoper1…, the operator's ${ADDRESS_PREFIX}1… address, or a key name` }) as unknown as Argv<InfoArgs>,
  handler: async (a) => {
    const info = await withChainQueries(a, async (q) => {
      let cons = a.validator;
      if (!cons.toLowerCase().startsWith(`${VALCONS_PREFIX}1`)) {
        const { validator } = await q.staking.validator(await resolveValidator(a.home, a.validator));
        cons = toBech32(VALCONS_PREFIX, sha256(PubKey.decode(validator.consensusPubkey?.value ?? new Uint8Array()).key).slice(0, 20));
      } else {
        try {
          fromBech32(cons, 90);
        } catch {
          throw new UsageError(`"${cons}" is not a valid ${VALCONS_PREFIX} address`);
        }
      }
      return (await q.slashing.signingInfo(cons)).valSigningInfo;
    });
    const j = infoJson(info);
    printerFor(a).result(j, () => [
      `${j.address}: ${j.missedBlocksCounter} missed in the window (signing since height ${j.startHeight})`,
      j.tombstoned ? "TOMBSTONED: jailed forever (double sign)" : new Date(j.jailedUntil).getTime() > 0 ? `jailed until ${j.jailedUntil}` : "never jailed for downtime",
    ].join("\n"));
  },
};

const params: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "params",
  describe: "the liveness window, the jail time and the slash fractions",
  handler: async (a) => {
    const p = (await withChainQueries(a, (q) => q.slashing.params())).params;
    if (!p) throw new Error("the node answered no slashing params");
    const j = {
      signedBlocksWindow: p.signedBlocksWindow.toString(), minSignedPerWindow: dec(p.minSignedPerWindow),
      downtimeJailDuration: `${p.downtimeJailDuration.seconds}s`, slashFractionDoubleSign: dec(p.slashFractionDoubleSign), slashFractionDowntime: dec(p.slashFractionDowntime),
    };
    printerFor(a).result(j, () => Object.entries(j).map(([k, v]) => `${k}: ${v}`).join("\n"));
  },
};

export const slashingQueryCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "slashing <command>",
  describe: "validator signing info and slashing parameters",
  builder: (y) => y
    .command(signingInfo as unknown as CommandModule<GlobalOptions, GlobalOptions>)
    .command(params)
    .demandCommand(1, "name a slashing query"),
  handler: () => undefined,
};
