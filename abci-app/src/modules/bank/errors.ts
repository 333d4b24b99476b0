import { registerError } from "../../sdk/errors.ts";

export const ErrNoInputs = registerError("bank", 2, "no inputs to send transaction");
export const ErrNoOutputs = registerError("bank", 3, "no outputs to send transaction");
export const ErrInputOutputMismatch = registerError("bank", 4, "sum inputs != sum outputs");
export const ErrMultipleSenders = registerError("bank", 9, "multiple senders not allowed");
