// `tx sign`: a tx made with --generate-only and signed (online, or --offline with the chain's numbers) is the very
// TxRaw the online path broadcasts (secp256k1 signatures are deterministic, RFC 6979); what it must refuse, it refuses
// (the real CLI against a fake node: account number 1, sequence 0, chain trustnet-local-1).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { MAX_TX_JSON_BYTES, txFromJsonText } from "@trustnet/abci-app";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
const CHAIN = ["--chain-id", "trustnet-local-1"];
const FIXED = ["--gas", "200000", "--fees", "5000utrust"];
const OFFLINE = ["--offline", "--account-number", "1", "--sequence", "0", ...CHAIN];
const OTHER = toBech32("trust", new Uint8Array(20).fill(2));
const VAL = toBech32("trustvaloper", new Uint8Array(20).fill(3));
const rawOf = (json: string): Uint8Array => {
  const r = txFromJsonText(json);
  return TxRaw.encode({ bodyBytes: r.bodyBytes, authInfoBytes: r.authInfoBytes, signatures: [...r.signatures] }).finish();
};

describe("tx sign", () => {
  let home: string;
  let node: FakeNode;
  let alice: string;
  let bob: string;
  const cli = (argv: string[], input?: string) => runCli([...argv, "--home", home, "--node", node.url], env, input);
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-sign-"));
    node = await startFakeNode();
    for (const name of ["alice", "bob"]) {
      const r = await runCli(["keys", "add", name, "--home", home, "-o", "json"], env);
      assert.equal(r.code, 0, r.stderr);
      if (name === "alice") alice = (JSON.parse(r.stdout) as { address: string }).address;
      else bob = (JSON.parse(r.stdout) as { address: string }).address;
    }
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });

  /** generate-only, then a file holding it. */
  async function generate(argv: string[], file: string): Promise<string> {
    const r = await runCli([...argv, "--from", "alice", "--home", home, "--node", "http://127.0.0.1:9", ...CHAIN, ...FIXED, "--generate-only"], env);
    assert.equal(r.code, 0, r.stderr);
    const path = join(home, file);
    await writeFile(path, r.stdout);
    return path;
  }

  const cases: [string, string[]][] = [
    ["send", ["send", OTHER, "1TRUST", "--memo", "rent ✓"]],
    ["delegate", ["tx", "staking", "delegate", VAL, "5TRUST"]],
    ["unjail", ["tx", "slashing", "unjail"]],
    ["lease close", ["lease", "close", "7"]],
  ];
  for (const [what, argv] of cases) {
    test(`${what}: generate-only → sign (--offline, and online) is the TxRaw the online path broadcasts`, async () => {
      const before = node.broadcastTxs.length;
      const online = await runCli([...argv, "--from", "alice", "--home", home, "--node", node.url, ...CHAIN, ...FIXED], env);
      assert.equal(node.broadcastTxs.length, before + 1, online.stderr);
      const expected = node.broadcastTxs.at(-1) as Uint8Array;
      const unsigned = await generate(argv, `${what}.json`);
      const off = await cli(["tx", "sign", unsigned, "--from", "alice", ...OFFLINE]);
      assert.equal(off.code, 0, off.stderr);
      assert.deepEqual(Buffer.from(rawOf(off.stdout)), Buffer.from(expected));
      assert.match(off.stderr, /^Signed by alice, trust1\w+: broadcast it with `trustnet tx broadcast <file>`$/mu);
      const on = await cli(["tx", "sign", unsigned, "--from", alice]);
      assert.equal(on.code, 0, on.stderr);
      assert.deepEqual(Buffer.from(rawOf(on.stdout)), Buffer.from(expected), "the numbers the node gives");
    });
  }

  test("the signed JSON: signer_infos with the public key, SIGN_MODE_DIRECT and the sequence; stdin and --output-document", async () => {
    const unsigned = await readFile(await generate(["send", OTHER, "1utrust"], "plain.json"), "utf8");
    const doc = join(home, "signed.json");
    const r = await cli(["tx", "sign", "-", "--from", "alice", ...OFFLINE.map((x) => (x === "0" ? "4" : x)), "--output-document", doc], unsigned);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    const signed = JSON.parse(await readFile(doc, "utf8")) as { auth_info: { signer_infos: unknown[] }; signatures: string[]; body: unknown };
    assert.deepEqual(signed.body, (JSON.parse(unsigned) as { body: unknown }).body);
    assert.equal(signed.signatures.length, 1);
    assert.equal(Buffer.from(signed.signatures[0] ?? "", "base64").length, 64);
    const [info] = signed.auth_info.signer_infos as { public_key: { "@type": string; key: string }; mode_info: unknown; sequence: string }[];
    assert.equal(info?.public_key["@type"], "/cosmos.crypto.secp256k1.PubKey");
    assert.deepEqual(info?.mode_info, { single: { mode: "SIGN_MODE_DIRECT" } });
    assert.equal(info?.sequence, "4");
  });

  test("refused: another key than the signer, an already signed tx, several signers, unknown fields, oversized files", async () => {
    const unsigned = await generate(["send", OTHER, "1utrust"], "refuse.json");
    const wrong = await cli(["tx", "sign", unsigned, "--from", "bob", ...OFFLINE]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, new RegExp(`^error: key bob \\(${bob}\\) is not the signer of this transaction's messages \\(${alice}\\)$`, "mu"));

    const signed = join(home, "signed-once.json");
    assert.equal((await cli(["tx", "sign", unsigned, "--from", "alice", ...OFFLINE, "--output-document", signed])).code, 0);
    const again = await cli(["tx", "sign", signed, "--from", "alice", ...OFFLINE]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /error: .*signed-once\.json: the transaction is already signed \(1 signature\(s\), 1 signer info\(s\)\)/u);

    const tx = JSON.parse(await readFile(unsigned, "utf8")) as { body: { messages: Record<string, unknown>[] } };
    const first = tx.body.messages[0] as Record<string, unknown>;
    const two = join(home, "two.json");
    await writeFile(two, JSON.stringify({ ...tx, body: { ...tx.body, messages: [first, { ...first, from_address: bob }] } }));
    const multi = await cli(["tx", "sign", two, "--from", "alice", ...OFFLINE]);
    assert.equal(multi.code, 1);
    assert.match(multi.stderr, new RegExp(`the transaction needs 2 signers \\(${alice}, ${bob}\\); more than one signer \\(multisig\\) is not supported`, "u"));

    const typo = join(home, "typo.json");
    await writeFile(typo, JSON.stringify({ ...tx, body: { ...tx.body, messages: [{ ...first, amont: [] }] } }));
    const unknown = await cli(["tx", "sign", typo, "--from", "alice", ...OFFLINE]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^error: .*typo\.json: not a transaction this CLI can read: body\.messages\[0\]\.amont: unknown field$/mu);

    const big = join(home, "big.json");
    await writeFile(big, " ".repeat(MAX_TX_JSON_BYTES + 1));
    const huge = await cli(["tx", "sign", big, "--from", "alice", ...OFFLINE]);
    assert.equal(huge.code, 1);
    assert.match(huge.stderr, /big\.json: larger than \d+ bytes, the largest tx JSON read/u);
  });

  test("--offline needs the numbers and --chain-id; online they are not taken from the line", async () => {
    const unsigned = await generate(["send", OTHER, "1utrust"], "flags.json");
    const noSeq = await cli(["tx", "sign", unsigned, "--from", "alice", "--offline", "--account-number", "1", ...CHAIN]);
    assert.equal(noSeq.code, 2);
    assert.match(noSeq.stderr, /error: --offline needs --sequence <n>/u);
    const noChain = await runCli(["tx", "sign", unsigned, "--from", "alice", "--offline", "--account-number", "1", "--sequence", "0", "--home", home], env);
    assert.equal(noChain.code, 2);
    assert.match(noChain.stderr, /error: --offline needs --chain-id/u);
    const mixed = await cli(["tx", "sign", unsigned, "--from", "alice", "--sequence", "0"]);
    assert.equal(mixed.code, 2);
    assert.match(mixed.stderr, /--account-number and --sequence are for --offline/u);
  });

  test("--sign-mode direct, as simd's tx sign takes it, signs as without it; another mode is a usage error", async () => {
    const unsigned = await generate(["send", OTHER, "1utrust"], "mode.json");
    const plain = await cli(["tx", "sign", unsigned, "--from", "alice", ...OFFLINE]);
    assert.equal(plain.code, 0, plain.stderr);
    const direct = await cli(["tx", "sign", unsigned, "--from", "alice", ...OFFLINE, "--sign-mode", "direct"]);
    assert.equal(direct.code, 0, direct.stderr);
    assert.equal(direct.stdout, plain.stdout);
    const amino = await cli(["tx", "sign", unsigned, "--from", "alice", ...OFFLINE, "--sign-mode", "amino-json"]);
    assert.equal(amino.code, 2);
    assert.equal(amino.stdout, "");
    assert.match(amino.stderr, /^error: --sign-mode "amino-json": only direct \(SIGN_MODE_DIRECT\) is supported$/mu);
  });
});
