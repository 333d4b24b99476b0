// `tx broadcast`: a tx signed with `tx sign` is sent as its exact bytes and waited for as every tx command waits
// (the real CLI against fake nodes).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { txFromJsonText } from "@trustnet/abci-app";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
const CHAIN = ["--chain-id", "trustnet-local-1"];
const OTHER = toBech32("trust", new Uint8Array(20).fill(2));

describe("tx broadcast", () => {
  let home: string;
  let node: FakeNode;
  let unindexed: FakeNode;
  let cached: FakeNode;
  let stale: FakeNode;
  let alice: string;
  let unsigned: string;
  let signed: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-bcast-"));
    node = await startFakeNode();
    unindexed = await startFakeNode({ txSearch: "indexing-disabled" });
    cached = await startFakeNode({ broadcast: "in-cache" });
    stale = await startFakeNode({ broadcast: "stale-sequence" });
    const k = await runCli(["keys", "add", "alice", "--home", home, "-o", "json"], env);
    assert.equal(k.code, 0, k.stderr);
    alice = (JSON.parse(k.stdout) as { address: string }).address;
    const gen = await runCli(["send", OTHER, "1TRUST", "--from", "alice", "--home", home, "--node", "http://127.0.0.1:9", ...CHAIN, "--gas", "200000", "--fees", "5000utrust", "--generate-only"]);
    assert.equal(gen.code, 0, gen.stderr);
    unsigned = join(home, "unsigned.json");
    signed = join(home, "signed.json");
    await writeFile(unsigned, gen.stdout);
    const s = await runCli(["tx", "sign", unsigned, "--from", "alice", "--offline", "--account-number", "1", "--sequence", "0", ...CHAIN, "--home", home, "--output-document", signed], env);
    assert.equal(s.code, 0, s.stderr);
  });
  after(async () => {
    await node.close();
    await unindexed.close();
    await cached.close();
    await stale.close();
    await rm(home, { recursive: true, force: true });
  });

  test("sends the signed bytes, waits for the block and prints the result (-o json)", async () => {
    const r = await runCli(["tx", "broadcast", signed, "--home", home, "--node", node.url, ...CHAIN, "-o", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const t = txFromJsonText(await readFile(signed, "utf8"));
    const bytes = TxRaw.encode({ bodyBytes: t.bodyBytes, authInfoBytes: t.authInfoBytes, signatures: [...t.signatures] }).finish();
    assert.deepEqual(Buffer.from(node.broadcastTxs.at(-1) ?? []), Buffer.from(bytes));
    const hash = createHash("sha256").update(bytes).digest("hex").toUpperCase();
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.equal(out.txhash, hash);
    assert.equal(out.height, "9");
    assert.equal(out.code, 0);
    assert.equal(out.signer, alice);
    assert.deepEqual(out.fee, { amount: [{ denom: "utrust", amount: "5000" }], gas_limit: "200000" });
    assert.deepEqual(out.messages, ["/cosmos.bank.v1beta1.MsgSend"]);
    assert.match(r.stderr, /^Broadcasting the transaction \(signed by trust1\w+; fee 0\.005 TRUST \(5000utrust\), gas limit 200000\) …$/mu);
  });

  test("from stdin, as text", async () => {
    const r = await runCli(["tx", "broadcast", "-", "--home", home, "--node", node.url], {}, await readFile(signed, "utf8"));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Committed: \/cosmos\.bank\.v1beta1\.MsgSend\ntxhash: [0-9A-F]{64}\nheight: 9 {2}gas used: /u);
  });

  test("an unsigned tx is refused and nothing is sent", async () => {
    const before = node.broadcastTxs.length;
    const r = await runCli(["tx", "broadcast", unsigned, "--home", home, "--node", node.url]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: .*unsigned\.json: the transaction is not signed$/mu);
    assert.match(r.stderr, /^hint: sign it first: `trustnet tx sign <file> --from <key>`$/mu);
    assert.equal(node.broadcastTxs.length, before);
  });

  test("broadcast but not confirmed: exit 3 naming the hash, and {txhash, committed: false} on stdout with -o json", async () => {
    const r = await runCli(["tx", "broadcast", signed, "--home", home, "--node", unindexed.url, "-o", "json"]);
    assert.equal(r.code, 3, r.stderr);
    const out = JSON.parse(r.stdout) as { txhash: string; committed: boolean; reason: string };
    assert.equal(out.txhash, unindexed.broadcasts.at(-1));
    assert.equal(out.committed, false);
    assert.match(out.reason, /does not index transactions/u);
  });

  test("the same signed file broadcast again (CometBFT's 'tx already exists in cache'): exit 1, the hash and what to do, not the JSON-RPC error", async () => {
    const r = await runCli(["tx", "broadcast", signed, "--home", home, "--node", cached.url, "-o", "json"]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, "");
    const hash = cached.broadcasts.at(-1) ?? "";
    assert.match(hash, /^[0-9A-F]{64}$/u);
    assert.match(r.stderr, new RegExp(`^error: the node already has this exact transaction, ${hash}: it was broadcast before and is pending or committed$`, "mu"));
    assert.match(r.stderr, new RegExp(`^hint: check it with \`trustnet tx ${hash}\`; to send the same again, sign it again`, "mu"));
    assert.doesNotMatch(r.stderr, /-32603|Internal error/u);
  });

  test("signed with a sequence the account has used: exit 1, sign again with the node's next sequence, not 'retry' (the same bytes would fail again)", async () => {
    const r = await runCli(["tx", "broadcast", signed, "--home", home, "--node", stale.url]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: account sequence mismatch, expected 3, got 0: the tx was signed with sequence 0, which the account has used already \(a committed or pending tx\)$/mu);
    assert.match(r.stderr, /^hint: sign the unsigned tx again: `trustnet tx sign <file> --from <key>` takes the sequence from the node \(with --offline: --sequence 3\)$/mu);
  });
});
