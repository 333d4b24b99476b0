import { MisbehaviorType, type Misbehavior, type VoteInfo } from "cosmjs-types/tendermint/abci/types";
import { BlockIDFlag } from "cosmjs-types/tendermint/types/validator";
import type { ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { BlockCtx } from "../../sdk/context.ts";
import { msToTs, tsToMs } from "../../sdk/time.ts";
import { emitEvidenceIgnored, emitLiveness, emitSlash } from "./events.ts";
import { type SlashingKeeper, valconsAddress } from "./keeper.ts";
import { minSignedPerWindow } from "./params.ts";
import type { SlashingParams } from "./types.ts";

/** CometBFT's decisions reach the app one block later: the SDK's ValidatorUpdateDelay. */
const VALIDATOR_UPDATE_DELAY = 1n;
/** A tombstoned validator's jail end: 9999-12-31T23:59:59Z (the SDK's DoubleSignJailEndTime). */
export const DOUBLE_SIGN_JAIL_END_MS = 253402300799000n;

export function newSigningInfo(cons: Uint8Array, startHeight: bigint): ValidatorSigningInfo {
  return { address: valconsAddress(cons), startHeight, indexOffset: 0n, jailedUntil: msToTs(0n), tombstoned: false, missedBlocksCounter: 0n };
}

const signingInfo = (k: SlashingKeeper, ctx: BlockCtx, cons: Uint8Array): ValidatorSigningInfo => k.getSigningInfo(ctx.store, cons) ?? newSigningInfo(cons, ctx.height);

/**
 * x/slashing's HandleValidatorSignature, once per vote of `decided_last_commit`: moves the validator's circular
 * missed-blocks bitmap one slot, and when it has missed more than window - min_signed blocks since at least a
 * window after it started signing, slashes slash_fraction_downtime at the infraction height (height - 2), jails it
 * until block time + downtime_jail_duration and resets its window. Cost: O(1) store operations per vote.
 */
export function handleValidatorSignature(k: SlashingKeeper, ctx: BlockCtx, params: SlashingParams, vote: VoteInfo): void {
  const cons = vote.validator.address;
  const val = k.staking.validatorByConsAddr(ctx.store, cons);
  const v = val && k.staking.getValidator(ctx.store, val);
  if (!v || v.jailed) return; // a jailed validator's (missing) signatures are not tracked; an unknown one has nothing to track
  const info = signingInfo(k, ctx, cons);
  const index = info.indexOffset % params.signedBlocksWindow;
  info.indexOffset++;
  const wasMissed = k.getMissed(ctx.store, cons, index);
  const missed = vote.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT;
  if (missed !== wasMissed) {
    k.setMissed(ctx.store, cons, index, missed);
    info.missedBlocksCounter += missed ? 1n : -1n;
  }
  if (missed) emitLiveness(ctx.events, info.address, info.missedBlocksCounter, ctx.height);
  const maxMissed = params.signedBlocksWindow - minSignedPerWindow(params);
  if (ctx.height > info.startHeight + params.signedBlocksWindow && info.missedBlocksCounter > maxMissed) {
    k.staking.slash(ctx, cons, ctx.height - VALIDATOR_UPDATE_DELAY - 1n, vote.validator.power, params.slashFractionDowntime);
    k.staking.jail(ctx, cons);
    emitSlash(ctx.events, info.address, vote.validator.power, "missing_signature", true);
    info.jailedUntil = msToTs(BigInt(ctx.time.getTime()) + params.downtimeJailDurationMs);
    info.missedBlocksCounter = 0n;
    info.indexOffset = 0n;
    k.clearMissed(ctx.store, cons);
  }
  k.setSigningInfo(ctx.store, cons, info);
}

/**
 * x/evidence's handleEquivocationEvidence (DuplicateVote and LightClientAttack alike): ignored for an unknown or
 * unbonded validator, for evidence older than the consensus max age in blocks *and* in time (CometBFT's expiry
 * rule), and for a validator already tombstoned; otherwise slash_fraction_double_sign of the power it had at the
 * infraction is burned (at infraction height - 1), and the validator is jailed forever and tombstoned.
 */
export function handleEquivocation(k: SlashingKeeper, ctx: BlockCtx, m: Misbehavior): void {
  const cons = m.validator.address;
  const address = valconsAddress(cons);
  const val = k.staking.validatorByConsAddr(ctx.store, cons);
  const v = val && k.staking.getValidator(ctx.store, val);
  if (m.height < 1n || m.height >= ctx.height) return emitEvidenceIgnored(ctx.events, address, m.height, "infraction height is not in the past"); // CometBFT never sends such
  if (!v || v.status === BondStatus.BOND_STATUS_UNBONDED) return emitEvidenceIgnored(ctx.events, address, m.height, "validator unknown or unbonded");
  const ev = k.consensus.evidenceParams(ctx.store);
  const ageBlocks = ctx.height - m.height;
  const ageMs = BigInt(ctx.time.getTime()) - tsToMs(m.time);
  if (ageBlocks > ev.maxAgeNumBlocks && ageMs > ev.maxAgeDurationMs) return emitEvidenceIgnored(ctx.events, address, m.height, "evidence expired");
  const info = signingInfo(k, ctx, cons);
  if (info.tombstoned) return emitEvidenceIgnored(ctx.events, address, m.height, "validator already tombstoned");
  k.staking.slash(ctx, cons, m.height - VALIDATOR_UPDATE_DELAY, m.validator.power, k.getParams(ctx.store).slashFractionDoubleSign);
  k.staking.jail(ctx, cons);
  emitSlash(ctx.events, address, m.validator.power, "double_sign", true);
  info.jailedUntil = msToTs(DOUBLE_SIGN_JAIL_END_MS);
  info.tombstoned = true;
  k.setSigningInfo(ctx.store, cons, info);
}

/** BeginBlock: liveness over the last commit's votes, then the block's evidence (the SDK's x/slashing then x/evidence order). */
export function beginBlocker(k: SlashingKeeper, ctx: BlockCtx): void {
  const params = k.getParams(ctx.store);
  for (const vote of ctx.block.lastCommitVotes) handleValidatorSignature(k, ctx, params, vote);
  for (const m of ctx.block.misbehavior) {
    if (m.type === MisbehaviorType.DUPLICATE_VOTE || m.type === MisbehaviorType.LIGHT_CLIENT_ATTACK) handleEquivocation(k, ctx, m);
  }
}
