import type { Params } from "cosmjs-types/cosmos/slashing/v1beta1/slashing";
import { DEC_ONE, formatDec, parseHumanDec } from "../../sdk/dec.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import { readObject } from "../../sdk/genesis-json.ts";
import { fromUtf8, utf8 } from "../../sdk/keys.ts";
import { durationToMs, formatDurationMs, msToDuration, parseDurationMs } from "../../sdk/time.ts";
import { DefaultParams, type SlashingParams } from "./types.ts";

/** Validators may sign this many of the window's blocks at least: round(window x min_signed_per_window), half to even (LegacyDec.RoundInt64). */
export function minSignedPerWindow(p: SlashingParams): bigint {
  const q = p.signedBlocksWindow * p.minSignedPerWindow;
  const whole = q / DEC_ONE;
  const rem = (q % DEC_ONE) * 2n;
  return rem > DEC_ONE || (rem === DEC_ONE && whole % 2n === 1n) ? whole + 1n : whole;
}

/** The wire form: LegacyDec fields are the ASCII of the scaled integer, as the SDK marshals them. */
export function paramsProto(p: SlashingParams): Params {
  const dec = (d: bigint): Uint8Array => utf8(d.toString());
  return {
    signedBlocksWindow: p.signedBlocksWindow, minSignedPerWindow: dec(p.minSignedPerWindow), downtimeJailDuration: msToDuration(p.downtimeJailDurationMs),
    slashFractionDoubleSign: dec(p.slashFractionDoubleSign), slashFractionDowntime: dec(p.slashFractionDowntime),
  };
}

export function paramsFromProto(p: Params): SlashingParams {
  const dec = (b: Uint8Array): bigint => BigInt(fromUtf8(b) || "0");
  return {
    signedBlocksWindow: p.signedBlocksWindow, minSignedPerWindow: dec(p.minSignedPerWindow), downtimeJailDurationMs: durationToMs(p.downtimeJailDuration),
    slashFractionDoubleSign: dec(p.slashFractionDoubleSign), slashFractionDowntime: dec(p.slashFractionDowntime),
  };
}

const FIELDS = ["signed_blocks_window", "min_signed_per_window", "downtime_jail_duration", "slash_fraction_double_sign", "slash_fraction_downtime"];

function fraction(v: unknown, field: string, dflt: bigint): bigint {
  if (v === undefined) return dflt;
  const d = parseHumanDec(String(v), `params.${field}`);
  if (d > DEC_ONE) throw ErrInvalidRequest.wrap(`params.${field} must be at most 1`);
  return d;
}

/** Parses the genesis `slashing.params` object (SDK JSON field names; decimals like "0.05", durations like "600s"). */
export function parseParams(raw: unknown): SlashingParams {
  if (raw === undefined) return DefaultParams;
  const p = readObject(raw, "params", FIELDS);
  const w = p.signed_blocks_window;
  if (w !== undefined && !/^[1-9]\d{0,8}$/.test(String(w))) throw ErrInvalidRequest.wrap("params.signed_blocks_window must be a positive integer below 10^9");
  return {
    signedBlocksWindow: w === undefined ? DefaultParams.signedBlocksWindow : BigInt(String(w)),
    minSignedPerWindow: fraction(p.min_signed_per_window, "min_signed_per_window", DefaultParams.minSignedPerWindow),
    downtimeJailDurationMs: p.downtime_jail_duration === undefined ? DefaultParams.downtimeJailDurationMs : parseDurationMs(String(p.downtime_jail_duration), "params.downtime_jail_duration"),
    slashFractionDoubleSign: fraction(p.slash_fraction_double_sign, "slash_fraction_double_sign", DefaultParams.slashFractionDoubleSign),
    slashFractionDowntime: fraction(p.slash_fraction_downtime, "slash_fraction_downtime", DefaultParams.slashFractionDowntime),
  };
}

export function paramsJson(p: SlashingParams): Record<string, unknown> {
  return {
    signed_blocks_window: p.signedBlocksWindow.toString(), min_signed_per_window: formatDec(p.minSignedPerWindow),
    downtime_jail_duration: formatDurationMs(p.downtimeJailDurationMs),
    slash_fraction_double_sign: formatDec(p.slashFractionDoubleSign), slash_fraction_downtime: formatDec(p.slashFractionDowntime),
  };
}
