// SIGN_MODE_DIRECT signing of a one-signer tx with a raw secp256k1 key, exactly as cosmjs' SigningStargateClient does.
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { Secp256k1, sha256 } from "@cosmjs/crypto";
import { encodePubkey, makeAuthInfoBytes, makeSignBytes, makeSignDoc, Registry, type EncodeObject } from "@cosmjs/proto-signing";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { registryMsgTypes } from "../modules/registry/types.ts";
import { leasingMsgTypes } from "../modules/leasing/types.ts";
import { defaultFee } from "./chain.ts";

/** A raw key: 32-byte private key and its 33-byte compressed public key. */
export interface SigningKey {
  readonly privkey: Uint8Array;
  readonly pubkey: Uint8Array;
}

export interface SignerInfo {
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  /** Gas limit; 200,000 by default. */
  readonly gas?: bigint;
  /** The fee; by default the default gas price times `gas`. */
  readonly fee?: readonly { denom: string; amount: string }[];
}

/**
 * cosmjs' Registry with the SDK's messages (stargate's default types; x/slashing's MsgUnjail is not among them and is
 * added the way a wallet adds it) and TrustNet's own (registry, leasing).
 */
export function trustnetRegistry(): Registry {
  return new Registry([
    ...defaultRegistryTypes, ["/cosmos.slashing.v1beta1.MsgUnjail", MsgUnjail],
    ...[...registryMsgTypes, ...leasingMsgTypes].map((t) => [t.typeUrl, t] as [string, never]),
  ]);
}

const registry = trustnetRegistry();

/** TxBody bytes of `messages`, as cosmjs encodes them. */
export function encodeTxBody(messages: readonly EncodeObject[], memo = "", timeoutHeight = 0n): Uint8Array {
  return registry.encodeTxBody({ messages: [...messages], memo, timeoutHeight });
}

/** The AuthInfo bytes of a one-signer tx, as cosmjs makes them. */
export function authInfoBytes(key: SigningKey, s: SignerInfo): Uint8Array {
  const gas = s.gas ?? 200_000n;
  return makeAuthInfoBytes([{ pubkey: encodePubkey(encodeSecp256k1Pubkey(key.pubkey)), sequence: s.sequence }], [...(s.fee ?? defaultFee(gas))], Number(gas), undefined, undefined);
}

/** Signs exact body (and AuthInfo) bytes over SignDoc{body, auth_info, chain_id, account_number}; returns TxRaw bytes. */
export async function signDirect(key: SigningKey, bodyBytes: Uint8Array, s: SignerInfo, authInfo = authInfoBytes(key, s)): Promise<Uint8Array> {
  const doc = makeSignDoc(bodyBytes, authInfo, s.chainId, Number(s.accountNumber));
  const sig = await Secp256k1.createSignature(sha256(makeSignBytes(doc)), key.privkey);
  return TxRaw.encode({ bodyBytes, authInfoBytes: authInfo, signatures: [new Uint8Array([...sig.r(32), ...sig.s(32)])] }).finish();
}
