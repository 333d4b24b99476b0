// For specs: checks an encoder of ABCI answers against cosmjs-types, byte for byte (response-encoder.spec.ts and the
// app's response-encoding.spec.ts, which feeds it real FinalizeBlock and CheckTx answers).
import { ResponseCheckTx, ResponseFinalizeBlock } from "cosmjs-types/tendermint/abci/types";

/** The reference: what the transports sent before response-encoder.ts (fromPartial, then encode). */
export const cosmjsFinalizeBlock = (a: Partial<ResponseFinalizeBlock>): Uint8Array => ResponseFinalizeBlock.encode(ResponseFinalizeBlock.fromPartial(a)).finish();
export const cosmjsCheckTx = (a: Partial<ResponseCheckTx>): Uint8Array => ResponseCheckTx.encode(ResponseCheckTx.fromPartial(a)).finish();

/**
 * Encodes every answer with `encoder` and with `reference`; throws, naming the first answer and byte that differ,
 * unless all are identical. Returns how many answers were compared.
 */
export function answersEncodeAsCosmjs<A>(encoder: (a: A) => Uint8Array, reference: (a: A) => Uint8Array, answers: readonly A[]): number {
  answers.forEach((answer, i) => {
    const got = encoder(answer);
    const want = reference(answer);
    if (Buffer.compare(Buffer.from(got), Buffer.from(want)) === 0) return;
    let at = 0;
    while (at < got.length && at < want.length && got[at] === want[at]) at++;
    throw new Error(`answer ${i} encodes differently from cosmjs-types: ${got.length} vs ${want.length} bytes, first difference at byte ${at}`);
  });
  return answers.length;
}
