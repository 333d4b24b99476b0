// Every `--output json` document the CLI prints has snake_case keys, the proto field names, as the Cosmos SDK CLI and
// the REST routes (docs/wallet-cli.md): the real CLI against a fake node, table-driven, every key walked recursively.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { camelCaseKeys } from "@trustnet/abci-app";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

describe("--output json: snake_case keys in every document", () => {
  let home: string;
  let node: FakeNode;
  const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-json-keys-"));
    node = await startFakeNode();
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });

  // In order: `keys add` makes the key the later commands sign and query with.
  const commands: readonly (readonly string[])[] = [
    ["keys", "add", "alice"],
    ["keys", "list"],
    ["keys", "show", "alice"],
    ["keys", "use", "alice"],
    ["keys", "export", "alice"],
    ["account"],
    ["balance"],
    ["send", "alice", "1TRUST", "--gas", "200000", "--fees", "5000utrust"],
    ["tx", "C0FFEE".padEnd(64, "0")],
    ["tx", "staking", "delegate", "alice", "1TRUST", "--gas", "200000", "--fees", "5000utrust"],
    ["query", "staking", "validators"],
    ["query", "auth", "account", "alice"],
    ["keys", "delete", "alice", "--yes"],
  ];
  for (const argv of commands) {
    test(argv.join(" "), async () => {
      const r = await runCli([...argv, "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1", "--output", "json"], env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(camelCaseKeys(JSON.parse(r.stdout)), [], `${argv.join(" ")} prints camelCase keys`);
    });
  }
});
