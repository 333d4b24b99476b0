import { registerError } from "../../sdk/errors.ts";

/** The Cosmos SDK's x/slashing codes (x/slashing/types/errors.go): clients see the same (codespace, code). */
export const ErrNoValidatorForAddress = registerError("slashing", 2, "address is not associated with any known validator");
export const ErrValidatorJailed = registerError("slashing", 4, "validator still jailed; cannot be unjailed");
export const ErrValidatorNotJailed = registerError("slashing", 5, "validator not jailed; cannot be unjailed");
export const ErrMissingSelfDelegation = registerError("slashing", 6, "validator has no self-delegation; cannot be unjailed");
export const ErrSelfDelegationTooLowToUnjail = registerError("slashing", 7, "validator's self delegation less than minimum; cannot be unjailed");
export const ErrNoSigningInfoFound = registerError("slashing", 8, "no validator signing info found");
