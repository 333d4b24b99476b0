/**
 * Errors with a permanent (codespace, code), mapped to ABCI `code`/`codespace`/`log` (house rule 9).
 * The `sdk` codes are the Cosmos SDK's (types/errors/errors.go) so that cosmjs and wallets understand them.
 */
export class AppError extends Error {
  override readonly name: string = "AppError";
  readonly codespace: string;
  readonly code: number;
  constructor(codespace: string, code: number, message: string) {
    super(message);
    this.codespace = codespace;
    this.code = code;
  }
}

/** A registered error kind; `.wrap(detail)` produces the SDK-style log "detail: description". */
export interface ErrorKind {
  readonly codespace: string;
  readonly code: number;
  readonly description: string;
  wrap(detail?: string): AppError;
  is(err: unknown): boolean;
}

const registered = new Map<string, ErrorKind>();

export function registerError(codespace: string, code: number, description: string): ErrorKind {
  const id = `${codespace}/${code}`;
  if (registered.has(id)) throw new Error(`error ${id} registered twice`);
  const kind: ErrorKind = {
    codespace,
    code,
    description,
    wrap: (detail) => new AppError(codespace, code, detail ? `${detail}: ${description}` : description),
    is: (err) => err instanceof AppError && err.codespace === codespace && err.code === code,
  };
  registered.set(id, kind);
  return kind;
}

export const SDK = "sdk";
export const ErrTxDecode = registerError(SDK, 2, "tx parse error");
export const ErrInvalidSequence = registerError(SDK, 3, "invalid sequence");
export const ErrUnauthorized = registerError(SDK, 4, "unauthorized");
export const ErrInsufficientFunds = registerError(SDK, 5, "insufficient funds");
export const ErrUnknownRequest = registerError(SDK, 6, "unknown request");
export const ErrInvalidAddress = registerError(SDK, 7, "invalid address");
export const ErrInvalidPubKey = registerError(SDK, 8, "invalid pubkey");
export const ErrUnknownAddress = registerError(SDK, 9, "unknown address");
export const ErrInvalidCoins = registerError(SDK, 10, "invalid coins");
export const ErrOutOfGas = registerError(SDK, 11, "out of gas");
export const ErrMemoTooLarge = registerError(SDK, 12, "memo too large");
export const ErrInsufficientFee = registerError(SDK, 13, "insufficient fee");
export const ErrTooManySignatures = registerError(SDK, 14, "maximum number of signatures exceeded");
export const ErrNoSignatures = registerError(SDK, 15, "no signatures supplied");
export const ErrInvalidRequest = registerError(SDK, 18, "invalid request");
export const ErrTxInMempoolCache = registerError(SDK, 19, "tx already in mempool");
export const ErrTxTooLarge = registerError(SDK, 21, "tx too large");
export const ErrKeyNotFound = registerError(SDK, 22, "key not found");
export const ErrInvalidHeight = registerError(SDK, 26, "invalid height");
export const ErrInvalidChainID = registerError(SDK, 28, "invalid chain-id");
export const ErrInvalidType = registerError(SDK, 29, "invalid type");
export const ErrTxTimeoutHeight = registerError(SDK, 30, "tx timeout height");
export const ErrWrongSequence = registerError(SDK, 32, "incorrect account sequence");
export const ErrNotSupported = registerError(SDK, 37, "feature not supported");
export const ErrNotFound = registerError(SDK, 38, "not found");
export const ErrInvalidGasLimit = registerError(SDK, 41, "invalid gas limit");
export const ErrTxTimeout = registerError(SDK, 42, "tx timeout");

/** Anything that is not an AppError is a bug or corruption: it must not become a silent tx result. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  throw err;
}
