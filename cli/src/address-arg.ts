// The one place that turns a command's address argument into an address: a trust1… address, or the name of a key in
// the keyring, or (when omitted, where the command allows it) the active key. Every command that takes an address
// (send, devnet faucet, balance, account, registry namespace transfer/list …) calls resolveAddressArg.
import { fromBech32 } from "@cosmjs/encoding";
import { ADDRESS_PREFIX, isBech32, looksLikeAddress, parseAddress } from "./address.ts";
import { CliError, UsageError } from "./errors.ts";
import { keyExists, keysDir, listKeystores, showKey } from "./keyring/index.ts";
import { parseValoper, valoperOf, VALOPER_PREFIX } from "./staking-args.ts";

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/u;

export interface ResolvedAddress {
  readonly address: string;
  /** The key the address came from (undefined when an address was given). */
  readonly key: string | undefined;
}

export interface ResolveOptions {
  /** Where warnings go (default: stderr). */
  readonly warn?: (message: string) => void;
  /** What the argument is, for messages ("recipient", "owner" …). */
  readonly what?: string;
}

const stderrWarn = (m: string): void => {
  process.stderr.write(`warning: ${m}\n`);
};

/**
 * Resolves an address argument:
 * - omitted (undefined): the active key's address; an empty string is a usage error, never "omitted";
 * - anything that decodes as bech32: parsed as an address (a trust1… address is used as is; another chain's prefix
 *   or a wrong length gets the address parser's reason). When a key of the same name also exists, the address wins
 *   and a warning says so: a key name must never redirect funds sent to an address;
 * - the name of an existing key: its address;
 * - anything else: a clear error (anything that looks like an address, looksLikeAddress: a mistyped trust1… or
 *   another chain's address with a bad checksum, gets the address parser's reason; an unknown key name is named as
 *   such), before anything is signed or sent.
 */
export async function resolveAddressArg(home: string, input: string | undefined, opts: ResolveOptions = {}): Promise<ResolvedAddress> {
  const warn = opts.warn ?? stderrWarn;
  const what = opts.what ?? "address";
  if (input === undefined) {
    const k = await showKey(home, undefined);
    return { address: k.address, key: k.name };
  }
  if (input === "") throw new UsageError(what === "address" ? "the address is empty" : `the ${what} address is empty`, "give a trust1… address or the name of a key");
  const nameShaped = KEY_NAME.test(input) && !input.endsWith(".json");
  if (isBech32(input)) {
    const address = parseAddress(input);
    if (nameShaped && (await keyExists(home, input))) {
      // The file's own address (showKey would take `input` as an address, not as the file's name).
      const k = (await listKeystores(home)).find((e) => e.name === input);
      const keyAddress = k?.address ?? "unreadable";
      warn(`"${input}" is both an address and the name of a key (whose address is ${keyAddress}); using it as the address ${address}`
        + (keyAddress === address ? "" : ` (to use the key, pass its address: ${keyAddress})`));
    }
    return { address, key: undefined };
  }
  if (nameShaped && (await keyExists(home, input))) {
    const k = await showKey(home, input);
    return { address: k.address, key: k.name };
  }
  // Not an address and not a key. Something that looks like an address (a mistyped trust1…, another chain's
  // cosmos1… with a bad checksum) gets the address parser's precise reason, not "no key named …".
  if (looksLikeAddress(input) || !nameShaped) parseAddress(input);
  if (what === "validator") {
    // resolveValidator takes trustvaloper1… too: say so, and where the validators are listed.
    throw new CliError(`no key named "${input}" in ${keysDir(home)}, and "${input}" is not a ${VALOPER_PREFIX}1… or ${ADDRESS_PREFIX}1… address (the validator must be one of these)`, {
      hint: `list the validators with 'trustnet query staking validators', your keys with 'trustnet keys list'`,
    });
  }
  throw new CliError(`no key named "${input}" in ${keysDir(home)}, and "${input}" is not a trust1… address (the ${what} must be one or the other)`, {
    hint: `create the key with 'trustnet keys add ${input}', list keys with 'trustnet keys list', or give a trust1… address`,
  });
}

/** The resolved address only. */
export async function resolveAddress(home: string, input: string | undefined, opts: ResolveOptions = {}): Promise<string> {
  return (await resolveAddressArg(home, input, opts)).address;
}

const VALCONS_PREFIX = `${ADDRESS_PREFIX}valcons`;

/** A validator given as trustvaloper1…, as its operator's trust1… address, or as a key name (omitted: the active key's). */
export async function resolveValidator(home: string, input: string | undefined): Promise<string> {
  if (input !== undefined && input.toLowerCase().startsWith(`${VALOPER_PREFIX}1`)) return parseValoper(input);
  if (input !== undefined && input.toLowerCase().startsWith(`${VALCONS_PREFIX}1`)) {
    throw new UsageError(`"${input.length > 70 ? `${input.slice(0, 67)}…` : input}" is a validator consensus address (${VALCONS_PREFIX}1…); a validator is named by its operator`,
      `give its ${VALOPER_PREFIX}1… address, its operator's ${ADDRESS_PREFIX}1… address or a key name ('trustnet query staking validators' lists them)`);
  }
  return valoperOf(await resolveAddress(home, input, { what: "validator" }));
}


/** A trustvalcons1… address as given (checked); anything else is a validator as resolveValidator takes it. */
export async function resolveConsensus(home: string, input: string | undefined): Promise<string> {
  if (input === undefined || !input.toLowerCase().startsWith(`${VALCONS_PREFIX}1`)) return resolveValidator(home, input);
  let prefix: string;
  let data: Uint8Array;
  try {
    ({ prefix, data } = fromBech32(input.toLowerCase(), 90));
  } catch {
    throw new UsageError(`"${input}" is not a valid ${VALCONS_PREFIX} address`);
  }
  if (prefix !== VALCONS_PREFIX || data.length !== 20) throw new UsageError(`"${input}" is not a valid ${VALCONS_PREFIX} address`);
  return input.toLowerCase();
}
