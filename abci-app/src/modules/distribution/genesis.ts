import { valoperAddress } from "../../sdk/address.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import type { GenesisHandler } from "../../sdk/module.ts";
import { addDec, equalDec, fromCoins, showDec as show, type DecCoins } from "./dec-coins.ts";
import { distributionGenesisJson, emptyDistributionGenesis, parseDistributionGenesis, type DistributionGenesis } from "./genesis-json.ts";
import type { DistrKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";

export type { DistributionGenesis } from "./genesis-json.ts";
export { distributionGenesisJson } from "./genesis-json.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

function unique(keys: Iterable<string>, what: string): void {
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) throw ErrInvalidRequest.wrap(`distribution genesis: ${what} appears twice`);
    seen.add(k);
  }
}

/**
 * The records must form one F1 state: every validator with current rewards has exactly one outstanding and one
 * commission record, every other record names such a validator, and every historical period's reference count is
 * exactly the references to it (the current period's predecessor, the delegations starting there, the slash events
 * recorded there), so the chain's reference-count invariant holds from the first block.
 */
function checkConsistent(g: DistributionGenesis): void {
  const period = new Map(g.current.map((c) => [hex(c.val), c.rewards.period]));
  unique(g.current.map((c) => hex(c.val)), "a validator in validator_current_rewards");
  const known = (val: Uint8Array, where: string): bigint => {
    const p = period.get(hex(val));
    if (p === undefined) throw ErrInvalidRequest.wrap(`distribution genesis: ${where} names ${valoperAddress(val)}, which has no validator_current_rewards`);
    return p;
  };
  for (const [records, where] of [[g.outstanding, "outstanding_rewards"], [g.commissions, "validator_accumulated_commissions"]] as const) {
    unique(records.map((r) => hex(r.val)), `a validator in ${where}`);
    for (const r of records) known(r.val, where);
    if (records.length !== g.current.length) throw ErrInvalidRequest.wrap(`distribution genesis: every validator needs one ${where} record (${records.length} for ${g.current.length} validators)`);
  }
  unique(g.withdrawAddresses.map((w) => hex(w.delegator)), "a delegator in delegator_withdraw_infos");
  unique(g.historical.map((h) => `${hex(h.val)}/${h.period}`), "a (validator, period) in validator_historical_rewards");
  unique(g.startingInfos.map((s) => `${hex(s.val)}/${hex(s.del)}`), "a (validator, delegator) in delegator_starting_infos");
  unique(g.slashEvents.map((s) => `${hex(s.val)}/${s.event.height}/${s.event.validatorPeriod}`), "a (validator, height, period) in validator_slash_events");
  const refs = new Map<string, number>();
  const ref = (val: Uint8Array, p: bigint, where: string): void => {
    if (p >= known(val, where)) throw ErrInvalidRequest.wrap(`distribution genesis: ${where} of ${valoperAddress(val)} refers to period ${p}, not before its current period`);
    refs.set(`${hex(val)}/${p}`, (refs.get(`${hex(val)}/${p}`) ?? 0) + 1);
  };
  for (const c of g.current) ref(c.val, c.rewards.period - 1n, "validator_current_rewards");
  for (const s of g.startingInfos) ref(s.val, s.info.previousPeriod, "delegator_starting_infos");
  for (const s of g.slashEvents) ref(s.val, s.event.validatorPeriod, "validator_slash_events");
  for (const h of g.historical) {
    const key = `${hex(h.val)}/${h.period}`;
    const n = refs.get(key) ?? 0;
    if (n !== h.rewards.referenceCount) throw ErrInvalidRequest.wrap(`distribution genesis: historical rewards of ${valoperAddress(h.val)} at period ${h.period} have reference_count ${h.rewards.referenceCount} but ${n} references`);
    refs.delete(key);
  }
  const [missing] = refs.keys();
  if (missing !== undefined) throw ErrInvalidRequest.wrap(`distribution genesis: no validator_historical_rewards for referenced period ${missing.split("/")[1]} of ${valoperAddress(Buffer.from(missing.split("/")[0] ?? "", "hex"))}`);
}

/**
 * The distribution genesis (the SDK's x/distribution InitGenesis/ExportGenesis): params, the community pool, the
 * withdraw addresses and every F1 record. A new chain gives only params: the validators' records are then created
 * by staking's hooks while staking's genesis bonds the genesis validators. An exported chain gives every record and
 * staking's `exported_state`, whose import calls no hook, so the records are imported exactly as exported. No coins
 * move: the distribution account's balance comes with bank's genesis and must equal outstanding + community pool.
 */
export function distributionGenesis(k: DistrKeeper): GenesisHandler<DistributionGenesis> {
  return {
    defaultGenesis: () => emptyDistributionGenesis(),
    validateGenesis(raw) {
      const g = parseDistributionGenesis(raw);
      checkConsistent(g);
      return g;
    },
    /** Runs after bank's genesis, so the module account's balance is known. */
    initGenesis(ctx, gs) {
      k.setParams(ctx.store, gs.params);
      k.setCommunityPool(ctx.store, gs.communityPool);
      for (const w of gs.withdrawAddresses) k.setWithdrawAddress(ctx.store, w.delegator, w.withdraw);
      let outstanding: DecCoins = [];
      for (const o of gs.outstanding) {
        k.setOutstanding(ctx.store, o.val, o.rewards);
        outstanding = addDec(outstanding, o.rewards);
      }
      for (const c of gs.commissions) k.setCommission(ctx.store, c.val, c.commission);
      for (const h of gs.historical) k.setHistoricalRewards(ctx.store, h.val, h.period, h.rewards);
      for (const c of gs.current) k.setCurrentRewards(ctx.store, c.val, c.rewards);
      for (const s of gs.startingInfos) k.setStartingInfo(ctx.store, s.val, s.del, s.info);
      for (const s of gs.slashEvents) k.setSlashEvent(ctx.store, s.val, s.event);
      const held = fromCoins(k.bank.getAllBalances(ctx.store, k.bank.moduleAccounts.get(ModuleName).address));
      const expected = addDec(outstanding, gs.communityPool);
      if (!equalDec(held, expected)) {
        throw ErrInvalidRequest.wrap(`distribution genesis: the distribution account holds ${show(held)} but outstanding rewards + community pool is ${show(expected)}`);
      }
    },
    exportGenesis: (ctx) => ({
      params: k.getParams(ctx.store),
      communityPool: k.communityPool(ctx.store),
      withdrawAddresses: [...k.iterateWithdrawAddresses(ctx.store)].map(([delegator, withdraw]) => ({ delegator, withdraw })),
      outstanding: [...k.iterateOutstanding(ctx.store)].map(([val, rewards]) => ({ val, rewards })),
      commissions: [...k.iterateCommission(ctx.store)].map(([val, commission]) => ({ val, commission })),
      historical: [...k.iterateHistorical(ctx.store)].map(([val, period, rewards]) => ({ val, period, rewards })),
      current: [...k.iterateCurrentRewards(ctx.store)].map(([val, rewards]) => ({ val, rewards })),
      startingInfos: [...k.iterateStartingInfos(ctx.store)].map(([val, del, info]) => ({ val, del, info })),
      slashEvents: [...k.iterateAllSlashEvents(ctx.store)].map(([val, event]) => ({ val, event })),
    }),
    toJson: distributionGenesisJson,
  };
}
