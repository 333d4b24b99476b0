// What users type for leases and providers (`--cpu 2`, `--memory 2GiB`, `--price cpu=10utrust,…`), into chain units:
// millicores, MiB, GiB, Mbit/s and utrust per block. Pure functions, unit-tested.
import { readFile } from "node:fs/promises";
import { isIPv4 } from "node:net";
import { homedir } from "node:os";
import { leasingTypes as L, parseLeaseId, parseSshPublicKey, validateProviderAttributes, validateProviderEndpoint, validateSshEndpoint, validateSshKeys } from "@trustnet/abci-app";
import { parseAmount } from "../coins.ts";
import { CliError, UsageError } from "../errors.ts";

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|TiB|K|M|G|T|KB|MB|GB|TB)?$/iu;
const MIB: Readonly<Record<string, number>> = { b: 1 / (1024 * 1024), kib: 1 / 1024, k: 1 / 1024, kb: 1 / 1024, mib: 1, m: 1, mb: 1, gib: 1024, g: 1024, gb: 1024, tib: 1024 * 1024, t: 1024 * 1024, tb: 1024 * 1024 };

/**
 * A size in MiB: `2GiB` → 2048, `512MiB` → 512, a bare number is `bare` units (MiB or GiB). Decimal suffixes are read
 * as binary, as QEMU does. Zero only with `allowZero` (filters: "at least 0").
 */
export function parseSizeMib(input: string, flag: string, bare: "MiB" | "GiB", allowZero = false): bigint {
  const m = SIZE.exec(input.trim());
  if (!m) throw new UsageError(`${flag}: "${input}" is not a size`, "write e.g. 2GiB, 512MiB or 20G");
  const unit = (m[2] ?? bare).toLowerCase();
  const mib = Number(m[1]) * (MIB[unit] ?? 1);
  if (!Number.isSafeInteger(mib) || mib < 0 || (mib === 0 && !allowZero)) throw new UsageError(`${flag}: "${input}" must be a ${allowZero ? "" : "positive "}whole number of MiB`);
  return BigInt(mib);
}

/** A size in whole GiB (disk): `20GiB` → 20, `20` → 20. */
export function parseSizeGib(input: string, flag: string, allowZero = false): bigint {
  const mib = parseSizeMib(input, flag, "GiB", allowZero);
  if (mib % 1024n !== 0n) throw new UsageError(`${flag}: "${input}" must be a whole number of GiB`);
  return mib / 1024n;
}

/**
 * CPU, as Kubernetes writes it, for leases and providers alike: a number of vCPUs (`2`, `0.5`, at most 3 decimals) or
 * millicores with `m` (`250m`); `4cpu` is 4 vCPUs. Into millicores. Zero only with `allowZero` (filters).
 */
export function parseCpu(input: string, flag = "--cpu", allowZero = false): bigint {
  const s = input.trim();
  const milli = /^(\d+)m$/u.exec(s) ?? undefined;
  const cpus = milli ? undefined : /^(\d+(?:\.\d{1,3})?)(?:cpu)?$/u.exec(s);
  if (!milli && !cpus) throw new UsageError(`${flag}: "${input}" is not a number of vCPUs`, "write e.g. 2 or 0.5 (vCPUs), or 500m (millicores)");
  let v: bigint;
  if (milli) v = BigInt(milli[1] as string);
  else {
    const [whole = "0", frac = ""] = (cpus?.[1] as string).split(".");
    v = BigInt(whole) * 1000n + BigInt(frac.padEnd(3, "0") || "0");
  }
  return allowZero ? v : positive(v, flag, input);
}

/** A lease's vCPUs: whole ones only (`2`, `2000m`), as the chain admits; a provider's capacity may be fractional. */
export function parseLeaseCpu(input: string, flag = "--cpu"): bigint {
  const v = parseCpu(input, flag);
  if (v % 1000n !== 0n) throw new UsageError(`${flag}: "${input}" is not a whole number of vCPUs: a lease takes whole vCPUs (its VM boots whole vCPUs)`, "write e.g. 1, 2 or 2000m");
  return v;
}

/**
 * `provider list`'s free-capacity filters (at least this much free; 0 = any), in the query's units. Each value is
 * parsed first, so a bad one (`0abc`) is refused instead of read as 0, and `0.5GiB` of memory is 512 MiB.
 */
export function parseCapacityFilter(a: { readonly cpu: string; readonly memory: string; readonly disk: string; readonly bandwidth: string }): { "cpu-millis": bigint; "memory-mib": bigint; "disk-gib": bigint; "bandwidth-mbps": bigint } {
  return {
    "cpu-millis": parseCpu(a.cpu, "--cpu", true),
    "memory-mib": parseSizeMib(a.memory, "--memory", "MiB", true),
    "disk-gib": parseSizeGib(a.disk, "--disk", true),
    "bandwidth-mbps": parseCount(a.bandwidth, "--bandwidth", true),
  };
}

export function parseCount(input: string | number, flag: string, allowZero = false): bigint {
  const s = String(input).trim();
  if (!/^\d{1,15}$/u.test(s)) throw new UsageError(`${flag}: "${input}" is not a whole number`);
  const v = BigInt(s);
  return allowZero ? v : positive(v, flag, s);
}

function positive(v: bigint, flag: string, input: string): bigint {
  if (v <= 0n) throw new UsageError(`${flag}: "${input}" must be greater than zero`);
  return v;
}

export interface PriceFlags { priceCpu: bigint; priceMemory: bigint; priceDisk: bigint; priceBandwidth: bigint }
const PRICE_KEYS: Readonly<Record<string, keyof PriceFlags>> = { cpu: "priceCpu", memory: "priceMemory", mem: "priceMemory", disk: "priceDisk", bandwidth: "priceBandwidth", bw: "priceBandwidth" };

/**
 * `cpu=10utrust,memory=5utrust,disk=1utrust,bandwidth=1utrust` (per block, per vCPU / GiB / GiB / Mbit/s); unlisted
 * resources cost 0, or what they cost in `base` (an update keeps the prices it does not name).
 */
export function parsePrices(input: string, base?: PriceFlags): PriceFlags {
  const out: PriceFlags = { priceCpu: base?.priceCpu ?? 0n, priceMemory: base?.priceMemory ?? 0n, priceDisk: base?.priceDisk ?? 0n, priceBandwidth: base?.priceBandwidth ?? 0n };
  const seen = new Set<string>();
  for (const part of input.split(",").map((x) => x.trim()).filter((x) => x !== "")) {
    const [k = "", v = ""] = part.split("=");
    const field = PRICE_KEYS[k.toLowerCase()];
    if (!field) throw new UsageError(`--price: unknown resource "${k}"`, "write e.g. cpu=10utrust,memory=5utrust,disk=1utrust,bandwidth=1utrust");
    if (seen.has(field)) throw new UsageError(`--price: ${k} is given twice`);
    seen.add(field);
    out[field] = parseAmount(/^\d+$/u.test(v) ? `${v}utrust` : v, { allowZero: true });
  }
  return out;
}

export const SUPPORTED_IMAGES = ["alpine-3.22", "ubuntu-24.04"] as const;

export function parseImages(input: string): string[] {
  const list = input.split(",").map((x) => x.trim()).filter((x) => x !== "");
  for (const i of list) if (!(SUPPORTED_IMAGES as readonly string[]).includes(i)) throw new UsageError(`--image: unknown image "${i}"`, `supported: ${SUPPORTED_IMAGES.join(", ")}`);
  if (list.length === 0) throw new UsageError("--image: give at least one image");
  return [...new Set(list)];
}

/**
 * `--ssh-key`: a path to a public key file (one key per line) or a key line itself (one starting "ssh-"/"ecdsa-", or
 * any "type data" text that names no file). Each key is checked with the
 * module's own rule (parseSshPublicKey: type, size, base64, no control/bidi characters), then the list with
 * validateSshKeys (1 to MAX_SSH_KEYS keys), before any key is unlocked or the node asked: the error names the
 * `--ssh-key` argument (its position, and the file and line a key came from) and carries the chain's text.
 */
export async function readSshKeys(inputs: readonly string[]): Promise<string[]> {
  const keys: string[] = [];
  const check = (key: string, where: string): void => {
    try {
      parseSshPublicKey(key, "ssh key");
    } catch (e) {
      throw new UsageError(`--ssh-key ${where}: ${(e as Error).message}`, "give an OpenSSH public key line (.pub): ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa of 2048 bits or more");
    }
    keys.push(key);
  };
  for (const [n, input] of inputs.entries()) {
    if (/^(ssh-|ecdsa-)/u.test(input.trim())) {
      check(input.trim(), `#${n + 1}`);
      continue;
    }
    const path = input.replace(/^~(?=\/|$)/u, homedir());
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      // No such file, and shaped like a key line ("type base64 …"): a key of a type the chain does not take (e.g.
      // sk-ssh-ed25519@openssh.com, ssh-dss) gets the chain's key error rather than ENOENT.
      if ((err as NodeJS.ErrnoException).code === "ENOENT" && /^\S+\s+\S/u.test(input.trim())) {
        check(input.trim(), `#${n + 1}`);
        continue;
      }
      throw new UsageError(`--ssh-key: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, "give the public key (.pub), e.g. ~/.ssh/id_ed25519.pub");
    }
    if (text.includes("PRIVATE KEY")) throw new UsageError(`--ssh-key: ${path} is a private key`, `give the public half: ${path}.pub`);
    for (const [i, raw] of text.split("\n").entries()) {
      const line = raw.trim();
      if (line !== "" && !line.startsWith("#")) check(line, `#${n + 1} (${path} line ${i + 1})`);
    }
  }
  if (keys.length === 0) throw new UsageError("--ssh-key: no key given", "e.g. --ssh-key ~/.ssh/id_ed25519.pub");
  try {
    validateSshKeys(keys);
  } catch (e) {
    throw new UsageError(`--ssh-key: ${(e as Error).message}`, "a lease takes at most that many keys: give fewer --ssh-key keys (or fewer lines in the key files)");
  }
  return keys;
}

const pricesOf = (p: PriceFlags): PriceFlags => ({ priceCpu: p.priceCpu, priceMemory: p.priceMemory, priceDisk: p.priceDisk, priceBandwidth: p.priceBandwidth });

/** `provider register|update`'s description of the offer, as typed (an omitted flag is undefined). */
export interface OfferFlags {
  readonly endpoint?: string | undefined; readonly region?: string | undefined; readonly cpu?: string | undefined; readonly memory?: string | undefined;
  readonly disk?: string | undefined; readonly bandwidth?: string | undefined; readonly image?: string | undefined; readonly price?: string | undefined;
  readonly attribute?: readonly string[] | undefined;
}
/** An offer in the chain's units (MsgRegisterProvider / MsgUpdateProvider without owner and bond). */
export interface Offer extends PriceFlags {
  endpoint: string; region: string; cpuMillis: bigint; memoryMib: bigint; diskGib: bigint; bandwidthMbps: bigint; images: string[]; attributes: string[];
}

/**
 * The offer the flags describe. With `current` (an update) every flag left out keeps the provider's current value,
 * prices one by one: MsgUpdateProvider restates the whole offer, and defaults would silently reset its region,
 * endpoint, images, attributes and unnamed prices. `--attribute ""` clears the attributes.
 */
export function parseOffer(f: OfferFlags, current?: Offer): Offer {
  const need = <T>(v: string | undefined, flag: string, parse: (s: string) => T, cur: T | undefined): T => {
    if (v !== undefined) return parse(v);
    if (cur === undefined) throw new UsageError(`${flag} is required`);
    return cur;
  };
  return {
    endpoint: checkEndpoint(need(f.endpoint, "--endpoint", (s) => s, current?.endpoint), f.endpoint === undefined), region: need(f.region, "--region", (s) => s, current?.region),
    cpuMillis: need(f.cpu, "--cpu", (s) => parseCpu(s), current?.cpuMillis), memoryMib: need(f.memory, "--memory", (s) => parseSizeMib(s, "--memory", "MiB"), current?.memoryMib),
    diskGib: need(f.disk, "--disk", (s) => parseSizeGib(s, "--disk"), current?.diskGib), bandwidthMbps: need(f.bandwidth, "--bandwidth", (s) => parseCount(s, "--bandwidth", true), current?.bandwidthMbps),
    images: need(f.image, "--image", parseImages, current?.images), ...need(f.price, "--price", (s) => parsePrices(s, current), current && pricesOf(current)),
    attributes: f.attribute === undefined ? parseAttributes(current?.attributes ?? [], true) : parseAttributes(f.attribute.filter((x) => x !== "")),
  };
}

/**
 * `provider register|update --endpoint`: what MsgRegisterProvider / MsgUpdateProvider admit (the module's rule: an
 * http(s) or ssh URL, no user info, a host that does not start with "-"), refused before anything is signed. `kept`:
 * an update restates the current endpoint, which a rule newer than the registration may refuse.
 */
function checkEndpoint(endpoint: string, kept: boolean): string {
  try {
    validateProviderEndpoint(endpoint);
  } catch (e) {
    const hint = kept ? "the provider's current endpoint is refused by the chain's rule: pass a new --endpoint" : "e.g. --endpoint https://provider.example.org:8443 or ssh://provider.example.org:2222";
    throw new UsageError(`--endpoint: ${(e as Error).message}`, hint);
  }
  return endpoint;
}

/**
 * `provider update --paused | --resume`: MsgUpdateProvider's `pause` (PauseChange). Neither sends 0, which keeps the
 * provider's current state on chain (an update of prices does not resume it); both at once is a usage error.
 */
export function pauseChange(f: { readonly paused?: boolean | undefined; readonly resume?: boolean | undefined }): bigint {
  if (f.paused === true && f.resume === true) throw new UsageError("--paused and --resume contradict each other", "give one: --paused refuses new leases, --resume takes them again");
  return f.paused === true ? L.PauseChange.pause : f.resume === true ? L.PauseChange.resume : L.PauseChange.unchanged;
}

/**
 * `lease create`: what the provider's current offer must allow before a lease is sent (the chain checks it again):
 * it is not paused, and it offers the image.
 */
export function checkOffer(provider: string, offer: { readonly paused: boolean; readonly images: readonly string[] }, image: string): void {
  if (offer.paused) throw new CliError(`${provider} is paused: it takes no new leases (its owner is doing maintenance)`, { hint: "choose another provider: 'trustnet provider list'" });
  if (!offer.images.includes(image)) throw new UsageError(`--image ${image}: ${provider} offers ${offer.images.join(", ")}`);
}

/**
 * `key=value` attributes, repeatable: the module's own rule (validateProviderAttributes), checked before anything is
 * signed. `kept`: an update restates the provider's current attributes, which a rule newer than them may refuse.
 */
export function parseAttributes(inputs: readonly string[], kept = false): string[] {
  try {
    validateProviderAttributes(inputs);
  } catch (e) {
    const hint = kept ? "the provider's current attributes are refused by the chain's rule: pass --attribute k=v for each one to keep, or --attribute \"\" to clear them" : undefined;
    throw new UsageError(`--attribute: ${(e as Error).message}`, hint);
  }
  return [...inputs];
}

/** A lease id argument (the module's rule); anything else is a usage error before anything is sent. */
/**
 * `provider run --ssh-bind`: where the lease VMs' SSH forwards listen, and where the daemon probes them. IPv4 only
 * (QEMU's hostfwd cannot listen on IPv6); 0.0.0.0 listens everywhere and is probed on loopback.
 */
export function parseSshBind(input: string): { readonly bind: string; readonly probeHost: string } {
  if (!isIPv4(input)) {
    throw new UsageError(`--ssh-bind ${JSON.stringify(input)} is not an IPv4 address`, "QEMU's port forwards listen on IPv4 only: 127.0.0.1 (the default), 0.0.0.0, or one of this host's IPv4 addresses");
  }
  return { bind: input, probeHost: input === "0.0.0.0" ? "127.0.0.1" : input };
}

/**
 * `provider run`: the chain tells tenants to connect to `--ssh-host`, and the forwards listen on `--ssh-bind`
 * (default loopback). A remote `--ssh-host` with the default bind would announce VMs no tenant can reach, and bill
 * them: refused unless `--ssh-bind` is given (0.0.0.0, this host's address, or 127.0.0.1 behind a tunnel). A host the
 * chain would refuse in MsgLeaseReady (one starting with "-", with a space …) is refused before the daemon starts.
 */
export function checkSshReach(sshHost: string, sshBind: string | undefined): void {
  try {
    validateSshEndpoint(sshHost, 22n); // what MsgLeaseReady admits: else every lease would be refused as it became ready
  } catch (e) {
    throw new UsageError(`--ssh-host: ${(e as Error).message}`, "give the host name or IP address tenants connect to (127.0.0.1, provider.example.org)");
  }
  const loopback = sshHost === "localhost" || sshHost === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/u.test(sshHost);
  if (sshBind === undefined && !loopback) {
    throw new UsageError(`--ssh-host ${sshHost} is announced to tenants, but the VMs' SSH forwards would listen on 127.0.0.1 only`, "pass --ssh-bind 0.0.0.0 (or this host's IPv4 address), or --ssh-bind 127.0.0.1 if a tunnel forwards the ports to this host's loopback");
  }
}

export function leaseId(v: unknown): bigint {
  try {
    return parseLeaseId(String(v));
  } catch (err) {
    throw new UsageError((err as Error).message, "list your leases with 'trustnet lease list'");
  }
}

/**
 * `provider withdraw [ids…]`: lease ids as the chain takes them (positive, at most 2^64 − 1, plain digits: not 0, a
 * negative, `1e3`, `0x10` or `007`), each once. The first bad one is a usage error naming it, before anything is sent.
 */
export function leaseIds(inputs: readonly unknown[]): bigint[] {
  const ids = inputs.map((v) => leaseIdArg(v));
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new UsageError(`lease id ${twice} is given twice`, "name each lease once");
  return ids;
}

function leaseIdArg(v: unknown): bigint {
  const s = String(v);
  if (!/^[1-9]\d{0,19}$/u.test(s) || BigInt(s) >= 2n ** 64n) {
    throw new UsageError(`lease id "${s}" is not a lease id: a positive whole number of at most 20 digits (up to 18446744073709551615)`, "list the open leases with 'trustnet lease list --provider <you>'");
  }
  return BigInt(s);
}
