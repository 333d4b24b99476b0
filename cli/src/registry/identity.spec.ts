// Endpoint -> operator: anyone may register another registry's endpoint on chain, so `registry authorize <endpoint>`
// and `registry login` ask the registry at the endpoint which operator it is (its Bearer challenge's service) and
// take only a chain record that agrees; a squatter's record is never chosen, and a silent registry is no proof.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { test } from "node:test";
import { pino } from "pino";
import { createRegistry, defaultConfig, InMemoryNamespaceOwners, mergeConfig, type Registry } from "@trustnet/registry";
import { CliError } from "../errors.ts";
import { audienceAt, operatorAt, registryIdentity } from "./identity.ts";

const LEGIT = "trust1legitoperator";
const SQUATTER = "trust1squatter";

async function withRegistry(service: string, fn: (reg: Registry, hostPort: string) => Promise<void>): Promise<void> {
  const reg = await createRegistry(mergeConfig(defaultConfig(), { storage: "inmemory", port: 0, gcIntervalSeconds: 0, service }), { owners: new InMemoryNamespaceOwners({}), logger: pino({ level: "silent" }) });
  try {
    await fn(reg, new URL(reg.url).host);
  } finally {
    await reg.close();
  }
}

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

test("a squatter who registered a registry's endpoint is never the operator authorised or logged in to", async () => {
  await withRegistry(LEGIT, async (_reg, hostPort) => {
    const identity = await registryIdentity(hostPort);
    assert.equal(identity, LEGIT, "the registry names its identity");
    assert.equal(await registryIdentity(`http://${hostPort}/some/path`), LEGIT, "a URL form works too");
    const endpoint = `http://${hostPort}`;
    // only the squatter registered the endpoint: the chain's record alone would pick it
    assert.throws(() => operatorAt(hostPort, [{ operator: SQUATTER, endpoint }], identity), (e: unknown) => e instanceof CliError && /says it is trust1legitoperator, but the chain lists trust1squatter/.test(e.message));
    assert.throws(() => audienceAt(hostPort, [{ operator: SQUATTER, endpoint }], identity), /someone else registered it/);
    // both registered it: the one the registry names, not an ambiguity error
    const both = [{ operator: SQUATTER, endpoint }, { operator: LEGIT, endpoint: `${endpoint}/` }];
    assert.equal(operatorAt(hostPort, both, identity), LEGIT);
    assert.equal(audienceAt(hostPort, both, identity), LEGIT);
  });
});

test("a registry that does not answer proves nothing: authorize refuses, login keeps a single record or the URL", async () => {
  const hostPort = `127.0.0.1:${await deadPort()}`;
  const identity = await registryIdentity(hostPort, 2000);
  assert.equal(identity, undefined);
  const one = [{ operator: LEGIT, endpoint: `http://${hostPort}` }];
  assert.throws(() => operatorAt(hostPort, one, identity), /cannot ask the registry at 127\.0\.0\.1:\d+ which operator it is/);
  assert.throws(() => operatorAt(hostPort, [], identity), /no registry is registered on chain/);
  assert.equal(audienceAt(hostPort, one, identity), LEGIT, "a token for the chain's only record is refused by any other registry anyway");
  assert.equal(audienceAt(hostPort, [], identity), `http://${hostPort}`);
  assert.throws(() => audienceAt(hostPort, [...one, { operator: SQUATTER, endpoint: `http://${hostPort}` }], identity), /pass --audience|2 registries/);
});

test("an identity the chain does not list at the endpoint is never used as a token's audience", async () => {
  // a registry that names another registry's operator (to collect tokens that one would accept) but is not on chain
  await withRegistry(LEGIT, async (_reg, hostPort) => {
    const identity = await registryIdentity(hostPort);
    assert.equal(identity, LEGIT);
    assert.equal(audienceAt(hostPort, [], identity), `http://${hostPort}`);
  });
});
