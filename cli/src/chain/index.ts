export { broadcastAndWait, signBroadcastAndWait, waitForTx, withCtrlC, type WaitOptions } from "./broadcast.ts";
export { CONNECT_TIMEOUT_MS, checkedNode, connectQueryClient, connectSigningClient, normalizeNodeUrl, type ConnectOptions, type NodeTarget } from "./connect.ts";
export { ChainIdMismatchError, NOT_CONFIRMED_EXIT_CODE, NodeUnreachableError, TxNotConfirmedError, TxRejectedError } from "./errors.ts";
export { DEFAULT_GAS_ADJUSTMENT, DEFAULT_GAS_PRICE, DEFAULT_MAX_FEE, describeFee, feeAfterSimulation, feeJson, parseGasPrice, planFee, type FeeFlags, type FeePlan } from "./fees.ts";
export { explainQueryFailure, explainTxFailure, queryFailure, translateChainError, type FailureContext } from "./translate.ts";
