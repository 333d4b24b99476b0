// CometBFT RPC JSON (hashes as upper-case hex, enums as numbers) → the SDK gateway's JSON for the same protos
// (bytes base64, enums by name), for base/tendermint's blocks, node_info and validator sets.
import { toBech32 } from "@cosmjs/encoding";
import { JsonBytes } from "../sdk/client/route-table.ts";

const b64 = (hex: string | undefined | null): string => Buffer.from(hex ?? "", "hex").toString("base64");
const FLAG = ["BLOCK_ID_FLAG_UNKNOWN", "BLOCK_ID_FLAG_ABSENT", "BLOCK_ID_FLAG_COMMIT", "BLOCK_ID_FLAG_NIL"];

export interface CometBlockId { hash: string; parts: { total: number; hash: string } }
export interface CometHeader {
  version: { block: string; app?: string }; chain_id: string; height: string; time: string; last_block_id: CometBlockId;
  last_commit_hash: string; data_hash: string; validators_hash: string; next_validators_hash: string; consensus_hash: string;
  app_hash: string; last_results_hash: string; evidence_hash: string; proposer_address: string;
}
export interface CometBlock {
  block_id: CometBlockId;
  block: {
    header: CometHeader; data: { txs: string[] | null }; evidence: { evidence: unknown[] | null };
    last_commit: { height: string; round: number; block_id: CometBlockId; signatures: { block_id_flag: number; validator_address: string; timestamp: string; signature: string | null }[] } | null;
  };
}

const blockIdJson = (id: CometBlockId): unknown => ({ hash: b64(id.hash), part_set_header: { total: id.parts.total, hash: b64(id.parts.hash) } });

function headerJson(h: CometHeader, proposer: (hex: string) => string): Record<string, unknown> {
  return {
    version: { block: h.version.block, app: h.version.app ?? "0" }, chain_id: h.chain_id, height: h.height, time: h.time,
    last_block_id: blockIdJson(h.last_block_id), last_commit_hash: b64(h.last_commit_hash), data_hash: b64(h.data_hash),
    validators_hash: b64(h.validators_hash), next_validators_hash: b64(h.next_validators_hash), consensus_hash: b64(h.consensus_hash),
    app_hash: b64(h.app_hash), last_results_hash: b64(h.last_results_hash), evidence_hash: b64(h.evidence_hash), proposer_address: proposer(h.proposer_address),
  };
}

/** GetLatestBlock / GetBlockByHeight: `{block_id, block, sdk_block}` (sdk_block has the proposer as a valcons address). */
export function blockJson(r: CometBlock, txs: unknown = r.block.data.txs ?? []): Record<string, unknown> {
  const b = r.block;
  const body = (proposer: (hex: string) => string): Record<string, unknown> => ({
    header: headerJson(b.header, proposer),
    data: { txs },
    evidence: { evidence: b.evidence.evidence ?? [] },
    last_commit: b.last_commit
      ? {
          height: b.last_commit.height, round: b.last_commit.round, block_id: blockIdJson(b.last_commit.block_id),
          signatures: b.last_commit.signatures.map((s) => ({ block_id_flag: FLAG[s.block_id_flag] ?? "BLOCK_ID_FLAG_UNKNOWN", validator_address: b64(s.validator_address), timestamp: s.timestamp, signature: s.signature ?? "" })),
        }
      : null,
  });
  return { block_id: blockIdJson(r.block_id), block: body(b64), sdk_block: body(valcons) };
}

/** Stands for the txs in blockJsonBytes' answer until they are put in (NULs: no field of a CometBFT block holds one). */
const TXS_MARK = JSON.stringify("\u0000txs\u0000");

/**
 * blockJson serialized, its txs once for both copies (`block`, `sdk_block`) and straight to bytes: they are nearly
 * all of a full block's bytes, and serializing them twice, then converting that string to bytes, was most of the
 * event-loop time its answer cost.
 */
export function blockJsonBytes(r: CometBlock): JsonBytes {
  const parts = JSON.stringify(blockJson(r, JSON.parse(TXS_MARK))).split(TXS_MARK);
  if (parts.length !== 3) return new JsonBytes(Buffer.from(JSON.stringify(blockJson(r)))); // the mark elsewhere: serialized whole
  const txs = Buffer.from(JSON.stringify(r.block.data.txs ?? []));
  return new JsonBytes(Buffer.concat([Buffer.from(parts[0] ?? ""), txs, Buffer.from(parts[1] ?? ""), txs, Buffer.from(parts[2] ?? "")]));
}

export const valcons = (hex: string): string => (hex ? toBech32("trustvalcons", Buffer.from(hex, "hex")) : "");

export interface CometNodeInfo {
  protocol_version: { p2p: string; block: string; app: string }; id: string; listen_addr: string; network: string;
  version: string; channels: string; moniker: string; other: { tx_index: string; rpc_address: string };
}

export function nodeInfoJson(n: CometNodeInfo): Record<string, unknown> {
  return {
    protocol_version: n.protocol_version, default_node_id: n.id, listen_addr: n.listen_addr, network: n.network, version: n.version,
    channels: b64(n.channels), moniker: n.moniker, other: { tx_index: n.other.tx_index, rpc_address: n.other.rpc_address },
  };
}

export interface CometValidator { address: string; pub_key: { type: string; value: string }; voting_power: string; proposer_priority: string }

export function validatorJson(v: CometValidator): Record<string, unknown> {
  const type = v.pub_key.type === "tendermint/PubKeyEd25519" ? "/cosmos.crypto.ed25519.PubKey" : v.pub_key.type === "tendermint/PubKeySecp256k1" ? "/cosmos.crypto.secp256k1.PubKey" : v.pub_key.type;
  return { address: valcons(v.address), pub_key: { "@type": type, key: v.pub_key.value }, voting_power: v.voting_power, proposer_priority: v.proposer_priority };
}
