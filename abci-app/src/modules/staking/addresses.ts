import { sha256 } from "@cosmjs/crypto";
import { bech32Address } from "../../sdk/address.ts";

export { VALCONS_PREFIX, VALOPER_PREFIX, valoperAddress, valoperBytes } from "../../sdk/address.ts";

/** The operator's own account (its self-delegation and the signer of its messages). */
export const operatorAccount = (val: Uint8Array): string => bech32Address(val);
/** CometBFT's validator address of an ed25519 key: sha256(pubkey)[:20]. */
export const consAddressOf = (ed25519: Uint8Array): Uint8Array => sha256(ed25519).slice(0, 20);
