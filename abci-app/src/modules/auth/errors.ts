// The errors x/auth answers. As in the Cosmos SDK, they are the root codespace's (`sdk`, types/errors): the ante
// handler refuses a tx with these codes, which wallets and cosmjs already know. auth registers no codespace of its own.
export {
  ErrInsufficientFee, ErrInvalidGasLimit, ErrInvalidPubKey, ErrMemoTooLarge, ErrNoSignatures, ErrTooManySignatures, ErrTxTimeout,
  ErrTxTimeoutHeight, ErrUnauthorized, ErrUnknownAddress, ErrWrongSequence,
} from "../../sdk/errors.ts";
