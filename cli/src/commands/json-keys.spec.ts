// Every `--output json` document the CLI prints has snake_case keys, the proto field names, as the Cosmos SDK CLI and
// the REST routes (docs/wallet-cli.md): the real CLI against a fake node, table-driven, every key walked recursively.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { camelCaseKeys, int64Numbers, registryTypes } from "@trustnet/abci-app";
import { devnetLayout } from "../devnet/layout.ts";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

describe("--output json: snake_case keys in every document", () => {
  let home: string;
  let node: FakeNode | undefined;
  let registry: Server | undefined;
  let registryAddr = "";
  const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-json-keys-"));
    // One tag record, so that `registry tags` prints a record's every field.
    const record = { namespace: "library", repo: "alpine", tag: "3", digest: `sha256:${"a".repeat(64)}`, mediaType: "application/vnd.oci.image.manifest.v1+json", size: 512n, pusher: "trust1p", operator: "trust1o", height: 7n, time: 1_800_000_000n };
    const fake = await startFakeNode({ abci: { "/trustnet.registry.v1.Query/Tags": registryTypes.QueryTagRecordsResponse.encode({ records: [record], pagination: [] }).finish() } });
    node = fake;
    // A registry that serves a manifest other than the one recorded: `registry verify` prints its document, then exits 1.
    const server = createServer((_req, res) => res.end("{}"));
    registry = server;
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const addr = server.address();
    registryAddr = addr !== null && typeof addr === "object" ? `127.0.0.1:${addr.port}` : "";
    // A devnet whose node 0 is the fake node, for `devnet status` (no supervisor: the node is asked at its RPC port).
    const layout = devnetLayout(home);
    await mkdir(layout.root, { recursive: true });
    const rpc = Number(new URL(fake.url).port);
    await writeFile(layout.manifest, JSON.stringify({ chainId: "trustnet-local-1", validators: 1, blockTime: "1s", transport: "socket", faucetAddress: "trust1f", nodes: [{ index: 0, nodeId: "a".repeat(40), ports: { p2p: 1, rpc, abci: 2 } }] }));
  });
  after(async () => {
    await node?.close();
    await new Promise((resolve) => (registry ? registry.close(resolve) : resolve(undefined)));
    await rm(home, { recursive: true, force: true });
  });

  // In order: `keys add` makes the key the later commands sign and query with.
  const commands: readonly (readonly string[] | (() => readonly string[]))[] = [
    ["keys", "add", "alice"],
    ["keys", "list"],
    ["keys", "show", "alice"],
    ["keys", "use", "alice"],
    ["keys", "export", "alice"],
    ["account"],
    ["balance"],
    ["send", "alice", "1TRUST", "--gas", "200000", "--fees", "5000utrust"],
    ["tx", "C0FFEE".padEnd(64, "0")],
    ["query", "txs", "--query", "tx.height=9"],
    ["query", "block", "9"],
    ["query", "blocks", "--query", "block.height > 5"],
    ["status"],
    ["tx", "staking", "delegate", "alice", "1TRUST", "--gas", "200000", "--fees", "5000utrust"],
    // Each tx command's result: `height` a string (a 64-bit number), as every other tx result.
    ["registry", "namespace", "claim", "acme", "--gas", "200000", "--fees", "5000utrust"],
    ["registry", "member", "add", "acme", "alice", "--gas", "200000", "--fees", "5000utrust"],
    ["lease", "deposit", "1", "1TRUST", "--gas", "200000", "--fees", "5000utrust"],
    ["provider", "withdraw", "1", "--gas", "200000", "--fees", "5000utrust"],
    ["query", "staking", "validators"],
    ["query", "auth", "account", "alice"],
    ["registry", "login", "--print", "--from", "alice", "--audience", "trust1o"],
    ["registry", "tags", "library/alpine"],
    () => ["registry", "verify", `${registryAddr}/library/alpine:3`],
    ["devnet", "status"],
    ["devnet", "reset", "--yes"],
    ["keys", "delete", "alice", "--yes"],
  ];
  for (const command of commands) {
    test(typeof command === "function" ? "registry verify" : command.join(" "), async () => {
      const argv = typeof command === "function" ? command() : command;
      const r = await runCli([...argv, "--home", home, "--node", node?.url ?? "", "--chain-id", "trustnet-local-1", "--output", "json"], env);
      assert.equal(r.code, argv[1] === "verify" ? 1 : 0, r.stderr);
      const doc: unknown = JSON.parse(r.stdout);
      assert.deepEqual(camelCaseKeys(doc), [], `${argv.join(" ")} prints camelCase keys`);
      assert.deepEqual(int64Numbers(doc), [], `${argv.join(" ")} prints 64-bit numbers as JSON numbers, not strings`);
    });
  }
});
