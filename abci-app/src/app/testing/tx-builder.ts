// Test and benchmark helper: builds signed Cosmos txs with cosmjs (the same bytes a wallet would send).
import { Secp256k1, sha256 } from "@cosmjs/crypto";
import { encodePubkey, makeAuthInfoBytes, makeSignDoc, makeSignBytes, Registry, type EncodeObject } from "@cosmjs/proto-signing";
import { encodeSecp256k1Pubkey } from "@cosmjs/amino";
import { defaultRegistryTypes } from "@cosmjs/stargate";
import { MsgUnjail } from "cosmjs-types/cosmos/slashing/v1beta1/tx";
import { TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { addressFromPubkey } from "../../sdk/address.ts";
import { registryMsgTypes } from "../../modules/registry/index.ts";
import { leasingMsgTypes } from "../../modules/leasing/index.ts";

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

// cosmjs's default registry has no x/slashing types: MsgUnjail is added the way a wallet adds it.
export const registry = new Registry([...defaultRegistryTypes, ["/cosmos.slashing.v1beta1.MsgUnjail", MsgUnjail], ...[...registryMsgTypes, ...leasingMsgTypes].map((t) => [t.typeUrl, t] as [string, never])]);

export interface SignOptions {
  readonly chainId: string;
  readonly accountNumber: bigint;
  readonly sequence: bigint;
  readonly fee?: readonly { denom: string; amount: string }[];
  readonly gas?: bigint;
  readonly memo?: string;
  readonly timeoutHeight?: bigint;
  readonly timeoutTimestamp?: Date;
}

/** Signs `msgs` with SIGN_MODE_DIRECT exactly as cosmjs' SigningStargateClient does; returns TxRaw bytes. */
export async function signTx(key: TestKey, msgs: readonly EncodeObject[], o: SignOptions): Promise<Uint8Array> {
  const body = registry.encodeTxBody({ messages: [...msgs], memo: o.memo ?? "", timeoutHeight: o.timeoutHeight ?? 0n });
  const bodyBytes = o.timeoutTimestamp
    ? TxBody.encode({ ...TxBody.decode(body), timeoutTimestamp: { seconds: BigInt(Math.floor(o.timeoutTimestamp.getTime() / 1000)), nanos: 0 } }).finish()
    : body;
  return signBodyBytes(key, bodyBytes, o);
}

/** The AuthInfo bytes of a one-signer tx, as cosmjs makes them. */
export function authInfoBytesFor(key: TestKey, o: SignOptions): Uint8Array {
  const gas = o.gas ?? 200_000n;
  const fee = o.fee ?? [{ denom: "utrust", amount: String((gas * 25n + 999n) / 1000n) }];
  return makeAuthInfoBytes([{ pubkey: encodePubkey(encodeSecp256k1Pubkey(key.pubkey)), sequence: o.sequence }], [...fee], Number(gas), undefined, undefined);
}

/** Signs exact body (and optionally AuthInfo) bytes, however crafted, with SIGN_MODE_DIRECT; returns TxRaw bytes. */
export async function signBodyBytes(key: TestKey, bodyBytes: Uint8Array, o: SignOptions, authInfoBytes = authInfoBytesFor(key, o)): Promise<Uint8Array> {
  const signDoc = makeSignDoc(bodyBytes, authInfoBytes, o.chainId, Number(o.accountNumber));
  const sig = await Secp256k1.createSignature(sha256(makeSignBytes(signDoc)), key.privkey);
  return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [new Uint8Array([...sig.r(32), ...sig.s(32)])] }).finish();
}

export function sendMsg(from: string, to: string, amount: string, denom = "utrust"): EncodeObject {
  return { typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: from, toAddress: to, amount: [{ denom, amount }] } };
}
