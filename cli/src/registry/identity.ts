// Which registered operator a registry endpoint stands for. MsgRegisterRegistry is open and endpoints are not unique
// on chain, so anyone can register another registry's endpoint with their own operator address; the chain's record
// alone cannot say which is real. The registry itself can: its Bearer challenge names its identity (`service`), which
// is its operator address when it has an operator key.
import { CliError } from "../errors.ts";

export interface RegisteredRegistry {
  readonly operator: string;
  readonly endpoint: string;
}

/** The base URL of an endpoint typed as `host:port` or as a URL. */
function baseUrl(endpoint: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? new URL(endpoint).origin : `http://${endpoint}`;
}

/** What the registry at `endpoint` says it is (the `service` of `GET /v2/`'s challenge); undefined when it does not answer. */
export async function registryIdentity(endpoint: string, timeoutMs = 5000): Promise<string | undefined> {
  try {
    const res = await fetch(`${baseUrl(endpoint)}/v2/`, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await res.body?.cancel();
    return /\bservice="([^"]*)"/.exec(res.headers.get("www-authenticate") ?? "")?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The operator to authorise for `endpoint`: the one of `registered` (the chain's registries at its host:port) that the
 * registry there says it is. Refused when none is registered, when the registry does not answer (the chain's record
 * alone may be a squatter's), or when it names an operator the chain does not list at that endpoint.
 */
export function operatorAt(endpoint: string, registered: readonly RegisteredRegistry[], identity: string | undefined): string {
  const hint = "trustnet registry list shows the registered registries; pass the operator address of the one you mean";
  if (registered.length === 0) throw new CliError(`no registry is registered on chain with the endpoint ${endpoint}`, { hint });
  const listed = registered.map((r) => r.operator).join(", ");
  if (identity === undefined) {
    throw new CliError(`cannot ask the registry at ${endpoint} which operator it is (the chain lists ${listed} there, and anyone may register an endpoint)`, { hint });
  }
  const match = registered.find((r) => r.operator === identity);
  if (match === undefined) {
    throw new CliError(`the registry at ${endpoint} says it is ${identity}, but the chain lists ${listed} at that endpoint: someone else registered it`, { hint });
  }
  return match.operator;
}

/**
 * The audience of a login token for `registry`: the registered operator at that endpoint that the registry says it is
 * (when it answers), the only one registered there (when it does not), else the registry's URL, which a registry
 * without an operator key accepts. An identity the chain does not list at the endpoint is never used: a registry
 * could name another registry's operator to collect tokens that one accepts.
 */
export function audienceAt(registry: string, registered: readonly RegisteredRegistry[], identity: string | undefined): string {
  if (registered.length === 0) return `http://${registry}`;
  if (identity !== undefined) return operatorAt(registry, registered, identity);
  if (registered.length > 1) {
    throw new CliError(`${registered.length} registries are registered on chain with the endpoint ${registry}: ${registered.map((m) => m.operator).join(", ")}, and the registry does not answer`, { hint: "pass --audience <operator address> to choose one" });
  }
  return (registered[0] as RegisteredRegistry).operator;
}
