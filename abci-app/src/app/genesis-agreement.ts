// Genesis rules that span two modules' sections and that no invariant can state (an invariant holds after every
// block; these hold only at genesis). Pure, like parseAppState: checked before anything is written.
import { ErrInvalidRequest } from "../sdk/errors.ts";
import { valconsAddress, type SlashingGenesis } from "../modules/slashing/index.ts";
import { consAddressOf, type StakingGenesis } from "../modules/staking/index.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/**
 * A new chain's slashing signing infos (and so its missed-blocks lists, which need a signing info) must each name a
 * validator of staking's genesis, by consensus address: a new chain has no removed validators, so any other address
 * is a mistake (a wrong key, a foreign genesis) that would apply to nobody, or to whoever registers that key later.
 * An exported chain (staking's `exported_state`) is not held to it: like the SDK's x/slashing, which keeps a
 * removed validator's signing info (AfterValidatorRemoved drops only the pubkey relation) so that its tombstone
 * outlives it, the export holds signing infos of validators staking no longer knows, and they import as exported.
 */
export function checkSigningInfosNameValidators(genesis: ReadonlyMap<string, unknown>): void {
  const staking = genesis.get("staking") as StakingGenesis | undefined;
  const slashing = genesis.get("slashing") as SlashingGenesis | undefined;
  if (!staking || !slashing || staking.state) return;
  const known = new Set(staking.validators.map((v) => hex(consAddressOf(v.consensusPubkey))));
  for (const { cons } of slashing.signingInfos) {
    if (!known.has(hex(cons))) {
      throw ErrInvalidRequest.wrap(`genesis app_state.slashing: the signing info of ${valconsAddress(cons)} names no validator of app_state.staking's validators (a new chain's signing infos must belong to its genesis validators; only an exported chain keeps those of removed validators)`);
    }
  }
}
