// The null app: an ABCI application that does no work, served by the project's own ABCI servers (socket or gRPC).
// CheckTx accepts every tx at once (no decode, gas_wanted 0), FinalizeBlock answers code 0 for every tx with a
// constant app hash, Commit returns. Run behind the same CometBFT as TrustNet (bench/lib/null-chain.ts), it measures
// what CometBFT and the out-of-process ABCI hop cost on their own: the ceiling no app behind that hop can pass.
// Bench only: never part of the product.
import { ExecTxResult, type RequestFinalizeBlock, type RequestPrepareProposal } from "cosmjs-types/tendermint/abci/types";
import { BaseApplication } from "../../abci-app/src/abci/index.ts";
import { ABCI_ANSWER_LIMIT_BYTES, proposalTxBytes } from "../../abci-app/src/app/block-answer-budget.ts";

/** The app hash of every block: 32 constant bytes (CometBFT compares it across nodes and replays, never its content). */
export const NULL_APP_HASH = new Uint8Array(32).fill(0x4e);

/** One shared result object: FinalizeBlock does no per-tx work beyond what encoding its answer needs. */
const OK = ExecTxResult.fromPartial({ code: 0 });

export class NullApplication extends BaseApplication {
  /**
   * The mempool already reaped within max_tx_bytes: the proposal is taken as is, up to what one answer of CometBFT's
   * gRPC client may hold (4 MiB, abci-transport.md "The 4 MiB answer"): past it the proposer could never propose.
   */
  override prepareProposal(req: RequestPrepareProposal): { txs: Uint8Array[] } {
    let bytes = 0;
    let n = 0;
    for (const tx of req.txs) {
      bytes += proposalTxBytes(tx.length);
      if (bytes > ABCI_ANSWER_LIMIT_BYTES - 64 * 1024) break;
      n += 1;
    }
    return { txs: n === req.txs.length ? req.txs : req.txs.slice(0, n) };
  }

  override finalizeBlock(req: RequestFinalizeBlock): { txResults: ExecTxResult[]; appHash: Uint8Array } {
    return { txResults: req.txs.map(() => OK), appHash: NULL_APP_HASH };
  }
}
