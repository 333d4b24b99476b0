// The public surface of @trustnet/cli for other areas (tests, benches, the installer).
export { ADDRESS_PREFIX, isAddress, parseAddress } from "./address.ts";
export { BASE_DENOM, DECIMALS, DISPLAY_DENOM, MAX_AMOUNT, formatCoin, formatTrust, parseAmount, utrustToTrust } from "./coins.ts";
export {
  CONNECT_TIMEOUT_MS, ChainIdMismatchError, DEFAULT_GAS_ADJUSTMENT, DEFAULT_GAS_PRICE, NOT_CONFIRMED_EXIT_CODE, NodeUnreachableError, TxNotConfirmedError, TxRejectedError,
  connectQueryClient, connectSigningClient, explainTxFailure, feeAfterSimulation, normalizeNodeUrl, parseGasPrice, planFee,
  signBroadcastAndWait, translateChainError, waitForTx,
  type ConnectOptions, type FailureContext, type FeeFlags, type FeePlan, type WaitOptions,
} from "./chain/index.ts";
export {
  CorruptKeystoreError, HD_PATH, KeyExistsError, KeyNotFoundError, PASSPHRASE_ENV, PassphraseError, WrongPassphraseError,
  createKey, deleteKey, deriveKey, exportMnemonic, generateMnemonic, getActiveKey, getSigner, listKeystores, setActiveKey, showKey, unlockKey,
  type CreatedKey, type KeyListing, type PassphraseSource, type UnlockedKey,
} from "./keyring/index.ts";
export { CliError, UsageError } from "./errors.ts";
export { buildCli, main } from "./main.ts";
export { describeError } from "./report-error.ts";
