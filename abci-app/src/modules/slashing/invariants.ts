import type { Invariant } from "../../sdk/module.ts";
import { tsToMs } from "../../sdk/time.ts";
import { DOUBLE_SIGN_JAIL_END_MS } from "./infractions.ts";
import type { SlashingViewKeeper } from "./keeper.ts";

const ok = { broken: false, msg: "" };

/**
 * Checked after every block in tests (full scans, never in block execution):
 * - missed-blocks: each signing info's missed_blocks_counter equals the bits set in its bitmap, all inside the window;
 * - tombstones: a tombstoned validator is jailed until the end of time.
 */
export function slashingInvariants(k: SlashingViewKeeper): Invariant[] {
  return [
    {
      name: "slashing/missed-blocks",
      check(ctx) {
        const window = k.getParams(ctx.store).signedBlocksWindow;
        for (const [key, info] of k.iterateSigningInfos(ctx.store)) {
          const missed = k.missedIndexes(ctx.store, key.subarray(key.length - 20));
          if (BigInt(missed.length) !== info.missedBlocksCounter) return { broken: true, msg: `${info.address}: counter ${info.missedBlocksCounter} != ${missed.length} bits set` };
          if (missed.some((i) => i >= window)) return { broken: true, msg: `${info.address}: a missed bit outside the window ${window}` };
        }
        return ok;
      },
    },
    {
      name: "slashing/tombstones",
      check(ctx) {
        for (const [, info] of k.iterateSigningInfos(ctx.store)) {
          if (info.tombstoned && tsToMs(info.jailedUntil) !== DOUBLE_SIGN_JAIL_END_MS) return { broken: true, msg: `${info.address} is tombstoned but jailed only until ${tsToMs(info.jailedUntil)}` };
        }
        return ok;
      },
    },
  ];
}
