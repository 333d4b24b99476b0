// Registry transactions take the same flags as every tx command; `verify --wait` is checked before anything is sent.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../errors.ts";
import { createKey, MIN_SCRYPT } from "../keyring/index.ts";
import { buildCli } from "../main.ts";

const fast = { passphrase: { env: { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" }, prompt: null }, scrypt: MIN_SCRYPT } as const;

describe("registry commands: flags", () => {
  let home: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-registry-cmd-"));
    await createKey(home, "alice", fast);
  });
  after(() => rm(home, { recursive: true, force: true }));
  const run = async (...argv: string[]): Promise<unknown> => buildCli([...argv, "--home", home, "--node", "http://127.0.0.1:1"]).parseAsync();
  const usage = (what: RegExp) => (err: unknown): boolean => err instanceof UsageError && err.exitCode === 2 && what.test(err.message);

  test("verify --wait: NaN or negative is a usage error before the registry is asked", async () => {
    for (const bad of ["abc", "-1"]) await assert.rejects(run("registry", "verify", "127.0.0.1:1/acme/app:1", "--wait", bad), usage(/--wait must be a number of seconds/u), bad);
    await assert.rejects(run("registry", "verify", "127.0.0.1:1/acme/app:1", "--wait", "0"), /cannot reach the registry/u);
  });

  test("namespace, authorize and member transactions take --fees, --gas, --gas-prices, --gas-adjustment and --memo", async () => {
    await assert.rejects(run("registry", "namespace", "claim", "acme", "--fees", "1xyz"), usage(/invalid amount "1xyz"/u));
    await assert.rejects(run("registry", "namespace", "release", "acme", "--gas", "0"), usage(/invalid --gas "0"/u));
    await assert.rejects(run("registry", "member", "add", "acme", "alice", "--gas-prices", "1uatom"), usage(/invalid --gas-prices/u));
    await assert.rejects(run("registry", "namespace", "transfer", "acme", "alice", "--gas-adjustment", "11"), usage(/invalid --gas-adjustment/u));
    await assert.rejects(run("registry", "namespace", "claim", "acme", "--memo", "hello", "--fees", "5000utrust", "--gas", "200000"), /127\.0\.0\.1:1/u);
  });

  test("an empty new owner is a usage error, not the active key", async () => {
    await assert.rejects(run("registry", "namespace", "transfer", "acme", ""), usage(/^the address is empty$/u));
  });
});
