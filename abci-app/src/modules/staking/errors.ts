import { registerError } from "../../sdk/errors.ts";

/**
 * The Cosmos SDK's x/staking codes (x/staking/types/errors.go, v0.50+). Where the SDK wraps sdk ErrInvalidRequest
 * (code 18) instead of registering a staking code, so does TrustNet: clients see the same (codespace, code).
 */
export const ErrNoValidatorFound = registerError("staking", 3, "validator does not exist");
export const ErrValidatorOwnerExists = registerError("staking", 4, "validator already exist for this operator address; must use new validator operator address");
export const ErrValidatorPubKeyExists = registerError("staking", 5, "validator already exist for this pubkey; must use new validator pubkey");
export const ErrValidatorPubKeyTypeNotSupported = registerError("staking", 6, "validator pubkey type is not supported");
export const ErrValidatorJailed = registerError("staking", 7, "validator for this address is currently jailed");
export const ErrCommissionUpdateTime = registerError("staking", 12, "commission cannot be changed more than once in 24h");
export const ErrNoDelegation = registerError("staking", 19, "no delegation for (address, validator) tuple");
export const ErrNoUnbondingDelegation = registerError("staking", 26, "no unbonding delegation found");
export const ErrMaxUnbondingDelegationEntries = registerError("staking", 27, "too many unbonding delegation entries for (delegator, validator) tuple");
export const ErrNoRedelegation = registerError("staking", 28, "no redelegation found");
export const ErrTransitiveRedelegation = registerError("staking", 32, "redelegation to this validator already in progress; first redelegation to this validator must complete before next redelegation");
export const ErrMaxRedelegationEntries = registerError("staking", 33, "too many redelegation entries for (delegator, src-validator, dst-validator) tuple");
export const ErrNoHistoricalInfo = registerError("staking", 38, "no historical info found");
