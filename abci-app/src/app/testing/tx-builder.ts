// Test and benchmark helper: builds signed Cosmos txs with cosmjs (the same bytes a wallet would send).
import { Secp256k1, sha256 } from "@cosmjs/crypto";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { TxBody } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { addressFromPubkey } from "../../sdk/address.ts";
import { DENOM } from "../../client/chain.ts";
import { encodeTxBody, signDirect, trustnetRegistry, type SignerInfo } from "../../client/sign-direct.ts";

export { authInfoBytes, signDirect } from "../../client/sign-direct.ts";

export interface TestKey {
  readonly privkey: Uint8Array;
  readonly pubkey: Uint8Array;
  readonly address: string;
}

/** A deterministic key from a seed number (tests only). */
export async function testKey(seed: number): Promise<TestKey> {
  const privkey = sha256(new TextEncoder().encode(`trustnet-test-key-${seed}`));
  const { pubkey } = await Secp256k1.makeKeypair(privkey);
  const compressed = Secp256k1.compressPubkey(pubkey);
  return { privkey, pubkey: compressed, address: addressFromPubkey(compressed) };
}

export const registry = trustnetRegistry();

export type SignOptions = SignerInfo & {
  readonly memo?: string;
  readonly timeoutHeight?: bigint;
  readonly timeoutTimestamp?: Date;
};

/** Signs `msgs` with SIGN_MODE_DIRECT exactly as cosmjs' SigningStargateClient does; returns TxRaw bytes. */
export async function signTx(key: TestKey, msgs: readonly EncodeObject[], o: SignOptions): Promise<Uint8Array> {
  const body = encodeTxBody(msgs, o.memo ?? "", o.timeoutHeight ?? 0n);
  const bodyBytes = o.timeoutTimestamp
    ? TxBody.encode({ ...TxBody.decode(body), timeoutTimestamp: { seconds: BigInt(Math.floor(o.timeoutTimestamp.getTime() / 1000)), nanos: 0 } }).finish()
    : body;
  return signDirect(key, bodyBytes, o);
}

export function sendMsg(from: string, to: string, amount: string, denom = DENOM): EncodeObject {
  return { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: from, toAddress: to, amount: [{ denom, amount }] } };
}
