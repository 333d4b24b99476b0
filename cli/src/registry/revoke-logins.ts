// `trustnet registry logout`: asks a registry to refuse every login token of an address made so far (POST /auth/revoke).
import { CliError } from "../errors.ts";

export interface RevokedLogins {
  readonly address: string;
  /** Login tokens (and bearer tokens issued for them) with `iat` at or before this (unix s) are refused. */
  readonly revokedThrough: number;
}

/** Sends the revocation, proven by `token` (a login token of `address` for this registry, which it revokes too). */
export async function revokeLogins(registry: string, address: string, token: string): Promise<RevokedLogins> {
  let res: Response;
  try {
    res = await fetch(`http://${registry}/auth/revoke`, {
      method: "POST",
      headers: { Authorization: `Basic ${Buffer.from(`${address}:${token}`).toString("base64")}` },
      signal: AbortSignal.timeout(15_000),
    });
  } catch (err) {
    throw new CliError(`cannot reach the registry at ${registry}: ${(err as Error).message}`, { hint: "is it running? trustnet devnet status; nothing was revoked" });
  }
  const text = await res.text();
  let body: { errors?: { message?: string }[]; revoked_through?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // reported below
  }
  if (res.status === 404) throw new CliError(`the registry at ${registry} cannot revoke logins (404: an older version?)`, { hint: "its login tokens end when they expire (at most 24 h)" });
  if (res.status !== 200 || typeof body.revoked_through !== "number") {
    const hint = res.status === 403 ? `the address needs an account on chain: send it funds once (trustnet send ${address} <amount>); nothing was revoked`
      : res.status === 429 || res.status === 503 ? `nothing was revoked; try again${res.headers.get("retry-after") ? ` in ${res.headers.get("retry-after")} s` : " later"}` : "nothing was revoked";
    throw new CliError(`the registry at ${registry} refused the revocation (${res.status}): ${body.errors?.[0]?.message ?? text.slice(0, 200)}`, { hint });
  }
  return { address, revokedThrough: body.revoked_through };
}
