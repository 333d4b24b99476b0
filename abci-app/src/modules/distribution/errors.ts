import { registerError } from "../../sdk/errors.ts";

/** The Cosmos SDK's x/distribution codes (x/distribution/types/errors.go). */
export const ErrEmptyDelegationDistInfo = registerError("distribution", 5, "no delegation distribution info");
export const ErrNoValidatorDistInfo = registerError("distribution", 6, "no validator distribution info");
export const ErrNoValidatorCommission = registerError("distribution", 7, "no validator commission to withdraw");
export const ErrSetWithdrawAddrDisabled = registerError("distribution", 8, "set withdraw address disabled");
export const ErrNoValidatorExists = registerError("distribution", 12, "validator does not exist");
export const ErrNoDelegationExists = registerError("distribution", 13, "delegation does not exist");
