import { concatBytes, utf8 } from "../../sdk/keys.ts";

export const ModuleName = "auth";
/** The module account transaction fees are paid into (declared by this module in its descriptor; bank guards it). */
export const FeeCollectorName = "fee_collector";
/** Store layout of the auth module. Only the keeper touches these (house rule 4). */
export const Prefix = {
  account: utf8("auth/a/"), // + raw address -> BaseAccount (protobuf)
  nextAccountNumber: utf8("auth/n"), // -> decimal string
  params: utf8("auth/p"), // -> cosmos.auth.v1beta1.Params (protobuf)
  minGasPrice: utf8("auth/g"), // -> "<decimal><denom>"
} as const;

export function accountKey(raw: Uint8Array): Uint8Array {
  return concatBytes(Prefix.account, raw);
}
