// Public surface of @trustnet/abci-app (house rule 19: explicit named exports).
export { messageSigners, moduleCliQueries } from "./app/modules.ts";
// Genesis builders: each module's typed genesis and its JSON form (what `trustnet devnet` writes).
export { authGenesisJson, DefaultAuthParams, parseGasPrice } from "./modules/auth/index.ts";
export { allBalancesOf, bankGenesisJson, bankGenesisOf } from "./modules/bank/index.ts";
export { registryGenesisJson } from "./modules/registry/index.ts";
export { parseStakingParams, stakingGenesisJson } from "./modules/staking/index.ts";
export type { CliQuery, CliQueryArg, CliQueryOption } from "./sdk/client/cli-query.ts";
export { atOneHeight, runCliQuery } from "./sdk/client/cli-query.ts";
export { DECIMALS, DISPLAY_DENOM, formatCoin, formatTrust, utrustToTrust } from "./sdk/client/display.ts";
export { camelCaseKeys, INT64_KEYS, int64Numbers, protoJson } from "./sdk/client/json.ts";
export { STATE_FORMAT_VERSION } from "./app/state-format.ts";
export { blockMaxBytesProblem, LARGEST_MESSAGE_BYTES } from "./app/block-size-limit.ts";
export { TrustNetApp, APP_VERSION, type AppOptions, type ExportedGenesis } from "./app/trustnet-app.ts";
export { addressFromPubkey, BECH32_PREFIX, moduleAddress } from "./sdk/address.ts";
export { registryMsgTypes, registryTypes, validateRegistryNamespace, validateRegistryRepo } from "./modules/registry/index.ts";
export { limitConnectionsPerClient } from "./rest/connection-limit.ts";
export { clientKey } from "./rest/client-key.ts";
export { messageJson } from "./rest/msg-json.ts";
export { txJson } from "./rest/tx-json.ts";
export { MAX_TX_JSON_BYTES, TxJsonError, txFromJson, txFromJsonText, type TxFromJson } from "./rest/tx-from-json.ts";
export { cometRpc as restCometRpc } from "./rest/rpc-client.ts";
export { nodeAnswers, type BlockSearchAnswer, type CometStatus, type NodeAnswers, type TxSearchAnswer } from "./rest/node-answers.ts";
export { Grpc, RestError } from "./sdk/client/rest-errors.ts";
export { MAX_OFFSET } from "./sdk/client/pagination.ts";
export { type MessageCodec } from "./sdk/proto-codec.ts";
export { abciEchoes, serveAbci, type AbciTransport } from "./abci/index.ts";
export { APP_MAIN, APP_NODE_FLAGS, appNodeArgv } from "./app-argv.ts";
export { MAX_MSGS_PER_TX, MAX_TX_BYTES, MAX_TX_JSON_BODY_BYTES } from "./sdk/tx/decode.ts";
export { StateStore } from "./store/index.ts";
export { jsonLogger } from "./log.ts";
export { leasingMsgTypes, leasingTypes, parseSshPublicKey } from "./modules/leasing/index.ts";
export { DefaultLeasingParams, leaseRate, leasingGenesisJson, SUPPORTED_IMAGES, validateProviderAttributes, validateProviderEndpoint, validateSshEndpoint, validateSshKeys } from "./modules/leasing/index.ts";
export {
  fetchEscrow, fetchLease, fetchLeases, fetchParams, fetchProvider, LEASE_STATE_FILTERS, leaseJson, leaseText, leasingCli, parseLeaseId, providerJson, providerText, stateName,
} from "./modules/leasing/index.ts";
export type { AbciQuery, CliQueryResult, HeightQuery } from "./sdk/client/cli-query.ts";
export {
  AbciQueryError, abciRpc, authInfoBytes, cometClient, CometRpc, CometRpcError, CometRpcPool, DEFAULT_CHAIN_ID, DEFAULT_GAS_PRICE, DENOM, defaultFee, encodeTxBody,
  cosmjsRpcClient, NodeUnreachableError, orUndefined, queryClients, RegistryQueryClient, signDirect, trustnetRegistry,
  type AbciQuerier, type AbciQueryResult, type BroadcastResult, type QueryClients, type RpcAnswer, type SignerInfo, type SigningKey, type WaitOptions,
} from "./client/index.ts";
