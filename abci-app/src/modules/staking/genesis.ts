import { Description } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import { fromBase64 } from "@cosmjs/encoding";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { readList, readObject } from "../../sdk/genesis-json.ts";
import type { GenesisHandler } from "../../sdk/module.ts";
import { consAddressOf, valoperAddress, valoperBytes } from "./addresses.ts";
import { DEC_ONE, formatDec, parseHumanDec } from "./dec.ts";
import { consKeyOf, sharesOf, type StakingKeeper, tokensOf } from "./keeper.ts";
import { paramsJson, parseParams } from "./params.ts";
import { DefaultParams, type Rates, type StakingCtx, type StakingParams, type StakingState } from "./types.ts";
import { positiveInt, validateDescription } from "./validate.ts";
import { exportStakingState, importStakingState, parseStakingState, stakingStateJson } from "./genesis-state.ts";
import { createValidator } from "./validator.ts";
import { applyValidatorSetUpdates } from "./valset.ts";

/**
 * A genesis validator, the gentx equivalent: the operator's account (funded in bank genesis) self-delegates
 * `self_delegation` to a new validator with this consensus key. InitChain runs these as create-validator and
 * answers the resulting set, which must equal CometBFT's genesis validators.
 */
export interface GenesisValidator {
  readonly operatorAddress: string;
  readonly consensusPubkey: Uint8Array;
  readonly selfDelegation: bigint;
  readonly minSelfDelegation: bigint;
  readonly description: Description;
  readonly rates: Rates;
}

export interface StakingGenesis {
  readonly params: StakingParams;
  /** Genesis validators to create (a new chain); empty when `state` is given. */
  readonly validators: readonly GenesisValidator[];
  /** The full state of an exported chain (`exported_state`): imported as it is, no validator is created. */
  readonly state?: StakingState;
}

// Unknown fields are refused at every level: a misspelt optional field would otherwise silently take its default.
const VALIDATOR_FIELDS = ["operator_address", "consensus_pubkey", "self_delegation", "min_self_delegation", "description", "commission"];
const DESCRIPTION_FIELDS = ["moniker", "identity", "website", "security_contact", "details"];
const COMMISSION_FIELDS = ["rate", "max_rate", "max_change_rate"];

function parseValidator(raw: unknown, i: number): GenesisValidator {
  const g = readObject(raw, `validators[${i}]`, VALIDATOR_FIELDS);
  const w = `validators[${i}]`;
  const operatorAddress = valoperAddress(valoperBytes(String(g.operator_address), `${w}.operator_address`));
  let consensusPubkey: Uint8Array;
  try {
    consensusPubkey = fromBase64(String(g.consensus_pubkey));
  } catch {
    throw ErrInvalidRequest.wrap(`${w}.consensus_pubkey must be a base64 ed25519 key`);
  }
  if (consensusPubkey.length !== 32) throw ErrInvalidRequest.wrap(`${w}.consensus_pubkey must be 32 bytes (ed25519)`);
  const d = readObject(g.description ?? {}, `${w}.description`, DESCRIPTION_FIELDS);
  const description = Description.fromPartial({
    moniker: String(d.moniker ?? ""), identity: String(d.identity ?? ""), website: String(d.website ?? ""),
    securityContact: String(d.security_contact ?? ""), details: String(d.details ?? ""),
  });
  validateDescription(description, true);
  const c = readObject(g.commission ?? {}, `${w}.commission`, COMMISSION_FIELDS);
  const rates = {
    rate: parseHumanDec(String(c.rate ?? "0"), `${w}.commission.rate`),
    maxRate: parseHumanDec(String(c.max_rate ?? "1"), `${w}.commission.max_rate`),
    maxChangeRate: parseHumanDec(String(c.max_change_rate ?? "0.01"), `${w}.commission.max_change_rate`),
  };
  if (rates.maxRate > DEC_ONE || rates.rate > rates.maxRate || rates.maxChangeRate > rates.maxRate) throw ErrInvalidRequest.wrap(`${w}.commission: need rate <= max_rate <= 1 and max_change_rate <= max_rate`);
  const selfDelegation = positiveInt(String(g.self_delegation), `${w}.self_delegation`);
  const minSelfDelegation = positiveInt(String(g.min_self_delegation ?? "1"), `${w}.min_self_delegation`);
  if (selfDelegation < minSelfDelegation) throw ErrInvalidRequest.wrap(`${w}: self_delegation is below min_self_delegation`);
  return { operatorAddress, consensusPubkey, selfDelegation, minSelfDelegation, description, rates };
}

export function stakingGenesis(k: StakingKeeper): GenesisHandler<StakingGenesis> {
  return {
    defaultGenesis: () => ({ params: DefaultParams, validators: [] }),
    validateGenesis(raw) {
      if (raw === undefined) return { params: DefaultParams, validators: [] };
      const g = readObject(raw, "staking genesis", ["params", "validators", "exported_state"]);
      const validators = readList(g.validators, "staking genesis.validators").map(parseValidator);
      const ops = new Map<string, number>();
      const keys = new Map<string, number>();
      validators.forEach((v, i) => {
        const key = Buffer.from(consAddressOf(v.consensusPubkey)).toString("hex");
        const sameOp = ops.get(v.operatorAddress);
        if (sameOp !== undefined) throw ErrInvalidRequest.wrap(`duplicate genesis validator: validators[${i}].operator_address ${v.operatorAddress} is also validators[${sameOp}]'s`);
        const sameKey = keys.get(key);
        if (sameKey !== undefined) throw ErrInvalidRequest.wrap(`duplicate genesis validator: validators[${i}].consensus_pubkey ${Buffer.from(v.consensusPubkey).toString("base64")} is also validators[${sameKey}]'s; two validators may not share one consensus key`);
        ops.set(v.operatorAddress, i);
        keys.set(key, i);
      });
      if (g.exported_state === undefined) return { params: parseParams(g.params), validators };
      if (validators.length > 0) throw ErrInvalidRequest.wrap("staking genesis: give either validators (a new chain) or exported_state (an exported one), not both");
      return { params: parseParams(g.params), validators, state: parseStakingState(g.exported_state) };
    },
    initGenesis(ctx, gs): ValidatorUpdate[] {
      k.setParams(ctx.store, gs.params);
      if (gs.state) return importStakingState(k, ctx, gs.state);
      const sctx: StakingCtx = ctx;
      for (const v of [...gs.validators].sort((a, b) => (a.operatorAddress < b.operatorAddress ? -1 : 1))) {
        createValidator(k, sctx, {
          val: valoperBytes(v.operatorAddress), consKey: v.consensusPubkey, description: v.description, rates: v.rates,
          minSelfDelegation: v.minSelfDelegation, selfDelegation: { denom: gs.params.bondDenom, amount: v.selfDelegation },
        });
      }
      return applyValidatorSetUpdates(k, sctx);
    },
    exportGenesis(ctx) {
      const validators: GenesisValidator[] = [];
      for (const [, v] of k.iterateValidators(ctx.store)) {
        const val = valoperBytes(v.operatorAddress);
        const self = k.getDelegation(ctx.store, valoperBytes(v.operatorAddress), val);
        const c = v.commission.commissionRates;
        validators.push({
          operatorAddress: v.operatorAddress, consensusPubkey: consKeyOf(v), description: v.description,
          selfDelegation: self && sharesOf(v) > 0n ? (BigInt(self.shares) * tokensOf(v)) / sharesOf(v) : 0n, minSelfDelegation: BigInt(v.minSelfDelegation),
          rates: { rate: BigInt(c.rate), maxRate: BigInt(c.maxRate), maxChangeRate: BigInt(c.maxChangeRate) },
        });
      }
      // `validators` is the gentx view of the set (what `trustnet devnet` would write); `state` is what a new chain imports.
      return { params: k.getParams(ctx.store), validators, state: exportStakingState(k, ctx) };
    },
    toJson: (g) => (g.state ? { params: paramsJson(g.params), validators: [], exported_state: stakingStateJson(g.state) } : stakingGenesisJson(g)),
  };
}

/** The JSON form of a staking genesis section (what `trustnet devnet` writes). */
export function stakingGenesisJson(g: StakingGenesis): unknown {
  return {
    params: paramsJson(g.params),
    validators: g.validators.map((v) => ({
      operator_address: v.operatorAddress, consensus_pubkey: Buffer.from(v.consensusPubkey).toString("base64"),
      self_delegation: v.selfDelegation.toString(), min_self_delegation: v.minSelfDelegation.toString(),
      description: { moniker: v.description.moniker, identity: v.description.identity, website: v.description.website, security_contact: v.description.securityContact, details: v.description.details },
      commission: { rate: formatDec(v.rates.rate), max_rate: formatDec(v.rates.maxRate), max_change_rate: formatDec(v.rates.maxChangeRate) },
    })),
  };
}
