// Public surface of @trustnet/abci-app (house rule 19: explicit named exports).
export { TrustNetApp, APP_VERSION, type AppOptions } from "./app/trustnet-app.ts";
export { addressFromPubkey, BECH32_PREFIX, moduleAddress } from "./sdk/address.ts";
export { registryMsgTypes, registryTypes } from "./modules/registry/index.ts";
export { type MessageCodec } from "./sdk/proto-codec.ts";
export { serveAbci } from "./abci/index.ts";
export {
  AbciQueryError, abciRpc, authInfoBytes, cometClient, CometRpc, CometRpcError, DEFAULT_CHAIN_ID, DEFAULT_GAS_PRICE, DENOM, defaultFee, encodeTxBody,
  cosmjsRpcClient, NodeUnreachableError, orUndefined, queryClients, RegistryQueryClient, signDirect, trustnetRegistry,
  type AbciQuerier, type AbciQueryResult, type BroadcastResult, type QueryClients, type SignerInfo, type SigningKey, type WaitOptions,
} from "./client/index.ts";
