import { type Redelegation, type UnbondingDelegation, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import { addressBytes } from "../../sdk/address.ts";
import { consAddressOf, operatorAccount, valoperAddress, valoperBytes } from "./addresses.ts";
import { DEC_ONE, formatDec, parseWireDec } from "./dec.ts";
import { poolOf, type Pool, unbond } from "./delegation.ts";
import { consKeyOf, sharesOf, type StakingKeeper, tokensOf, tsToMs } from "./keeper.ts";
import { BondedPool, NotBondedPool } from "./keys.ts";
import { POWER_REDUCTION, type StakingCtx } from "./types.ts";

const mulDec = (amount: bigint, fraction: bigint): bigint => (amount * fraction) / DEC_ONE;
const isMature = (ctx: StakingCtx, completion: Parameters<typeof tsToMs>[0]): boolean => tsToMs(completion) <= BigInt(ctx.time.getTime());

function burn(k: StakingKeeper, ctx: StakingCtx, pool: Pool, amount: bigint): void {
  if (amount > 0n) k.bank.burnCoins(ctx, pool, [{ denom: k.getParams(ctx.store).bondDenom, amount }]);
}

/**
 * x/staking's SlashUnbondingDelegation: every entry created at or after the infraction height and not yet mature
 * loses `fraction` of its initial balance (at most its balance), burned from the not-bonded pool. Returns the
 * amount that *should* have been slashed (the SDK's total), which the validator's own cut is reduced by.
 */
export function slashUnbondingDelegation(k: StakingKeeper, ctx: StakingCtx, ubd: UnbondingDelegation, infractionHeight: bigint, fraction: bigint): bigint {
  let total = 0n;
  let burned = 0n;
  const entries = ubd.entries.map((e) => {
    if (e.creationHeight < infractionHeight || isMature(ctx, e.completionTime)) return e;
    const cut = mulDec(BigInt(e.initialBalance), fraction);
    total += cut;
    const balance = BigInt(e.balance);
    const taken = cut < balance ? cut : balance;
    if (taken === 0n) return e;
    burned += taken;
    return { ...e, balance: (balance - taken).toString() };
  });
  if (burned === 0n) return total;
  k.setUnbonding(ctx.store, { ...ubd, entries });
  burn(k, ctx, NotBondedPool, burned);
  return total;
}

/**
 * The moved stake of one redelegation entry may have been undelegated from the destination since (redelegate, then
 * undelegate at once: the escape the SDK closed in v0.50's SlashRedelegation). The delegator's unbonding entries at
 * the destination created since the redelegation and not yet mature are cut first, up to `owed`, burned from the
 * not-bonded pool. Returns what they gave.
 */
function slashUnbondingAtDestination(k: StakingKeeper, ctx: StakingCtx, del: Uint8Array, dst: Uint8Array, since: bigint, owed: bigint): bigint {
  const ubd = k.getUnbonding(ctx.store, del, dst);
  if (!ubd || owed <= 0n) return 0n;
  let left = owed;
  const entries = ubd.entries.map((e) => {
    const balance = BigInt(e.balance);
    if (left === 0n || e.creationHeight < since || isMature(ctx, e.completionTime) || balance === 0n) return e;
    const taken = left < balance ? left : balance;
    left -= taken;
    return { ...e, balance: (balance - taken).toString() };
  });
  const taken = owed - left;
  if (taken === 0n) return 0n;
  k.setUnbonding(ctx.store, { ...ubd, entries });
  burn(k, ctx, NotBondedPool, taken);
  return taken;
}

/**
 * x/staking's SlashRedelegation: for every entry created at or after the infraction height and not yet mature,
 * `fraction` of its initial balance is owed. It comes first from the delegator's unbonding entries at the destination
 * begun since the redelegation (stake moved and then undelegated), the rest by unbonding that share of the entry's
 * shares_dst (at most what the delegation still holds) and burning the tokens from the destination validator's pool.
 * Returns the SDK's total (of the initial balances).
 */
export function slashRedelegation(k: StakingKeeper, ctx: StakingCtx, red: Redelegation, infractionHeight: bigint, fraction: bigint): bigint {
  let total = 0n;
  const burned: Record<Pool, bigint> = { [BondedPool]: 0n, [NotBondedPool]: 0n };
  const del = addressBytes(red.delegatorAddress, "delegator address");
  const dst = valoperBytes(red.validatorDstAddress);
  for (const e of red.entries) {
    if (e.creationHeight < infractionHeight || isMature(ctx, e.completionTime)) continue;
    const owed = mulDec(BigInt(e.initialBalance), fraction);
    total += owed;
    const fromUnbonding = slashUnbondingAtDestination(k, ctx, del, dst, e.creationHeight, owed);
    let shares = mulDec(parseWireDec(e.sharesDst, "shares_dst"), fraction);
    // Only the part not already taken from the unbonding entries is taken from the delegation (the SDK takes both).
    if (fromUnbonding > 0n) shares = (shares * (owed - fromUnbonding)) / owed;
    if (shares === 0n) continue;
    const d = k.getDelegation(ctx.store, del, dst);
    if (!d) continue;
    const held = parseWireDec(d.shares, "shares");
    if (shares > held) shares = held;
    const tokens = unbond(k, ctx, red.delegatorAddress, dst, shares);
    const v = k.getValidator(ctx.store, dst);
    burned[v ? poolOf(v) : NotBondedPool] += tokens;
  }
  burn(k, ctx, BondedPool, burned[BondedPool]);
  burn(k, ctx, NotBondedPool, burned[NotBondedPool]);
  return total;
}

/**
 * x/staking's Slash: `fraction` (18-place decimal) of the stake the validator had at `infractionHeight`
 * (`power` x 10^6 tokens) is burned. Unbonding delegations and redelegations away from it that began at or after
 * the infraction are cut first (their share of that stake left after the infraction); the rest comes from the
 * validator's tokens, burned from its pool; the registered hooks' beforeValidatorSlashed runs just before, with the
 * effective fraction. Cost: the
 * validator's own unbonding and redelegation entries (an infraction is rare; never per block).
 * Returns the tokens burned from the validator itself.
 */
export function slash(k: StakingKeeper, ctx: StakingCtx, cons: Uint8Array, infractionHeight: bigint, power: bigint, fraction: bigint): bigint {
  if (fraction < 0n || fraction > DEC_ONE) throw new Error(`slash fraction ${formatDec(fraction)} is outside [0, 1]`);
  if (infractionHeight > ctx.height) throw new Error(`cannot slash for an infraction at ${infractionHeight} in the future of ${ctx.height}`);
  const val = k.validatorByConsAddr(ctx.store, cons);
  const v0 = val && k.getValidator(ctx.store, val);
  if (!val || !v0) return 0n; // a validator that was removed (unbonded, no shares) cannot be slashed: the SDK logs and returns
  let remaining = mulDec(power * POWER_REDUCTION, fraction);
  if (infractionHeight < ctx.height) {
    for (const [, ubd] of [...k.unbondingsFrom(ctx.store, val)]) remaining -= slashUnbondingDelegation(k, ctx, ubd, infractionHeight, fraction);
    for (const red of [...k.redelegationsFrom(ctx.store, val)]) remaining -= slashRedelegation(k, ctx, red, infractionHeight, fraction);
  }
  const v = k.getValidator(ctx.store, val) ?? v0; // the redelegation slash may have touched it (self-redelegation into itself is refused)
  const tokens = tokensOf(v);
  const cut = remaining <= 0n ? 0n : remaining < tokens ? remaining : tokens;
  // The hooks see the fraction of the validator's tokens actually burned, rounded up (the SDK's QuoRoundUp, capped
  // at 1): distribution scales its F1 stakes by it, so a recorded stake never exceeds what the delegation is worth.
  if (tokens > 0n) {
    const effective = (cut * DEC_ONE + tokens - 1n) / tokens;
    for (const h of k.hooks) h.beforeValidatorSlashed?.(ctx, val, effective > DEC_ONE ? DEC_ONE : effective);
  }
  if (cut > 0n) {
    k.setValidator(ctx.store, val, { ...v, tokens: (tokens - cut).toString() }, v);
    burn(k, ctx, poolOf(v), cut);
  }
  ctx.events.emit("slash", { validator: valoperAddress(val), fraction: formatDec(fraction), infraction_height: infractionHeight.toString(), burned: cut.toString() });
  return cut;
}

function byCons(k: StakingKeeper, ctx: StakingCtx, cons: Uint8Array): [Uint8Array, Validator] {
  const val = k.validatorByConsAddr(ctx.store, cons);
  const v = val && k.getValidator(ctx.store, val);
  if (!val || !v) throw new Error(`no validator with consensus address ${Buffer.from(cons).toString("hex")}`);
  return [val, v];
}

/** x/staking's Jail: the validator leaves the power index now and the set (power 0) at this block's EndBlock. */
export function jail(k: StakingKeeper, ctx: StakingCtx, cons: Uint8Array): void {
  const [val, v] = byCons(k, ctx, cons);
  if (v.jailed) return;
  k.setValidator(ctx.store, val, { ...v, jailed: true }, v);
  ctx.events.emit("jail", { validator: valoperAddress(val) });
}

/** x/staking's Unjail: back in the power index; EndBlock bonds it again if it ranks in the top max_validators. */
export function unjail(k: StakingKeeper, ctx: StakingCtx, cons: Uint8Array): void {
  const [val, v] = byCons(k, ctx, cons);
  if (!v.jailed) throw new Error(`validator ${valoperAddress(val)} is not jailed`);
  k.setValidator(ctx.store, val, { ...v, jailed: false }, v);
  ctx.events.emit("unjail", { validator: valoperAddress(val) });
}

/** The operator's self-delegation in tokens (truncated), for MsgUnjail's minimum check; undefined without one. */
export function selfDelegationTokens(k: StakingKeeper, store: StakingCtx["store"], val: Uint8Array): bigint | undefined {
  const v = k.getValidator(store, val);
  const d = v && k.getDelegation(store, val, val);
  if (!v || !d) return undefined;
  const shares = sharesOf(v);
  return shares === 0n ? 0n : (parseWireDec(d.shares, "shares") * tokensOf(v)) / shares;
}

/** What x/slashing uses of staking (its expected StakingKeeper), bound to this keeper; the app wires it. */
export function stakingSlashingKeeper(k: StakingKeeper) {
  return {
    validatorByConsAddr: (store: StakingCtx["store"], cons: Uint8Array): Uint8Array | undefined => k.validatorByConsAddr(store, cons),
    getValidator: (store: StakingCtx["store"], val: Uint8Array): Validator | undefined => k.getValidator(store, val),
    consAddress: (v: Validator): Uint8Array => consAddressOf(consKeyOf(v)),
    selfDelegationTokens: (store: StakingCtx["store"], val: Uint8Array): bigint | undefined => selfDelegationTokens(k, store, val),
    slash: (ctx: StakingCtx, cons: Uint8Array, infractionHeight: bigint, power: bigint, fraction: bigint): bigint => slash(k, ctx, cons, infractionHeight, power, fraction),
    jail: (ctx: StakingCtx, cons: Uint8Array): void => jail(k, ctx, cons),
    unjail: (ctx: StakingCtx, cons: Uint8Array): void => unjail(k, ctx, cons),
    valoperBytes: (address: string): Uint8Array => valoperBytes(address),
    operatorAccount: (val: Uint8Array): string => operatorAccount(val),
  };
}
