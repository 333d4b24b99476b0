import type { ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import type { GenesisHandler } from "../../sdk/module.ts";
import { tsToMs } from "../../sdk/time.ts";
import { emptySlashingGenesis, parseSlashingGenesis, slashingGenesisJson } from "./genesis-json.ts";
import type { SlashingGenesis } from "./types.ts";
import { DOUBLE_SIGN_JAIL_END_MS } from "./infractions.ts";
import { type SlashingKeeper, valconsAddress } from "./keeper.ts";

export type { SlashingGenesis } from "./types.ts";
export { slashingGenesisJson } from "./genesis-json.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/**
 * The records must form one slashing state, the one the invariants check after every block: one signing info per
 * validator, a missed-blocks list only for a validator with signing info, every missed index inside the window,
 * missed_blocks_counter equal to the indexes missed, and a tombstoned validator jailed until 9999-12-31T23:59:59Z.
 */
function checkConsistent(g: SlashingGenesis): void {
  const infos = new Map<string, ValidatorSigningInfo>();
  for (const { cons, info } of g.signingInfos) {
    if (infos.has(hex(cons))) throw ErrInvalidRequest.wrap(`slashing genesis: signing info of ${info.address} appears twice`);
    infos.set(hex(cons), info);
    if (info.tombstoned && (tsToMs(info.jailedUntil) !== DOUBLE_SIGN_JAIL_END_MS || info.jailedUntil.nanos !== 0)) {
      throw ErrInvalidRequest.wrap(`slashing genesis: ${info.address} is tombstoned, so it must be jailed until 9999-12-31T23:59:59Z`);
    }
  }
  const bits = new Map<string, bigint>();
  for (const { cons, missed } of g.missedBlocks) {
    const info = infos.get(hex(cons));
    if (!info) throw ErrInvalidRequest.wrap(`slashing genesis: missed_blocks of ${valconsAddress(cons)} names a validator without signing info`);
    if (bits.has(hex(cons))) throw ErrInvalidRequest.wrap(`slashing genesis: missed_blocks of ${info.address} appears twice`);
    bits.set(hex(cons), BigInt(missed.length));
    const outside = missed.find((i) => i >= g.params.signedBlocksWindow);
    if (outside !== undefined) throw ErrInvalidRequest.wrap(`slashing genesis: missed block index ${outside} of ${info.address} is outside the window of ${g.params.signedBlocksWindow} blocks`);
  }
  for (const [key, info] of infos) {
    const set = bits.get(key) ?? 0n;
    if (set !== info.missedBlocksCounter) throw ErrInvalidRequest.wrap(`slashing genesis: ${info.address} has missed_blocks_counter ${info.missedBlocksCounter} but ${set} missed blocks`);
  }
}

/**
 * The slashing genesis (the SDK's x/slashing InitGenesis/ExportGenesis): params, every signing info and every
 * validator's missed-blocks bitmap. A new chain gives only params: the genesis validators' signing infos are then
 * created by staking's hook while staking's genesis bonds them. An exported chain gives every record and staking's
 * `exported_state`, whose import calls no hook, so the records are imported exactly as exported (slashing's genesis
 * runs before staking's, in the app's module order).
 */
export function slashingGenesis(k: SlashingKeeper): GenesisHandler<SlashingGenesis> {
  return {
    defaultGenesis: () => emptySlashingGenesis(),
    validateGenesis(raw) {
      const g = parseSlashingGenesis(raw);
      checkConsistent(g);
      return g;
    },
    initGenesis(ctx, gs) {
      k.setParams(ctx.store, gs.params);
      for (const { cons, info } of gs.signingInfos) k.setSigningInfo(ctx.store, cons, info);
      for (const { cons, missed } of gs.missedBlocks) for (const index of missed) k.setMissed(ctx.store, cons, index, true);
    },
    exportGenesis: (ctx) => {
      const signingInfos = [...k.iterateSigningInfos(ctx.store)].map(([key, info]) => ({ cons: key.subarray(key.length - 20), info }));
      return {
        params: k.getParams(ctx.store),
        signingInfos,
        missedBlocks: signingInfos.map(({ cons }) => ({ cons, missed: k.missedIndexes(ctx.store, cons) })),
      };
    },
    toJson: slashingGenesisJson,
  };
}
