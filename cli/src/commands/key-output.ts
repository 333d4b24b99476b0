// The fields of a key that the Cosmos SDK's `keys add|show|list --output json` print (its KeyOutput), so that a
// script written for an SDK chain's CLI reads ours: `pubkey` is a string holding the key's Any JSON, as there.
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { fromBase64 } from "@cosmjs/encoding";
import { encodePubkey } from "@cosmjs/proto-signing";

export interface KeyOutput {
  readonly name: string;
  /** Where the key is kept: always the SDK's "local" (an encrypted keystore file). */
  readonly type: "local";
  readonly address: string | null;
  /** `{"@type":"/cosmos.crypto.secp256k1.PubKey","key":"<base64>"}` as one string; null for an unreadable keystore. */
  readonly pubkey: string | null;
}

/** `pubkeyBase64`: the keystore's 33-byte compressed secp256k1 key. */
export function sdkPubkeyString(pubkeyBase64: string): string {
  return JSON.stringify({ "@type": encodePubkey(encodeSecp256k1Pubkey(fromBase64(pubkeyBase64))).typeUrl, key: pubkeyBase64 });
}

export function keyOutput(k: { readonly name: string; readonly address: string | undefined; readonly pubkey: string | undefined }): KeyOutput {
  return { name: k.name, type: "local", address: k.address ?? null, pubkey: k.pubkey === undefined ? null : sdkPubkeyString(k.pubkey) };
}
