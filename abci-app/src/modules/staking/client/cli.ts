// `trustnet query staking …`: validators, validator, delegations, unbonding, pool, declared as data (cli/ builds
// the commands). The JSON is the CLI's own camelCase view (rates as short decimals, power in whole TRUST).
import {
  QueryDelegatorDelegationsRequest, QueryDelegatorDelegationsResponse, QueryDelegatorUnbondingDelegationsRequest,
  QueryDelegatorUnbondingDelegationsResponse, QueryPoolResponse, QueryValidatorRequest, QueryValidatorResponse,
  QueryValidatorsRequest, QueryValidatorsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import { bondStatusToJSON, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { PageRequest } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { type AbciQuery, allPages, type CliQuery } from "../../../sdk/client/cli-query.ts";
import { formatTrust } from "../../../sdk/client/display.ts";
import { decShort, isoTime } from "../../../sdk/client/json.ts";

const Q = "/cosmos.staking.v1beta1.Query/";
const STATUS: Readonly<Record<string, string>> = { bonded: "BOND_STATUS_BONDED", unbonding: "BOND_STATUS_UNBONDING", unbonded: "BOND_STATUS_UNBONDED", all: "" };
const DELEGATOR = { name: "delegator", describe: "trust1… address or key name (default: the active key)", kind: "address", optional: true } as const;
const page = (key: Uint8Array | undefined) => (key ? { key, offset: 0n, limit: 0n, countTotal: false, reverse: false } : undefined);
const nextKey = (p: { nextKey: Uint8Array } | undefined): Uint8Array | undefined => p?.nextKey;

/** Every page of one delegator's list (its delegations, its unbonding delegations). */
function delegatorPages<T>(
  query: AbciQuery, method: string, delegatorAddr: string, request: { encode(r: { delegatorAddr: string; pagination?: PageRequest }): { finish(): Uint8Array } },
  decode: (value: Uint8Array) => { readonly items: readonly T[]; readonly nextKey: Uint8Array | undefined },
): Promise<T[]> {
  return allPages(query, `${Q}${method}`, (key) => request.encode({ delegatorAddr, pagination: page(key) }).finish(), decode);
}

function validatorJson(v: Validator) {
  const rates = v.commission.commissionRates;
  return {
    operatorAddress: v.operatorAddress, moniker: v.description.moniker, status: bondStatusToJSON(v.status), jailed: v.jailed,
    tokens: v.tokens, power: (BigInt(v.tokens) / 1_000_000n).toString(),
    consensusPubkey: v.consensusPubkey ? Buffer.from(v.consensusPubkey.value.subarray(2)).toString("base64") : null,
    commission: { rate: decShort(rates.rate), maxRate: decShort(rates.maxRate), maxChangeRate: decShort(rates.maxChangeRate) },
    minSelfDelegation: v.minSelfDelegation, delegatorShares: v.delegatorShares,
  };
}

export const stakingCliQueries: readonly CliQuery[] = [
  {
    name: "validators", describe: "validators, by status (every page is fetched)", args: [],
    options: [{ name: "status", describe: "bond status", choices: Object.keys(STATUS), default: "all" }],
    async run(query, a) {
      const status = STATUS[a.status ?? "all"];
      if (status === undefined) throw new Error(`--status: "${a.status}" is not one of ${Object.keys(STATUS).join(", ")}`);
      const all = await allPages(query, `${Q}Validators`, (key) => QueryValidatorsRequest.encode({ status, pagination: page(key) }).finish(), (value) => {
        const r = QueryValidatorsResponse.decode(value);
        return { items: r.validators, nextKey: nextKey(r.pagination) };
      });
      const rows = all.map(validatorJson);
      return {
        json: { validators: rows },
        text: rows.length === 0 ? "no validators" : rows.map((v) => `${v.operatorAddress}  ${v.status.replace("BOND_STATUS_", "").toLowerCase().padEnd(9)} power ${v.power.padStart(6)}  ${v.jailed ? "JAILED " : ""}${v.moniker}`).join("\n"),
      };
    },
  },
  {
    name: "validator", describe: "one validator (trustvaloper1…, the operator's address, or a key name)", path: `${Q}Validator`,
    args: [{ name: "validator", describe: "trustvaloper1…, the operator's trust1… address, or a key name", kind: "validator" }],
    encode: (a) => QueryValidatorRequest.encode({ validatorAddr: a.validator ?? "" }).finish(),
    format(value) {
      const v = validatorJson(QueryValidatorResponse.decode(value).validator);
      return { json: v, text: Object.entries(v).map(([k, x]) => `${k}: ${typeof x === "object" && x !== null ? JSON.stringify(x) : String(x)}`).join("\n") };
    },
  },
  {
    name: "delegations", describe: "a delegator's delegations (default: the active key)", args: [DELEGATOR],
    async run(query, a) {
      const del = a.delegator ?? "";
      const all = await delegatorPages(query, "DelegatorDelegations", del, QueryDelegatorDelegationsRequest, (value) => {
        const r = QueryDelegatorDelegationsResponse.decode(value);
        return { items: r.delegationResponses, nextKey: nextKey(r.pagination) };
      });
      const rows = all.map((d) => ({ validator: d.delegation.validatorAddress, shares: d.delegation.shares, balance: { denom: d.balance.denom, amount: d.balance.amount } }));
      return {
        json: { delegator: del, delegations: rows },
        text: rows.length === 0 ? `${del} has no delegations` : rows.map((d) => `${d.validator}  ${formatTrust(BigInt(d.balance.amount))}`).join("\n"),
      };
    },
  },
  {
    name: "unbonding", describe: "a delegator's unbonding delegations with their completion times (default: the active key)", args: [DELEGATOR],
    async run(query, a) {
      const del = a.delegator ?? "";
      const all = await delegatorPages(query, "DelegatorUnbondingDelegations", del, QueryDelegatorUnbondingDelegationsRequest, (value) => {
        const r = QueryDelegatorUnbondingDelegationsResponse.decode(value);
        return { items: r.unbondingResponses, nextKey: nextKey(r.pagination) };
      });
      const rows = all.flatMap((u) => u.entries.map((e) => ({
        validator: u.validatorAddress, creationHeight: e.creationHeight.toString(), balance: e.balance, initialBalance: e.initialBalance, completionTime: isoTime(e.completionTime),
      })));
      return {
        json: { delegator: del, entries: rows },
        text: rows.length === 0 ? `${del} has nothing unbonding` : rows.map((e) => `${e.validator}  ${formatTrust(BigInt(e.balance))}  completes ${e.completionTime} (created at height ${e.creationHeight})`).join("\n"),
      };
    },
  },
  {
    name: "pool", describe: "bonded and not-bonded tokens", path: `${Q}Pool`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const { pool: p } = QueryPoolResponse.decode(value);
      return {
        json: { bondedTokens: p.bondedTokens, notBondedTokens: p.notBondedTokens },
        text: `bonded:     ${formatTrust(BigInt(p.bondedTokens))}\nnot bonded: ${formatTrust(BigInt(p.notBondedTokens))}`,
      };
    },
  },
];
