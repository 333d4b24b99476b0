import { hostname, networkInterfaces } from "node:os";
import { RegistryError, TokenError } from "../errors.ts";
import { validateChainName } from "../names.ts";
import { setBounded } from "../bounded-map.ts";
import { verifyBearerToken } from "./bearer-token.ts";
import { verifyLoginToken, type VerifiedLogin } from "./login-token.ts";
import type { LoginCutoffs } from "./login-cutoffs.ts";
import { AccountCache } from "./account-cache.ts";
import type { NamespaceOwners, NamespaceRights } from "./namespace-owners.ts";

const LOGIN_CACHE_SIZE = 1024;
/**
 * How long an open push trusts the chain's answer to "has this address an account?": an account is never deleted,
 * so a yes for 10 min; a no for 5 s (a key funded just now pushes soon after); at most 10,000 answers of each kind.
 */
export const OPEN_PUSH_ACCOUNT_CACHE = { positiveTtlMs: 10 * 60_000, negativeTtlMs: 5_000, maxEntries: 10_000 } as const;

export type Action = "pull" | "push";

/** Who is calling: an address proven by a login token (its `iat` is `loginIat`) or a bearer token issued for one, or nobody. */
export type Identity = { readonly kind: "anonymous" } | { readonly kind: "account"; readonly address: string; readonly loginIat?: number };

export interface AuthSettings {
  /** The `service` of the Bearer challenge and the audience of login and bearer tokens; "" = `http://<Host>`. */
  readonly service: string;
  readonly maxTokenLifetimeSeconds: number;
  readonly clockSkewSeconds: number;
  readonly anonymousPull: boolean;
  /** Namespace that single-component names (`app`) belong to. */
  readonly defaultNamespace: string;
  /** When true, any account on chain (it received funds once) may push to single-component names; only the owner's and members' pushes are recorded. */
  readonly defaultNamespaceOpen: boolean;
  readonly bearerTtlSeconds: number;
}

export class Authenticator {
  readonly settings: AuthSettings;
  readonly #owners: NamespaceOwners;
  readonly #secret: Uint8Array;
  readonly #now: () => Date;
  readonly #cutoffs: LoginCutoffs;
  /** The port this registry listens on (set once it listens): a Host-derived audience must name it. */
  #listenPort: number | undefined;
  /** Login tokens already verified (a secp256k1 verify per request is the slowest part of a small push). */
  readonly #verified = new Map<string, VerifiedLogin>();
  /** Accounts on chain, as open pushes ask (a push is many requests); `/auth/revoke` asks the chain itself. */
  readonly #accounts: AccountCache;

  constructor(settings: AuthSettings, owners: NamespaceOwners, secret: Uint8Array, now: () => Date, cutoffs: LoginCutoffs) {
    this.settings = settings;
    this.#cutoffs = cutoffs;
    this.#owners = owners;
    this.#secret = secret;
    this.#now = now;
    this.#accounts = new AccountCache((a) => owners.hasAccount(a), () => now().getTime(), OPEN_PUSH_ACCOUNT_CACHE);
  }

  get secret(): Uint8Array {
    return this.#secret;
  }

  now(): Date {
    return this.#now();
  }

  /** Called once the server listens. */
  listening(port: number): void {
    this.#listenPort = port;
  }

  /**
   * This registry's identity as a token audience: the configured `service` (the operator address under
   * `trustnet registry serve` with a key), else the URL the client used (`http://<Host header>`). That URL is the
   * client's to choose, so it must name this machine and the port the registry listens on: otherwise a keyless
   * registry would take a token made for any other keyless registry, by a request whose Host names that one. (Behind
   * a proxy or a port forward, set `service`.)
   */
  audienceFor(host: string | undefined): string {
    if (this.settings.service !== "") return this.settings.service;
    const h = (host ?? "").toLowerCase();
    if (!/^[a-z0-9.:[\]-]{1,255}$/.test(h)) throw new RegistryError("UNAUTHORIZED", "a Host header is required to check the token's audience");
    const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(h);
    const name = m?.[1]?.replace(/^\[|\]$/g, "");
    const port = m?.[2] === undefined ? 80 : Number(m[2]);
    if (name === undefined || (this.#listenPort !== undefined && port !== this.#listenPort) || !isThisMachine(name)) {
      throw new RegistryError("UNAUTHORIZED", `Host ${JSON.stringify(h.slice(0, 100))} does not name this registry (this machine, port ${this.#listenPort ?? "?"}): a registry without an operator key is identified by the URL it is reached at; behind a proxy or a port forward, set "service" in its config`);
    }
    return `http://${h}`;
  }

  /** Verifies Basic (address + login token) or Bearer credentials for the registry reached at `host`; throws UNAUTHORIZED on bad ones. */
  identify(authorization: string | undefined, host: string | undefined): Identity {
    if (!authorization) return { kind: "anonymous" };
    const space = authorization.indexOf(" ");
    const scheme = authorization.slice(0, space < 0 ? undefined : space).toLowerCase();
    const value = space < 0 ? "" : authorization.slice(space + 1).trim();
    try {
      if (scheme === "basic") return this.verifyBasic(value, host);
      if (scheme === "bearer") {
        const c = verifyBearerToken(this.#secret, value, { audience: this.audienceFor(host), now: this.#now(), clockSkewSeconds: this.settings.clockSkewSeconds });
        if (!c.sub) return { kind: "anonymous" };
        this.#refuseRevoked(c.sub, c.liat ?? c.iat, "bearer token was issued for a login that");
        return { kind: "account", address: c.sub, loginIat: c.liat ?? c.iat };
      }
    } catch (err) {
      if (err instanceof TokenError) throw new RegistryError("UNAUTHORIZED", `authentication failed: ${err.message}`);
      throw err;
    }
    throw new RegistryError("UNAUTHORIZED", `unsupported authorization scheme ${JSON.stringify(scheme)}`);
  }

  verifyBasic(value: string, host: string | undefined): Identity {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) throw new TokenError("basic credentials are malformed");
    const user = decoded.slice(0, colon);
    const login = this.#verifyLogin(decoded.slice(colon + 1), this.audienceFor(host));
    if (login.address !== user) throw new TokenError(`username ${JSON.stringify(user.slice(0, 100))} is not the address of the login token`);
    this.#refuseRevoked(login.address, login.iat, "login token");
    return { kind: "account", address: login.address, loginIat: login.iat };
  }

  #refuseRevoked(address: string, iat: number, what: string): void {
    const cutoff = this.#cutoffs.of(address);
    if (cutoff !== undefined && iat <= cutoff) {
      throw new TokenError(`${what} was revoked (every login of ${address} made at or before ${new Date(cutoff * 1000).toISOString()} was, by trustnet registry logout); run \`trustnet registry login\` again`);
    }
  }

  /**
   * Revokes every login of `who` made so far: the cut-off becomes the later of this registry's clock and the `iat` of
   * the login token that asked (whole seconds), so the asking token and any made in the same second end too. Returns it.
   * Only for an address with an account on chain (else DENIED; UNAVAILABLE when the chain cannot be asked): a
   * cut-off is a write kept up to a day, and a funded account costs a transaction fee where a fresh key costs nothing.
   * Asked of the chain each time, not through the open pushes' cache: revocations are few (revokeRateLimitPerMinute),
   * and one right after the account's first funds is never refused on a stale "no".
   */
  async revokeLogins(who: { readonly address: string; readonly loginIat?: number }): Promise<number> {
    let funded: boolean;
    try {
      funded = await this.#owners.hasAccount(who.address);
    } catch (err) {
      throw new RegistryError("UNAVAILABLE", `cannot check that ${who.address} has an account on chain: ${(err as Error).message}; nothing was revoked; try again when the chain is reachable (GET /health)`);
    }
    if (!funded) {
      throw new RegistryError("DENIED", `${who.address} has no account on chain (it never received funds), and this registry revokes only the logins of accounts; nothing was revoked. ` +
        "Its login tokens end when they expire; a namespace owner ends its push rights at once with trustnet registry member remove");
    }
    const now = Math.floor(this.#now().getTime() / 1000);
    return this.#cutoffs.revoke(who.address, Math.max(now, who.loginIat ?? now), now);
  }

  #verifyLogin(token: string, audience: string): VerifiedLogin {
    const now = this.#now();
    const cacheKey = `${audience}\n${token}`;
    const cached = this.#verified.get(cacheKey);
    if (cached && cached.expiresAt.getTime() > now.getTime()) return cached;
    const v = verifyLoginToken(token, { audience, now, maxLifetimeSeconds: this.settings.maxTokenLifetimeSeconds, clockSkewSeconds: this.settings.clockSkewSeconds });
    setBounded(this.#verified, cacheKey, v, LOGIN_CACHE_SIZE);
    return v;
  }

  /**
   * Throws UNAUTHORIZED (caller should challenge) or DENIED unless `who` may do `action` on repository `name`.
   * For a push, says why it is allowed: "rights" (the namespace's owner or a member, through a registry the owner
   * authorised: its tags are recorded on chain) or "open" (a single-component name in an open default namespace:
   * stored, never recorded on chain; only for an address with an account on chain).
   */
  async authorize(who: Identity, name: string | undefined, action: Action): Promise<PushGrant | undefined> {
    if (action === "pull") {
      if (this.settings.anonymousPull || who.kind === "account") return undefined;
      throw new RegistryError("UNAUTHORIZED", "authentication required");
    }
    if (who.kind !== "account") throw new RegistryError("UNAUTHORIZED", "authentication required to push");
    if (name === undefined) throw new RegistryError("DENIED", "requested access to the resource is denied");
    const verdict = await this.pushVerdict(who.address, name);
    if (verdict.grant === undefined) throw new RegistryError("DENIED", `requested access to the resource is denied: ${verdict.reason}`);
    return verdict.grant;
  }

  async mayPush(address: string, name: string): Promise<boolean> {
    return (await this.pushVerdict(address, name)).grant !== undefined;
  }

  async pushVerdict(address: string, name: string): Promise<PushVerdict> {
    const single = !name.includes("/");
    const { namespace } = validateChainName(name, this.settings.defaultNamespace);
    let rights: NamespaceRights | undefined;
    try {
      rights = await this.#owners.rights(namespace);
    } catch (err) {
      if (err instanceof RegistryError) throw err; // e.g. NAME_INVALID: the chain refused the name
      // Not a denial: the push may succeed once the chain answers again (docker retries 5xx).
      throw new RegistryError("UNAVAILABLE", `cannot check who owns namespace ${JSON.stringify(namespace)}: ${(err as Error).message}; try again when the chain is reachable (GET /health)`);
    }
    const entitled = rights !== undefined && (rights.owner === address || rights.members.includes(address));
    if (entitled && rights?.registryAuthorized === true) return { grant: "rights" };
    if (single && this.settings.defaultNamespaceOpen) return this.#openVerdict(address, namespace);
    if (rights === undefined) return { reason: `namespace ${JSON.stringify(namespace)} is not claimed (trustnet registry namespace claim ${namespace})` };
    if (!entitled) return { reason: `${address} is neither the owner nor a member of namespace ${JSON.stringify(namespace)}` };
    return { reason: `the owner of namespace ${JSON.stringify(namespace)} has not authorised this registry (trustnet registry authorize <operator> --namespace ${namespace})` };
  }

  /**
   * An open push is allowed only for an address with an account on chain (it received funds once, which costs a
   * transaction fee): the open-push quota and the upload sessions are per address, and fresh keys are free.
   */
  async #openVerdict(address: string, namespace: string): Promise<PushVerdict> {
    let funded: boolean;
    try {
      funded = await this.#accounts.has(address);
    } catch (err) {
      throw new RegistryError("UNAVAILABLE", `cannot check that ${address} has an account on chain (open pushes to namespace ${JSON.stringify(namespace)} need one): ${(err as Error).message}; try again when the chain is reachable (GET /health)`);
    }
    if (!funded) {
      return { reason: `${address} has no account on chain (it never received funds); open pushes to namespace ${JSON.stringify(namespace)} need one: send it funds once (trustnet send ${address} <amount>, on a devnet trustnet devnet faucet ${address})` };
    }
    return { grant: "open" };
  }
}

/** Why a push is allowed: by on-chain rights (recorded on chain) or by an open default namespace (never recorded). */
export type PushGrant = "rights" | "open";

/** A push allowed (and why), or refused (and why). */
type PushVerdict = { grant: PushGrant; reason?: undefined } | { grant?: undefined; reason: string };

/** Whether `name` (a Host header's host, brackets removed) is this machine: localhost, a loopback or local address, or its hostname. */
export function isThisMachine(name: string): boolean {
  if (name === "localhost" || name.endsWith(".localhost") || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) || name === "::1") return true;
  if (name === hostname().toLowerCase()) return true;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.address.toLowerCase() === name || a.address.toLowerCase().split("%")[0] === name) return true;
  }
  return false;
}
