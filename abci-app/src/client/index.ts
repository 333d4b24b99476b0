// The chain client: what every program that talks to TrustNet uses (registry, CLI, REST, benchmarks, tests).
export { DEFAULT_CHAIN_ID, DEFAULT_GAS_PRICE, DENOM, defaultFee } from "./chain.ts";
export { CometRpc, CometRpcError, CometRpcPool, NodeUnreachableError, type AbciQueryResult, type BroadcastResult, type RpcAnswer, type RpcErrorBody, type WaitOptions } from "./comet-rpc.ts";
export { AbciQueryError, abciRpc, orUndefined, queryClients, RegistryQueryClient, type AbciQuerier, type QueryClients } from "./query-clients.ts";
export { authInfoBytes, encodeTxBody, signDirect, trustnetRegistry, type SignerInfo, type SigningKey } from "./sign-direct.ts";
export { cometClient, cosmjsRpcClient } from "./cosmjs-client.ts";
