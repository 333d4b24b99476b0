// Stateless checks of the leasing messages (validateBasic): nothing is read, nothing changes.
import { addressBytes } from "../../sdk/address.ts";
import { parseCoin } from "../../sdk/coins.ts";
import { ErrInvalidCoins } from "../../sdk/errors.ts";
import { ErrInvalidHostKey, ErrInvalidProvider, ErrInvalidResources, ErrInvalidSshKey, ErrUnknownImage } from "./errors.ts";
import { DENOM, SUPPORTED_IMAGES } from "./keys.ts";
import { MAX_SSH_KEYS, parseSshPublicKey } from "./ssh-keys.ts";
import { shownEscaped, UNSAFE_CHARS, unsafeCodePoint } from "./unsafe-chars.ts";
import { PauseChange, type Prices, type Resources, type WireCoin } from "./types.ts";

/** Values ≥ 2^63 are what a negative int64 becomes on the wire: refuse them by that name. */
const NEGATIVE = 2n ** 63n;
/** Upper bounds, far above any host, that keep every product well inside 2^128. */
const LIMITS: Readonly<Record<keyof Resources, bigint>> = { cpuMillis: 10n ** 7n, memoryMib: 10n ** 9n, diskGib: 10n ** 9n, bandwidthMbps: 10n ** 7n };
const MAX_PRICE = 10n ** 18n;

/** A lease's resources: vCPU, memory and disk must be positive; bandwidth may be 0 (unmetered, not reserved). */
export function validateResources(r: Resources, what: string, allowZero: boolean): void {
  for (const f of ["cpuMillis", "memoryMib", "diskGib", "bandwidthMbps"] as const) {
    const v = r[f];
    if (v >= NEGATIVE) throw ErrInvalidResources.wrap(`${what} ${f} is negative`);
    if (v === 0n && !allowZero && f !== "bandwidthMbps") throw ErrInvalidResources.wrap(`${what} ${f} must be positive`);
    if (v > LIMITS[f]) throw ErrInvalidResources.wrap(`${what} ${f} ${v} exceeds ${LIMITS[f]}`);
  }
}

/** Millicores in one vCPU. QEMU boots whole vCPUs (`-smp`), so a lease takes whole vCPUs only. */
export const MILLIS_PER_VCPU = 1000n;

/**
 * A lease's vCPU must be a positive multiple of 1000 millicores: what it reserves and pays for is then exactly the
 * `-smp` its VM gets (a fractional lease would pay for 1 millicore and get a whole core). Provider capacity may be
 * any number of millicores; only ⌊capacity / 1000⌋ vCPUs of it can be leased.
 */
export function validateWholeVcpus(cpuMillis: bigint, what: string): void {
  if (cpuMillis % MILLIS_PER_VCPU !== 0n) throw ErrInvalidResources.wrap(`${what} cpuMillis ${cpuMillis} is not a whole number of vCPUs: a lease takes a positive multiple of ${MILLIS_PER_VCPU} millicores (1000 = one vCPU), as its VM boots whole vCPUs`);
}

export function validatePrices(p: Prices): void {
  for (const f of ["priceCpu", "priceMemory", "priceDisk", "priceBandwidth"] as const) {
    if (p[f] > MAX_PRICE) throw ErrInvalidProvider.wrap(`${f} ${p[f]} exceeds ${MAX_PRICE}utrust per block`);
  }
}

export function validateImage(image: string): void {
  if (!(SUPPORTED_IMAGES as readonly string[]).includes(image)) throw ErrUnknownImage.wrap(`${JSON.stringify(image.slice(0, 64))}: supported images are ${SUPPORTED_IMAGES.join(", ")}`);
}

export function validateImages(images: readonly string[]): void {
  if (images.length === 0) throw ErrUnknownImage.wrap("a provider must offer at least one image");
  for (const i of images) validateImage(i);
  if (new Set(images).size !== images.length) throw ErrInvalidProvider.wrap("images lists an image twice");
}

export function validateSshKeys(keys: readonly string[]): void {
  if (keys.length === 0 || keys.length > MAX_SSH_KEYS) throw ErrInvalidSshKey.wrap(`a lease takes 1 to ${MAX_SSH_KEYS} ssh public keys, got ${keys.length}`);
  keys.forEach((k, i) => parseSshPublicKey(k, `ssh_pubkeys[${i}]`));
}

/** Exactly one positive utrust coin (`allowZero`: or none, meaning 0). */
export function utrustAmount(list: readonly WireCoin[], what: string, allowZero = false): bigint {
  if (list.length === 0 && allowZero) return 0n;
  if (list.length !== 1) throw ErrInvalidCoins.wrap(`${what} must be one ${DENOM} coin`);
  const c = parseCoin(list[0] as WireCoin);
  if (c.denom !== DENOM) throw ErrInvalidCoins.wrap(`${what} must be in ${DENOM}, not ${c.denom}`);
  if (c.amount === 0n && !allowZero) throw ErrInvalidCoins.wrap(`${what} must be positive`);
  return c.amount;
}

const MAX_ATTRIBUTES = 32;
/** key=value: the key 1-64 of a-z 0-9 . _ / - (nothing to spoof), the value at most 128 UTF-16 code units. */
const ATTRIBUTE = /^[a-z0-9][a-z0-9._/-]{0,63}=[\s\S]{0,128}$/;
/** An attribute quoted for an error log, its first 80 chars, with what the unsafe-character rule names escaped (`\u{202e}`). */
const shownAttribute = (a: string): string => shownEscaped(a, 80);
const REGION = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface ProviderFields extends Resources, Prices { owner: string; endpoint: string; region: string; images: string[]; attributes: string[] }

export function validateProviderFields(m: ProviderFields): void {
  addressBytes(m.owner, "owner");
  validateProviderEndpoint(m.endpoint);
  if (!REGION.test(m.region)) throw ErrInvalidProvider.wrap(`region ${JSON.stringify(m.region.slice(0, 80))} must be 1-64 of a-z, 0-9, -`);
  validateResources(m, "capacity", false);
  validatePrices(m);
  validateImages(m.images);
  validateProviderAttributes(m.attributes);
}

/**
 * A provider's attributes: at most 32 `key=value` (key: a-z 0-9 . _ / -, ≤ 64; value ≤ 128, none of unsafe-chars.ts:
 * no control, bidi, invisible format or non-ASCII space character, and no space at either end), each key once,
 * compared exactly (the key alphabet has no upper case or space, so no two spellings of one key pass).
 */
export function validateProviderAttributes(attributes: readonly string[]): void {
  if (attributes.length > MAX_ATTRIBUTES) throw ErrInvalidProvider.wrap(`at most ${MAX_ATTRIBUTES} attributes`);
  const seen = new Map<string, number>();
  attributes.forEach((a, i) => {
    if (!ATTRIBUTE.test(a)) throw ErrInvalidProvider.wrap(`attribute ${shownAttribute(a)} must be key=value (key: a-z 0-9 . _ / -; value: at most 128 characters)`);
    const unsafe = unsafeCodePoint(a);
    if (unsafe !== undefined) throw ErrInvalidProvider.wrap(`attribute ${shownAttribute(a)} holds ${unsafe}: a value may not hold ${UNSAFE_CHARS} (a space is U+0020), which could rewrite or reorder what a client shows or make two values that look the same differ`);
    const key = a.slice(0, a.indexOf("="));
    if (/^ | $/.test(a.slice(key.length + 1))) throw ErrInvalidProvider.wrap(`attribute ${shownAttribute(a)}: the value starts or ends with a space (U+0020): two values that differ only there look the same`);
    const first = seen.get(key);
    if (first !== undefined) throw ErrInvalidProvider.wrap(`attribute key ${JSON.stringify(key)} appears twice (attributes[${first}] and [${i}]): a provider gives each key one value`);
    seen.set(key, i);
  });
}

/**
 * Why `host` is not a host name or IP address (`A-Z a-z 0-9 . : -`, 1-253 chars) that a client can hand to ssh, or
 * undefined when it is one. A host that starts with `-` would read as an option (`-oProxyCommand…`) to an ssh or
 * ssh-keyscan run without `--`: refused at the source, as whitespace, control characters and `%`-escapes are. The
 * one rule for MsgLeaseReady's ssh_host and a provider endpoint's host.
 */
function hostProblem(host: string): string | undefined {
  if (host.startsWith("-")) return `starts with "-": it would read as a command-line option, not a host name or IP address`;
  if (!/^[A-Za-z0-9.:-]{1,253}$/.test(host)) return "is not a host name or IP address";
  return undefined;
}

/** Where a ready lease's VM answers SSH (MsgLeaseReady): a host name or IP address (hostProblem), and a TCP port. */
export function validateSshEndpoint(sshHost: string, sshPort: bigint): void {
  const problem = hostProblem(sshHost);
  if (problem !== undefined) throw ErrInvalidHostKey.wrap(`ssh_host ${JSON.stringify(sshHost.slice(0, 80))} ${problem}`);
  if (sshPort < 1n || sshPort > 65535n) throw ErrInvalidHostKey.wrap(`ssh_port ${sshPort} is not a TCP port`);
}

/** Printable ASCII without space or `\` (which WHATWG reads as `/` in http URLs, and other parsers do not). */
const ENDPOINT_CHARS = /^[\x21-\x5b\x5d-\x7e]{1,256}$/;

/**
 * A provider's endpoint (MsgRegisterProvider, MsgUpdateProvider, genesis): an http(s) or ssh URL of at most 256
 * printable ASCII chars (no whitespace or control characters, which URL parsing would silently drop from what is
 * stored), with no user info (`ssh://-oProxyCommand=…@host/`), a host that passes hostProblem (the ssh_host rule:
 * no leading `-`, no `%`-escapes, not empty) or is an IPv6 literal (`[::1]`), and a port other than 0.
 */
export function validateProviderEndpoint(endpoint: string): void {
  const shown = `endpoint ${JSON.stringify(endpoint.slice(0, 80))}`;
  let url: URL | undefined;
  try {
    url = ENDPOINT_CHARS.test(endpoint) ? new URL(endpoint) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !/^(https?|ssh):$/.test(url.protocol)) throw ErrInvalidProvider.wrap(`${shown} must be an http(s) or ssh URL of at most 256 printable ASCII chars, without spaces or backslashes`);
  const authority = endpoint.slice(url.protocol.length).replace(/^\/\//, "").split(/[/?#]/)[0] ?? "";
  if (url.username !== "" || url.password !== "" || authority.includes("@")) throw ErrInvalidProvider.wrap(`${shown} must not carry user info (user@host): a client would read it as its login or options`);
  const ipv6 = url.hostname.startsWith("[") && url.hostname.endsWith("]"); // the URL parser checked the address
  const problem = ipv6 ? undefined : hostProblem(url.hostname);
  if (problem !== undefined) throw ErrInvalidProvider.wrap(`${shown}: host ${JSON.stringify(url.hostname.slice(0, 80))} ${problem}`);
  if (url.port === "0") throw ErrInvalidProvider.wrap(`${shown}: port 0 is not a TCP port`);
}

/**
 * The provider's `paused` flag after an update's `pause` (PauseChange): 0 keeps `current` (what a client that does not
 * know the field sends), 1 pauses, 2 resumes; any other value is refused, naming the three it may be.
 */
export function pausedAfter(pause: bigint, current: boolean): boolean {
  if (pause === PauseChange.unchanged) return current;
  if (pause === PauseChange.pause) return true;
  if (pause === PauseChange.resume) return false;
  throw ErrInvalidProvider.wrap(`pause ${pause} is not 0 (unchanged), 1 (pause) or 2 (resume)`);
}
