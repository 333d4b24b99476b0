// x/slashing's own types: its params (with the SDK's defaults) and its genesis section. Signing infos and params
// on the wire are the SDK's records (cosmjs-types, cosmos.slashing.v1beta1); params.ts converts between the two.
import type { ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { DEC_ONE } from "../../sdk/dec.ts";

/** x/slashing Params. Decimals are 18-place fixed point. Genesis-only: no message changes them. */
export interface SlashingParams {
  readonly signedBlocksWindow: bigint;
  readonly minSignedPerWindow: bigint;
  readonly downtimeJailDurationMs: bigint;
  readonly slashFractionDoubleSign: bigint;
  readonly slashFractionDowntime: bigint;
}

/** The SDK's defaults (x/slashing/types/params.go). */
export const DefaultParams: SlashingParams = {
  signedBlocksWindow: 100n,
  minSignedPerWindow: DEC_ONE / 2n,
  downtimeJailDurationMs: 600_000n,
  slashFractionDoubleSign: DEC_ONE / 20n,
  slashFractionDowntime: DEC_ONE / 100n,
};

/** One validator's signing info and the indexes its window has missed (ascending). Validators as 20 consensus bytes. */
export interface SlashingGenesis {
  readonly params: SlashingParams;
  readonly signingInfos: readonly { readonly cons: Uint8Array; readonly info: ValidatorSigningInfo }[];
  readonly missedBlocks: readonly { readonly cons: Uint8Array; readonly missed: readonly bigint[] }[];
}
