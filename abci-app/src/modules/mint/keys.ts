import { utf8 } from "../../sdk/keys.ts";

export const ModuleName = "mint";
/** The SDK's fee collector (authtypes.FeeCollectorName): minted coins go there, distribution takes them next. */
export const FeeCollectorName = "fee_collector";

/** Store layout of the mint module. Only the keeper touches these. Amounts are decimal strings. */
export const Prefix = {
  params: utf8("mint/params"), // -> cosmos.mint.v1beta1.Params
  minter: utf8("mint/minter"), // -> cosmos.mint.v1beta1.Minter (inflation, annual provisions)
  provision: utf8("mint/provision"), // -> this block's provision (the last BeginBlock's)
  minted: utf8("mint/minted"), // -> total minted since genesis
  genesisSupply: utf8("mint/genesis-supply"), // -> the mint denom's supply when the chain started
} as const;
