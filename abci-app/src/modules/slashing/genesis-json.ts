// The JSON form of x/slashing's genesis: the SDK's cosmos.slashing.v1beta1.GenesisState with its proto field names
// (params, signing_infos [{address, validator_signing_info}], missed_blocks [{address, missed_blocks [{index,
// missed}]}]). Parsing is strict: an unknown field, a bad address, an out-of-range number or a bad timestamp is
// refused; so is a section that is no slashing state (see checkConsistent in genesis.ts).
import type { ValidatorSigningInfo } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { formatTimestamp } from "../../sdk/block-time.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { readBool, readInt64, readList, readObject } from "../../sdk/genesis-json.ts";
import { consBytes, valconsAddress } from "./keeper.ts";
import { paramsJson, parseParams } from "./params.ts";
import { DefaultParams, type SlashingGenesis, type SlashingParams } from "./types.ts";

export const emptySlashingGenesis = (params: SlashingParams = DefaultParams): SlashingGenesis => ({ params, signingInfos: [], missedBlocks: [] });

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/** An RFC 3339 UTC timestamp ("2024-01-02T03:04:05.5Z") -> Timestamp, exact to the nanosecond. */
function parseTimestamp(v: unknown, what: string): Timestamp {
  const m = typeof v === "string" ? RFC3339.exec(v) : null;
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`) {
    throw ErrInvalidRequest.wrap(`${what} must be an RFC 3339 UTC time like "2024-01-02T03:04:05Z"`);
  }
  return { seconds: BigInt(ms) / 1000n, nanos: Number((m[7] ?? "").padEnd(9, "0")) };
}

const INFO_FIELDS = ["address", "start_height", "index_offset", "jailed_until", "tombstoned", "missed_blocks_counter"];

function signingInfo(raw: unknown, what: string): { cons: Uint8Array; info: ValidatorSigningInfo } {
  const s = readObject(raw, what, ["address", "validator_signing_info"]);
  const cons = consBytes(typeof s.address === "string" ? s.address : "", `${what}.address`);
  const address = valconsAddress(cons); // stored in its canonical (lower-case) form
  const i = readObject(s.validator_signing_info, `${what}.validator_signing_info`, INFO_FIELDS);
  if (i.address !== s.address) throw ErrInvalidRequest.wrap(`${what}: validator_signing_info.address ${JSON.stringify(String(i.address).slice(0, 100))} is not ${address}`);
  const at = (f: string): string => `${what}.validator_signing_info.${f}`;
  return {
    cons,
    info: {
      address, startHeight: readInt64(i.start_height, at("start_height")), indexOffset: readInt64(i.index_offset, at("index_offset")),
      jailedUntil: parseTimestamp(i.jailed_until, at("jailed_until")), tombstoned: readBool(i.tombstoned, at("tombstoned")),
      missedBlocksCounter: readInt64(i.missed_blocks_counter, at("missed_blocks_counter")),
    },
  };
}

function missedBlocks(raw: unknown, what: string): { cons: Uint8Array; missed: bigint[] } {
  const m = readObject(raw, what, ["address", "missed_blocks"]);
  const cons = consBytes(typeof m.address === "string" ? m.address : "", `${what}.address`);
  const missed: bigint[] = [];
  const seen = new Set<bigint>();
  readList(m.missed_blocks, `${what}.missed_blocks`).forEach((rawBit, j) => {
    const b = readObject(rawBit, `${what}.missed_blocks[${j}]`, ["index", "missed"]);
    const index = readInt64(b.index, `${what}.missed_blocks[${j}].index`);
    if (seen.has(index)) throw ErrInvalidRequest.wrap(`${what}.missed_blocks: index ${index} appears twice`);
    seen.add(index);
    if (readBool(b.missed, `${what}.missed_blocks[${j}].missed`)) missed.push(index); // missed: false is an unset bit, as absent
  });
  return { cons, missed: missed.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
}

/** Parses the section record by record; the records' consistency with each other is checked by the caller. */
export function parseSlashingGenesis(raw: unknown): SlashingGenesis {
  if (raw === undefined) return emptySlashingGenesis();
  const g = readObject(raw, "slashing genesis", ["params", "signing_infos", "missed_blocks"]);
  return {
    params: parseParams(g.params),
    signingInfos: readList(g.signing_infos, "slashing genesis.signing_infos").map((r, i) => signingInfo(r, `slashing genesis.signing_infos[${i}]`)),
    missedBlocks: readList(g.missed_blocks, "slashing genesis.missed_blocks").map((r, i) => missedBlocks(r, `slashing genesis.missed_blocks[${i}]`)),
  };
}

/** The JSON form of a slashing genesis section (what `trustnet devnet` writes and the export gives). */
export function slashingGenesisJson(g: SlashingGenesis): Record<string, unknown> {
  return {
    params: paramsJson(g.params),
    signing_infos: g.signingInfos.map(({ info }) => ({
      address: info.address,
      validator_signing_info: {
        address: info.address, start_height: info.startHeight.toString(), index_offset: info.indexOffset.toString(),
        jailed_until: formatTimestamp(info.jailedUntil), tombstoned: info.tombstoned, missed_blocks_counter: info.missedBlocksCounter.toString(),
      },
    })),
    missed_blocks: g.missedBlocks.map((m) => ({ address: valconsAddress(m.cons), missed_blocks: m.missed.map((index) => ({ index: index.toString(), missed: true })) })),
  };
}
