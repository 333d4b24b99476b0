import { sha256 } from "@cosmjs/crypto";
import { BECH32_PREFIX, bech32Address } from "../../sdk/address.ts";

export { VALOPER_PREFIX, valoperAddress, valoperBytes } from "../../sdk/address.ts";
export const VALCONS_PREFIX = `${BECH32_PREFIX}valcons`;

/** The operator's own account (its self-delegation and the signer of its messages). */
export const operatorAccount = (val: Uint8Array): string => bech32Address(val);
/** CometBFT's validator address of an ed25519 key: sha256(pubkey)[:20]. */
export const consAddressOf = (ed25519: Uint8Array): Uint8Array => sha256(ed25519).slice(0, 20);
