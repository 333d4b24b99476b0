import { RegistryError, TokenError } from "../errors.ts";
import { splitNamespace } from "../names.ts";
import { verifyBearerToken } from "./bearer-token.ts";
import { verifyLoginToken, type VerifiedLogin } from "./login-token.ts";

const LOGIN_CACHE_SIZE = 1024;
import type { NamespaceOwners } from "./namespace-owners.ts";

export type Action = "pull" | "push";

/** Who is calling: an address proven by a login token or bearer token, or nobody. */
export type Identity = { readonly kind: "anonymous" } | { readonly kind: "account"; readonly address: string };

export interface AuthSettings {
  /** The `service` of the Bearer challenge and the audience of login and bearer tokens. */
  readonly service: string;
  readonly anonymousPull: boolean;
  /** Namespace that single-component names (`app`) belong to. */
  readonly defaultNamespace: string;
  /** When true, any authenticated account may push to single-component names (devnet). */
  readonly defaultNamespaceOpen: boolean;
  readonly bearerTtlSeconds: number;
}

export class Authenticator {
  readonly settings: AuthSettings;
  readonly #owners: NamespaceOwners;
  readonly #secret: Uint8Array;
  readonly #now: () => Date;
  /** Login tokens already verified (a secp256k1 verify per request is the slowest part of a small push). */
  readonly #verified = new Map<string, VerifiedLogin>();

  constructor(settings: AuthSettings, owners: NamespaceOwners, secret: Uint8Array, now: () => Date) {
    this.settings = settings;
    this.#owners = owners;
    this.#secret = secret;
    this.#now = now;
  }

  get secret(): Uint8Array {
    return this.#secret;
  }

  now(): Date {
    return this.#now();
  }

  /** Verifies Basic (address + login token) or Bearer credentials; throws UNAUTHORIZED on bad ones. */
  identify(authorization: string | undefined): Identity {
    if (!authorization) return { kind: "anonymous" };
    const space = authorization.indexOf(" ");
    const scheme = authorization.slice(0, space < 0 ? undefined : space).toLowerCase();
    const value = space < 0 ? "" : authorization.slice(space + 1).trim();
    try {
      if (scheme === "basic") return this.verifyBasic(value);
      if (scheme === "bearer") {
        const c = verifyBearerToken(this.#secret, value, { audience: this.settings.service, now: this.#now() });
        return c.sub ? { kind: "account", address: c.sub } : { kind: "anonymous" };
      }
    } catch (err) {
      if (err instanceof TokenError) throw new RegistryError("UNAUTHORIZED", `authentication failed: ${err.message}`);
      throw err;
    }
    throw new RegistryError("UNAUTHORIZED", `unsupported authorization scheme ${JSON.stringify(scheme)}`);
  }

  verifyBasic(value: string): Identity {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon < 0) throw new TokenError("basic credentials are malformed");
    const user = decoded.slice(0, colon);
    const login = this.#verifyLogin(decoded.slice(colon + 1));
    if (login.address !== user) throw new TokenError(`username ${JSON.stringify(user.slice(0, 100))} is not the address of the login token`);
    return { kind: "account", address: login.address };
  }

  #verifyLogin(token: string): VerifiedLogin {
    const now = this.#now();
    const cached = this.#verified.get(token);
    if (cached && cached.expiresAt.getTime() > now.getTime()) return cached;
    const v = verifyLoginToken(token, { audience: this.settings.service, now });
    if (this.#verified.size >= LOGIN_CACHE_SIZE) this.#verified.delete(this.#verified.keys().next().value as string);
    this.#verified.set(token, v);
    return v;
  }

  /** Throws UNAUTHORIZED (caller should challenge) or DENIED unless `who` may do `action` on repository `name`. */
  async authorize(who: Identity, name: string | undefined, action: Action): Promise<void> {
    if (action === "pull") {
      if (this.settings.anonymousPull || who.kind === "account") return;
      throw new RegistryError("UNAUTHORIZED", "authentication required");
    }
    if (who.kind !== "account") throw new RegistryError("UNAUTHORIZED", "authentication required to push");
    if (name === undefined) throw new RegistryError("DENIED", "requested access to the resource is denied");
    if (!(await this.mayPush(who.address, name))) {
      const { namespace } = splitNamespace(name, this.settings.defaultNamespace);
      throw new RegistryError("DENIED", `requested access to the resource is denied: ${who.address} does not own namespace ${JSON.stringify(namespace)}`);
    }
  }

  async mayPush(address: string, name: string): Promise<boolean> {
    const single = !name.includes("/");
    if (single && this.settings.defaultNamespaceOpen) return true;
    const { namespace } = splitNamespace(name, this.settings.defaultNamespace);
    let owner: string | undefined;
    try {
      owner = await this.#owners.ownerOf(namespace);
    } catch (err) {
      // Not a denial: the push may succeed once the chain answers again (docker retries 5xx).
      throw new RegistryError("UNAVAILABLE", `cannot check who owns namespace ${JSON.stringify(namespace)}: ${(err as Error).message}; try again when the chain is reachable (GET /health)`);
    }
    return owner === address;
  }
}
