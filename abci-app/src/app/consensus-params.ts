import { EvidenceParams } from "cosmjs-types/tendermint/types/params";
import type { ConsensusParams } from "cosmjs-types/tendermint/types/params";
import type { EvidenceParams as SlashingEvidenceParams } from "../modules/slashing/index.ts";
import { utf8 } from "../sdk/keys.ts";
import { durationToMs } from "../sdk/time.ts";
import type { KVReader, KVStore } from "../store/index.ts";

const EVIDENCE_KEY = utf8("consensus/evidence");

/** CometBFT's default evidence max age (types/params.go DefaultEvidenceParams): 100000 blocks and 48 h. */
export const DEFAULT_EVIDENCE: SlashingEvidenceParams = { maxAgeNumBlocks: 100_000n, maxAgeDurationMs: 48n * 3600n * 1000n };

/**
 * The chain's consensus parameters the state machine reads (the SDK's x/consensus, reduced to what is used): the
 * evidence max age, stored in state at InitChain from RequestInitChain.consensus_params. The app never answers
 * consensus_param_updates, so the genesis value is the chain's value.
 */
export class ConsensusParamsKeeper {
  initFrom(store: KVStore, p: ConsensusParams | undefined): void {
    if (p?.evidence) store.set(EVIDENCE_KEY, EvidenceParams.encode(p.evidence).finish());
  }

  evidenceParams(store: KVReader): SlashingEvidenceParams {
    const raw = store.get(EVIDENCE_KEY);
    if (!raw) return DEFAULT_EVIDENCE;
    const e = EvidenceParams.decode(raw);
    return { maxAgeNumBlocks: e.maxAgeNumBlocks, maxAgeDurationMs: durationToMs(e.maxAgeDuration) };
  }
}
