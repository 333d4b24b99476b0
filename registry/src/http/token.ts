import type { IncomingMessage, ServerResponse } from "node:http";
import { RegistryError, TokenError } from "../errors.ts";
import type { Authenticator, Identity } from "../auth/access.ts";
import { issueBearerToken } from "../auth/bearer-token.ts";
import { readBody, sendJson } from "./context.ts";

async function credentials(auth: Authenticator, req: IncomingMessage): Promise<Identity> {
  if (req.method === "POST") {
    const form = new URLSearchParams((await readBody(req, 64 * 1024, () => new RegistryError("SIZE_INVALID", "token request too large"))).toString("utf8"));
    const user = form.get("username");
    const password = form.get("password");
    if (form.get("grant_type") !== "password" || user === null || password === null) {
      throw new RegistryError("UNSUPPORTED", "only grant_type=password is supported");
    }
    return auth.verifyBasic(Buffer.from(`${user}:${password}`).toString("base64"), req.headers.host);
  }
  req.resume();
  const header = req.headers.authorization;
  if (!header) return { kind: "anonymous" };
  if (!/^basic /i.test(header)) throw new TokenError("the token endpoint takes Basic credentials");
  return auth.verifyBasic(header.slice(6).trim(), req.headers.host);
}

/**
 * GET /token (docker's token flow; Basic = address + login token) or POST /token (OAuth2 password grant).
 * Tokens prove identity only; every request is still authorized against the namespace owners.
 */
export async function handleToken(auth: Authenticator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let who: Identity;
  try {
    who = await credentials(auth, req);
  } catch (err) {
    if (err instanceof TokenError) throw new RegistryError("UNAUTHORIZED", `authentication failed: ${err.message}`);
    throw err;
  }
  if (who.kind === "anonymous" && !auth.settings.anonymousPull) throw new RegistryError("UNAUTHORIZED", "credentials required");
  const now = auth.now();
  const iat = Math.floor(now.getTime() / 1000);
  const ttl = auth.settings.bearerTtlSeconds;
  const sub = who.kind === "account" ? { sub: who.address, ...(who.loginIat === undefined ? {} : { liat: who.loginIat }) } : { sub: "" };
  const token = issueBearerToken(auth.secret, { ...sub, aud: auth.audienceFor(req.headers.host), iat, exp: iat + ttl });
  sendJson(res, 200, { token, access_token: token, expires_in: ttl, issued_at: now.toISOString() }, { "Cache-Control": "no-store" });
}

/**
 * POST /auth/revoke (Basic = address + login token; body empty or `{}`): every login token of that address made at or
 * before now (auth/login-cutoffs.ts), and every bearer token issued for one, is refused from now on.
 */
export async function handleRevoke(auth: Authenticator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await revoke(auth, req, res);
  } catch (err) {
    // it takes Basic only: the Bearer challenge of the OCI API would send a client to /token for a token it refuses
    if (err instanceof RegistryError && err.kind === "UNAUTHORIZED") err.withHeaders({ "WWW-Authenticate": 'Basic realm="trustnet-registry", charset="UTF-8"' });
    throw err;
  }
}

async function revoke(auth: Authenticator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req, 4096, () => new RegistryError("SIZE_INVALID", "a revocation request has no body beyond {}"));
  const header = req.headers.authorization;
  if (!header || !/^basic /i.test(header)) throw new RegistryError("UNAUTHORIZED", "revoking logins takes Basic credentials: your address and a login token (trustnet registry logout)");
  let who: Identity;
  try {
    who = auth.verifyBasic(header.slice(6).trim(), req.headers.host);
  } catch (err) {
    if (err instanceof TokenError) throw new RegistryError("UNAUTHORIZED", `authentication failed: ${err.message}`);
    throw err;
  }
  if (who.kind !== "account") throw new RegistryError("UNAUTHORIZED", "credentials required");
  const text = body.toString("utf8").trim();
  if (text !== "" && !/^\{\s*\}$/.test(text)) throw new RegistryError("BAD_REQUEST", "the body of a revocation is empty or {}; nothing was revoked");
  const through = await auth.revokeLogins(who);
  sendJson(res, 200, { address: who.address, revoked_through: through, revoked_through_time: new Date(through * 1000).toISOString() }, { "Cache-Control": "no-store" });
}
