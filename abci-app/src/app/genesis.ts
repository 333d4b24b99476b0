import { ErrInvalidRequest } from "../sdk/errors.ts";
import type { ModuleDescriptor } from "../sdk/module.ts";
import { checkSigningInfosNameValidators } from "./genesis-agreement.ts";

/** The parsed, validated app_state: one entry per module that has genesis. */
export type AppGenesis = ReadonlyMap<string, unknown>;

/**
 * Parses genesis `app_state` bytes (JSON). Pure: validates every module's section, and the rules between sections
 * that no invariant states (genesis-agreement.ts), before anything is written, so a garbage app_state changes nothing. An empty app_state means every module's default genesis.
 */
export function parseAppState(bytes: Uint8Array, modules: readonly ModuleDescriptor[]): AppGenesis {
  let raw: unknown = {};
  const text = new TextDecoder().decode(bytes).trim();
  if (text !== "" && text !== "null") {
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw ErrInvalidRequest.wrap(`genesis app_state is not valid JSON (${(err as Error).message})`);
    }
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw ErrInvalidRequest.wrap("genesis app_state must be a JSON object keyed by module name");
  const sections = raw as Record<string, unknown>;
  const known = new Set(modules.filter((m) => m.genesis).map((m) => m.name));
  for (const k of Object.keys(sections).sort()) {
    if (!known.has(k)) throw ErrInvalidRequest.wrap(`genesis app_state has an unknown module section ${JSON.stringify(k)}; known: ${[...known].join(", ")}`);
  }
  const out = new Map<string, unknown>();
  for (const m of modules) {
    if (!m.genesis) continue;
    try {
      out.set(m.name, m.genesis.validateGenesis(sections[m.name]));
    } catch (err) {
      throw ErrInvalidRequest.wrap(`genesis app_state.${m.name}: ${(err as Error).message}`);
    }
  }
  // Valid one by one, the sections must also agree; what an invariant can check is checked after InitGenesis.
  checkSigningInfosNameValidators(out);
  return out;
}
