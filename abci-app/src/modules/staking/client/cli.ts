// `trustnet query staking …`: validators, validator, validator-delegations, validator-unbonding-delegations, delegation,
// delegations, delegator-validators, unbonding, unbonding-delegation, redelegations, redelegation, historical-info, pool,
// params, declared as data (cli/ builds the commands). The JSON keys are snake_case, the proto field names (as every
// CLI JSON document: docs/wallet-cli.md). Every query prints the gateway route's JSON (client/rest.ts's functions, not a
// copy), as `simd query staking … -o json` prints the gRPC response: {"validators": […]} (validators, delegator-validators),
// {"validator": {…}}, {"delegation_response": {…}}, {"delegation_responses": […]}, {"unbond": {…}},
// {"unbonding_responses": […]}, {"redelegation_responses": […]} (redelegations and redelegation; lists: every page read,
// so no pagination), {"hist": {header, valset}}, {"pool": {…}}, {"params": {…}}, a validator with its description, its
// consensus key as a typed Any and its commission's rates. Every LegacyDec (rates, shares) is its 18-place text, as the
// SDK's CLI and the REST routes print it ("0.100000000000000000"). The text output is the CLI's own, for people (power
// in whole TRUST beside the tokens).
import {
  QueryDelegationRequest, QueryDelegationResponse, QueryDelegatorDelegationsRequest, QueryDelegatorDelegationsResponse,
  QueryDelegatorUnbondingDelegationsRequest, QueryDelegatorUnbondingDelegationsResponse, QueryDelegatorValidatorsRequest, QueryDelegatorValidatorsResponse,
  QueryHistoricalInfoRequest, QueryHistoricalInfoResponse, QueryParamsResponse, QueryPoolResponse,
  QueryRedelegationsRequest, QueryRedelegationsResponse, QueryUnbondingDelegationRequest, QueryUnbondingDelegationResponse, QueryValidatorDelegationsRequest,
  QueryValidatorDelegationsResponse, QueryValidatorRequest, QueryValidatorResponse, QueryValidatorsRequest, QueryValidatorsResponse,
  QueryValidatorUnbondingDelegationsRequest, QueryValidatorUnbondingDelegationsResponse,
} from "cosmjs-types/cosmos/staking/v1beta1/query";
import { bondStatusToJSON, type DelegationResponse, type RedelegationResponse, type UnbondingDelegation, type Validator } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { PageRequest } from "cosmjs-types/cosmos/base/query/v1beta1/pagination";
import { type AbciQuery, allPages, type CliQuery, pageAfter, parseHeight } from "../../../sdk/client/cli-query.ts";
import { formatTrust } from "../../../sdk/client/display.ts";
import { decText, protoTimestamp } from "../../../sdk/client/json.ts";
import { delegationJson, historicalInfoJson, paramsJson, poolJson, redelegationJson, unbondingJson, validatorJson } from "./rest.ts";

const Q = "/cosmos.staking.v1beta1.Query/";
const STATUS: Readonly<Record<string, string>> = { bonded: "BOND_STATUS_BONDED", unbonding: "BOND_STATUS_UNBONDING", unbonded: "BOND_STATUS_UNBONDED", all: "" };
/** `--status` also takes the SDK's enum names (what REST's ?status= takes); UNSPECIFIED is no filter, as `all`. */
const STATUS_SYNONYMS: Readonly<Record<string, string>> = { BOND_STATUS_BONDED: "bonded", BOND_STATUS_UNBONDING: "unbonding", BOND_STATUS_UNBONDED: "unbonded", BOND_STATUS_UNSPECIFIED: "all" };
const DELEGATOR = { name: "delegator", describe: "trust1… address or key name (default: the active key)", kind: "address", optional: true } as const;
const VALIDATOR = "trustvaloper1…, the operator's trust1… address, or a key name";
const nextKey = (p: { nextKey: Uint8Array } | undefined): Uint8Array | undefined => p?.nextKey;

const VALIDATOR_ARG = { name: "validator", describe: VALIDATOR, kind: "validator" } as const;
const INT64_MAX = 2n ** 63n - 1n;

/** Every page of one validator's list (its delegations, its unbonding delegations). */
function validatorPages<T>(
  query: AbciQuery, method: string, validatorAddr: string, request: { encode(r: { validatorAddr: string; pagination?: PageRequest }): { finish(): Uint8Array } },
  decode: (value: Uint8Array) => { readonly items: readonly T[]; readonly nextKey: Uint8Array | undefined },
): Promise<T[]> {
  return allPages(query, `${Q}${method}`, (key) => request.encode({ validatorAddr, pagination: pageAfter(key) }).finish(), decode);
}

/** Every page of one delegator's list (its delegations, its unbonding delegations). */
function delegatorPages<T>(
  query: AbciQuery, method: string, delegatorAddr: string, request: { encode(r: { delegatorAddr: string; pagination?: PageRequest }): { finish(): Uint8Array } },
  decode: (value: Uint8Array) => { readonly items: readonly T[]; readonly nextKey: Uint8Array | undefined },
): Promise<T[]> {
  return allPages(query, `${Q}${method}`, (key) => request.encode({ delegatorAddr, pagination: pageAfter(key) }).finish(), decode);
}

/** A validator as the text output shows it (the CLI's view, for people: power in whole TRUST, the commission's rates flat). */
function validatorView(v: Validator) {
  const rates = v.commission.commissionRates;
  return {
    operator_address: v.operatorAddress, moniker: v.description.moniker, status: bondStatusToJSON(v.status), jailed: v.jailed,
    tokens: v.tokens, power: (BigInt(v.tokens) / 1_000_000n).toString(),
    consensus_pubkey: v.consensusPubkey ? Buffer.from(v.consensusPubkey.value.subarray(2)).toString("base64") : null,
    commission: { rate: decText(rates.rate), max_rate: decText(rates.maxRate), max_change_rate: decText(rates.maxChangeRate) },
    min_self_delegation: v.minSelfDelegation, delegator_shares: decText(v.delegatorShares),
  };
}

/** A delegation as the text of `delegations` and `delegation` shows it. */
const delegationView = (d: DelegationResponse) => ({ validator: d.delegation.validatorAddress, shares: decText(d.delegation.shares), balance: { denom: d.balance.denom, amount: d.balance.amount } });

/** One row per entry of an unbonding delegation (the text output's). */
const unbondingRows = (u: UnbondingDelegation) => u.entries.map((e) => ({
  validator: u.validatorAddress, creation_height: e.creationHeight.toString(), balance: e.balance, initial_balance: e.initialBalance, completion_time: protoTimestamp(e.completionTime),
}));

const unbondingText = (del: string, rows: ReturnType<typeof unbondingRows>): string => (rows.length === 0 ? `${del} has nothing unbonding`
  : rows.map((e) => `${e.validator}  ${formatTrust(BigInt(e.balance))}  completes ${e.completion_time} (created at height ${e.creation_height})`).join("\n"));

/** Every page of a delegator's redelegations (optionally of one source and destination). */
function redelegations(query: AbciQuery, delegatorAddr: string, srcValidatorAddr = "", dstValidatorAddr = ""): Promise<RedelegationResponse[]> {
  return allPages<RedelegationResponse>(query, `${Q}Redelegations`, (key) => QueryRedelegationsRequest.encode({ delegatorAddr, srcValidatorAddr, dstValidatorAddr, pagination: pageAfter(key) }).finish(), (value) => {
    const r = QueryRedelegationsResponse.decode(value);
    return { items: r.redelegationResponses, nextKey: nextKey(r.pagination) };
  });
}

/** Every entry of those redelegations, one row each (the text output's). */
function redelegationRows(all: readonly RedelegationResponse[]) {
  return all.flatMap((r) => r.entries.map((e) => ({
    src: r.redelegation.validatorSrcAddress, dst: r.redelegation.validatorDstAddress, creation_height: e.redelegationEntry.creationHeight.toString(),
    initial_balance: e.redelegationEntry.initialBalance, balance: e.balance, shares_dst: decText(e.redelegationEntry.sharesDst), completion_time: protoTimestamp(e.redelegationEntry.completionTime),
  })));
}

const redelegationText = (del: string, rows: ReturnType<typeof redelegationRows>): string => (rows.length === 0 ? `${del} has nothing redelegating`
  : rows.map((e) => `${e.src} -> ${e.dst}  ${formatTrust(BigInt(e.balance))}  completes ${e.completion_time} (created at height ${e.creation_height})`).join("\n"));

export const stakingCliQueries: readonly CliQuery[] = [
  {
    name: "validators", describe: "validators, by status (every page is fetched)", args: [],
    options: [{ name: "status", describe: "bond status (or the SDK's BOND_STATUS_BONDED|UNBONDING|UNBONDED|UNSPECIFIED; UNSPECIFIED is all)", choices: Object.keys(STATUS), synonyms: STATUS_SYNONYMS, default: "all" }],
    async run(query, a) {
      const status = STATUS[a.status ?? "all"];
      if (status === undefined) throw new Error(`--status: "${a.status}" is not one of ${Object.keys(STATUS).join(", ")}`);
      const all = await allPages(query, `${Q}Validators`, (key) => QueryValidatorsRequest.encode({ status, pagination: pageAfter(key) }).finish(), (value) => {
        const r = QueryValidatorsResponse.decode(value);
        return { items: r.validators, nextKey: nextKey(r.pagination) };
      });
      const rows = all.map(validatorView);
      return {
        json: { validators: all.map(validatorJson) },
        text: rows.length === 0 ? "no validators" : rows.map((v) => `${v.operator_address}  ${v.status.replace("BOND_STATUS_", "").toLowerCase().padEnd(9)} power ${v.power.padStart(6)}  ${v.jailed ? "JAILED " : ""}${v.moniker}`).join("\n"),
      };
    },
  },
  {
    name: "validator", describe: "one validator (trustvaloper1…, the operator's address, or a key name)", path: `${Q}Validator`,
    args: [{ name: "validator", describe: "trustvaloper1…, the operator's trust1… address, or a key name", kind: "validator" }],
    encode: (a) => QueryValidatorRequest.encode({ validatorAddr: a.validator ?? "" }).finish(),
    format(value) {
      const { validator } = QueryValidatorResponse.decode(value);
      const v = validatorView(validator);
      return { json: { validator: validatorJson(validator) }, text: Object.entries(v).map(([k, x]) => `${k}: ${typeof x === "object" && x !== null ? JSON.stringify(x) : String(x)}`).join("\n") };
    },
  },
  {
    name: "validator-delegations", aliases: ["delegations-to"], describe: "every delegation to a validator, with what it is worth", args: [VALIDATOR_ARG],
    async run(query, a) {
      const val = a.validator ?? "";
      const all = await validatorPages(query, "ValidatorDelegations", val, QueryValidatorDelegationsRequest, (value) => {
        const r = QueryValidatorDelegationsResponse.decode(value);
        return { items: r.delegationResponses, nextKey: nextKey(r.pagination) };
      });
      const rows = all.map((d) => ({ delegator: d.delegation.delegatorAddress, shares: decText(d.delegation.shares), balance: { denom: d.balance.denom, amount: d.balance.amount } }));
      return {
        json: { delegation_responses: all.map(delegationJson) },
        text: rows.length === 0 ? `${val} has no delegations` : rows.map((d) => `${d.delegator}  ${formatTrust(BigInt(d.balance.amount))}`).join("\n"),
      };
    },
  },
  {
    name: "validator-unbonding-delegations", aliases: ["unbonding-delegations-from"], describe: "every delegator's unbonding from a validator, entry by entry", args: [VALIDATOR_ARG],
    async run(query, a) {
      const val = a.validator ?? "";
      const all = await validatorPages(query, "ValidatorUnbondingDelegations", val, QueryValidatorUnbondingDelegationsRequest, (value) => {
        const r = QueryValidatorUnbondingDelegationsResponse.decode(value);
        return { items: r.unbondingResponses, nextKey: nextKey(r.pagination) };
      });
      const rows = all.flatMap((u) => unbondingRows(u).map(({ validator: _, ...e }) => ({ delegator: u.delegatorAddress, ...e })));
      return {
        json: { unbonding_responses: all.map(unbondingJson) },
        text: rows.length === 0 ? `nothing is unbonding from ${val}`
          : rows.map((e) => `${e.delegator}  ${formatTrust(BigInt(e.balance))}  completes ${e.completion_time} (created at height ${e.creation_height})`).join("\n"),
      };
    },
  },
  {
    name: "delegation", describe: "one delegation: its shares and what they are worth", path: `${Q}Delegation`,
    args: [{ name: "delegator", describe: "trust1… address or key name", kind: "address" }, { name: "validator", describe: VALIDATOR, kind: "validator" }],
    encode: (a) => QueryDelegationRequest.encode({ delegatorAddr: a.delegator ?? "", validatorAddr: a.validator ?? "" }).finish(),
    format(value, a) {
      const r = QueryDelegationResponse.decode(value).delegationResponse;
      if (!r) throw new Error(`the node answered no delegation of ${a.delegator} with ${a.validator}`);
      const d = delegationView(r);
      return { json: { delegation_response: delegationJson(r) }, text: `${a.delegator} has ${formatTrust(BigInt(d.balance.amount))} (${d.shares} shares) with ${d.validator}` };
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
      const rows = all.map(delegationView);
      return {
        json: { delegation_responses: all.map(delegationJson) },
        text: rows.length === 0 ? `${del} has no delegations` : rows.map((d) => `${d.validator}  ${formatTrust(BigInt(d.balance.amount))}`).join("\n"),
      };
    },
  },
  {
    name: "delegator-validators", describe: "the validators a delegator delegates to (default: the active key)", args: [DELEGATOR],
    async run(query, a) {
      const del = a.delegator ?? "";
      const all = await delegatorPages(query, "DelegatorValidators", del, QueryDelegatorValidatorsRequest, (value) => {
        const r = QueryDelegatorValidatorsResponse.decode(value);
        return { items: r.validators, nextKey: nextKey(r.pagination) };
      });
      return { json: { validators: all.map(validatorJson) }, text: all.length === 0 ? `${del} delegates to no validator` : all.map((v) => `${v.operatorAddress}  ${v.description.moniker}`).join("\n") };
    },
  },
  {
    name: "unbonding", aliases: ["unbonding-delegations"], describe: "a delegator's unbonding delegations with their completion times (default: the active key)", args: [DELEGATOR],
    async run(query, a) {
      const del = a.delegator ?? "";
      const all = await delegatorPages(query, "DelegatorUnbondingDelegations", del, QueryDelegatorUnbondingDelegationsRequest, (value) => {
        const r = QueryDelegatorUnbondingDelegationsResponse.decode(value);
        return { items: r.unbondingResponses, nextKey: nextKey(r.pagination) };
      });
      const rows = all.flatMap(unbondingRows);
      return { json: { unbonding_responses: all.map(unbondingJson) }, text: unbondingText(del, rows) };
    },
  },
  {
    name: "unbonding-delegation", describe: "a delegator's unbonding from one validator, entry by entry", path: `${Q}UnbondingDelegation`,
    args: [{ name: "delegator", describe: "trust1… address or key name", kind: "address" }, { name: "validator", describe: VALIDATOR, kind: "validator" }],
    encode: (a) => QueryUnbondingDelegationRequest.encode({ delegatorAddr: a.delegator ?? "", validatorAddr: a.validator ?? "" }).finish(),
    format(value, a) {
      const { unbond } = QueryUnbondingDelegationResponse.decode(value);
      return { json: { unbond: unbondingJson(unbond) }, text: unbondingText(a.delegator ?? "", unbondingRows(unbond)) };
    },
  },
  {
    name: "redelegations", describe: "a delegator's redelegations in progress, entry by entry (default: the active key)", args: [DELEGATOR],
    async run(query, a) {
      const del = a.delegator ?? "";
      const all = await redelegations(query, del);
      return { json: { redelegation_responses: all.map(redelegationJson) }, text: redelegationText(del, redelegationRows(all)) };
    },
  },
  {
    name: "redelegation", describe: "a delegator's redelegation from one validator to another, entry by entry",
    args: [
      { name: "delegator", describe: "trust1… address or key name", kind: "address" },
      { name: "src", describe: `source validator: ${VALIDATOR}`, kind: "validator" },
      { name: "dst", describe: `destination validator: ${VALIDATOR}`, kind: "validator" },
    ],
    check(a) {
      if (a.src !== undefined && a.src === a.dst) throw new Error(`the source and destination validators are the same (${a.src})`);
    },
    async run(query, a) {
      const del = a.delegator ?? "";
      const all = await redelegations(query, del, a.src ?? "", a.dst ?? "");
      return { json: { redelegation_responses: all.map(redelegationJson) }, text: redelegationText(del, redelegationRows(all)) };
    },
  },
  {
    name: "historical-info", describe: "the header and bonded set BeginBlock recorded at a height (the last historicalEntries heights are kept)", path: `${Q}HistoricalInfo`,
    // Not "height": every query's `--height` is the state it reads (cli/src/commands/module-query.ts).
    args: [{ name: "block-height", describe: "the block height whose record to show", kind: "string" }],
    check(a) {
      if (parseHeight(a["block-height"] ?? "", "block-height") > INT64_MAX) throw new Error(`block-height: "${a["block-height"]}" is above ${INT64_MAX} (a block height is an int64)`);
    },
    encode: (a) => QueryHistoricalInfoRequest.encode({ height: BigInt(a["block-height"] ?? "0") }).finish(),
    format(value, a) {
      const { hist } = QueryHistoricalInfoResponse.decode(value);
      if (!hist) throw new Error(`the node answered no historical info for height ${a["block-height"]}`);
      const rows = hist.valset.map(validatorView);
      return {
        json: historicalInfoJson(hist),
        text: [`height ${hist.header.height} at ${protoTimestamp(hist.header.time)} (${hist.header.chainId}), ${rows.length} bonded validator(s):`, ...rows.map((v) => `${v.operator_address}  power ${v.power.padStart(6)}  ${v.moniker}`)].join("\n"),
      };
    },
  },
  {
    name: "pool", describe: "bonded and not-bonded tokens", path: `${Q}Pool`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const { pool: p } = QueryPoolResponse.decode(value);
      return {
        json: poolJson(p),
        text: `bonded:     ${formatTrust(BigInt(p.bondedTokens))}\nnot bonded: ${formatTrust(BigInt(p.notBondedTokens))}`,
      };
    },
  },
  {
    name: "params", describe: "the unbonding time, the validator set's size, entry limits, the bond denom, the minimum commission", path: `${Q}Params`, args: [],
    encode: () => new Uint8Array(),
    format(value) {
      const j = paramsJson(QueryParamsResponse.decode(value).params);
      return { json: { params: j }, text: Object.entries(j).map(([k, v]) => `${k}: ${String(v)}`).join("\n") };
    },
  },
];
