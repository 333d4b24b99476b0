// The wallet CLI against a real single-node devnet (real CometBFT + the TrustNet app): keys, faucet, send,
// balance/account/tx as JSON, export → import → send again, and chain-side errors a user can act on.
import { describe, test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { json, repoRoot, trustnet, type CliResult } from "./cli-run.ts";
import { Pty } from "./pty.ts";

const PASS = "wallet e2e passphrase";
let home = "";
let env: NodeJS.ProcessEnv = {};
let devnetUp = false;

function ok(r: CliResult): CliResult {
  if (r.code !== 0) throw new Error(`trustnet exited ${String(r.code)}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

interface Balance { readonly address: string; readonly utrust: string; readonly trust: string }
interface Sent { readonly txhash: string; readonly height: string; readonly code: number; readonly gas_used: string; readonly gas_wanted: string }

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/**
 * A `devnet up --port-offset` whose P2P, RPC and ABCI ports (26656-26658 + offset) are all free, and below the kernel's
 * ephemeral range (32768 on Linux), where any outgoing connection could take one before the devnet binds it.
 */
async function freePortOffset(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    // 1005-5595, 5 in the tens: the highest port 26660 + 5595 < 32768, and never the offset (a multiple of 100) of a
    // devnet in the end-to-end lane that runs beside this one (test/e2e-lanes.ts).
    const offset = 1005 + 10 * Math.floor(Math.random() * 460);
    if ((await portFree(26656 + offset)) && (await portFree(26657 + offset)) && (await portFree(26658 + offset))) return offset;
  }
  throw new Error("no free port range for the devnet");
}

before(async () => {
  home = await mkdtemp(join(tmpdir(), "tn-wallet-e2e-"));
  const offset = await freePortOffset();
  env = { ...process.env, TRUSTNET_HOME: home, TRUSTNET_KEYRING_PASSPHRASE: PASS, TRUSTNET_NODE: `http://127.0.0.1:${26657 + offset}` };
  ok(await trustnet(["devnet", "up", "--home", home, "--port-offset", String(offset), "--block-time", "300ms", "-o", "json"], { env, timeoutMs: 150_000 }));
  devnetUp = true;
});

after(async () => {
  if (devnetUp) await trustnet(["devnet", "reset", "--yes", "--home", home], { env, timeoutMs: 60_000 });
  await rm(home, { recursive: true, force: true });
});

describe("wallet CLI on a devnet", () => {
  let alice = "";
  let bob = "";

  test("create keys, fund from the faucet, send, balance/account/tx as JSON", async () => {
    alice = json<{ address: string }>(await trustnet(["keys", "add", "alice", "-o", "json"], { env })).address;
    bob = json<{ address: string }>(await trustnet(["keys", "add", "bob", "-o", "json"], { env })).address;
    ok(await trustnet(["devnet", "faucet", alice, "10TRUST", "--home", home], { env, timeoutMs: 90_000 }));
    assert.equal(json<Balance>(await trustnet(["balance", "-o", "json"], { env })).utrust, "10000000");

    const sent = json<Sent>(await trustnet(["send", bob, "1.5TRUST", "--memo", "first", "-o", "json"], { env, timeoutMs: 90_000 }));
    assert.equal(sent.code, 0);
    assert.match(sent.txhash, /^[0-9A-F]{64}$/u);
    assert.match(sent.height, /^[1-9]\d*$/u, "a 64-bit number: a string, as the REST routes print it");
    const b = json<Balance>(await trustnet(["balance", "bob", "-o", "json"], { env }));
    assert.deepEqual([b.address, b.utrust, b.trust], [bob, "1500000", "1.5"]);

    // alice paid 1.5 TRUST plus a fee of ceil(gas_wanted × 0.025) utrust.
    const fee = BigInt(Math.ceil(Number(sent.gas_wanted) * 0.025));
    assert.equal(json<Balance>(await trustnet(["balance", alice, "-o", "json"], { env })).utrust, (10_000_000n - 1_500_000n - fee).toString());

    const acc = json<{ address: string; sequence: string; pub_key: { "@type": string; key: string } | null }>(await trustnet(["account", "-o", "json"], { env }));
    assert.equal(acc.address, alice);
    assert.equal(acc.sequence, "1");
    assert.equal(acc.pub_key?.["@type"], "/cosmos.crypto.secp256k1.PubKey", "the SDK's pub_key shape, as `query auth account`");
    // `keys show` prints the key as the SDK's KeyOutput does: a string holding the same Any JSON.
    const shown = JSON.parse(json<{ pubkey: string }>(await trustnet(["keys", "show", "alice", "-o", "json"], { env })).pubkey) as { "@type": string; key: string };
    assert.deepEqual(shown, acc.pub_key, "the key alice signed with");

    // Its messages as the SDK's `query tx` prints them: `{"@type", ...fields}`.
    const tx = json<{ code: number; height: string; memo: string; messages: unknown[] }>(await trustnet(["tx", sent.txhash, "-o", "json"], { env }));
    assert.equal(tx.code, 0);
    assert.equal(tx.height, sent.height);
    assert.equal(tx.memo, "first");
    assert.deepEqual(tx.messages, [{ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: alice, to_address: bob, amount: [{ denom: "utrust", amount: "1500000" }] }]);
  });

  test("export, import under a new name on another keyring, send again with fixed gas and fee", async () => {
    const { mnemonic } = json<{ mnemonic: string }>(await trustnet(["keys", "export", "alice", "-o", "json"], { env }));
    const words = join(home, "alice-words.txt");
    await writeFile(words, mnemonic, { mode: 0o600 }); // a mnemonic file others can read is refused
    // another machine's keyring (its own home; one keyring refuses a second name for an account it holds)
    const restored = { ...env, TRUSTNET_HOME: join(home, "restored") };
    const imported = json<{ address: string }>(await trustnet(["keys", "import", "alice-restored", "--mnemonic-file", words, "-o", "json"], { env: restored }));
    assert.equal(imported.address, alice);
    const sent = json<Sent>(await trustnet(["send", bob, "250000utrust", "--from", "alice-restored", "--gas", "200000", "--fees", "5000utrust", "-o", "json"], { env: restored, timeoutMs: 90_000 }));
    assert.equal(sent.code, 0);
    assert.equal(sent.gas_wanted, "200000");
    assert.equal(json<Balance>(await trustnet(["balance", bob, "-o", "json"], { env })).utrust, "1750000");
    assert.equal(json<{ sequence: string }>(await trustnet(["account", alice, "-o", "json"], { env })).sequence, "2");
  });

  test("chain-side errors are actionable and change nothing", async () => {
    const before = json<Balance>(await trustnet(["balance", "alice", "-o", "json"], { env })).utrust;
    const poor = await trustnet(["send", bob, "1000TRUST", "--from", "alice"], { env });
    assert.equal(poor.code, 1);
    assert.match(poor.stderr, /insufficient funds/u);
    assert.match(poor.stderr, /trustnet balance/u);

    const lowFee = await trustnet(["send", bob, "1utrust", "--from", "alice", "--gas", "200000", "--fees", "1utrust"], { env });
    assert.equal(lowFee.code, 1);
    assert.match(lowFee.stderr, /fee too low/u);

    const wrongPass = await trustnet(["send", bob, "1utrust", "--from", "alice"], { env: { ...env, TRUSTNET_KEYRING_PASSPHRASE: "nope nope nope" } });
    assert.equal(wrongPass.code, 1);
    assert.match(wrongPass.stderr, /wrong passphrase for key alice/u);

    const path = join(home, "keys", "alice.json");
    const original = await readFile(path, "utf8");
    await writeFile(path, original.slice(0, 100));
    const corrupt = await trustnet(["send", bob, "1utrust", "--from", "alice"], { env });
    assert.equal(corrupt.code, 1);
    assert.match(corrupt.stderr, /is corrupted or has been tampered with/u);
    assert.equal(await readFile(path, "utf8"), original.slice(0, 100));
    await writeFile(path, original);

    const fresh = json<{ address: string }>(await trustnet(["keys", "add", "empty", "-o", "json"], { env })).address;
    const unfunded = await trustnet(["send", bob, "1utrust", "--from", "empty"], { env });
    assert.equal(unfunded.code, 1);
    assert.match(unfunded.stderr, new RegExp(`account ${fresh} does not exist on chain yet`, "u"));
    assert.match(unfunded.stderr, /devnet faucet/u);

    const wrongChain = await trustnet(["balance", "--chain-id", "other-chain"], { env });
    assert.match(wrongChain.stderr, /is on chain "trustnet-local-1", not "other-chain"/u);

    assert.equal(json<Balance>(await trustnet(["balance", "alice", "-o", "json"], { env })).utrust, before);
    assert.equal((await trustnet(["tx", "AB".repeat(32)], { env })).stderr.includes("not found"), true);
  });

  test("offline signing: generate-only from a plain address, tx sign --offline with the chain's numbers, tx broadcast commits it", async () => {
    const cold = json<{ address: string }>(await trustnet(["keys", "add", "cold", "-o", "json"], { env })).address;
    const to = json<{ address: string }>(await trustnet(["keys", "add", "cold-to", "-o", "json"], { env })).address;
    ok(await trustnet(["devnet", "faucet", cold, "2TRUST", "--home", home], { env, timeoutMs: 90_000 }));
    const unsigned = join(home, "offline-unsigned.json");
    const signed = join(home, "offline-signed.json");
    // The online machine: no key needed, only the address.
    const gen = ok(await trustnet(["send", to, "0.25TRUST", "--from", cold, "--gas", "200000", "--fees", "5000utrust", "--memo", "cold", "--generate-only"], { env: { ...env, TRUSTNET_KEYRING_PASSPHRASE: "" } }));
    await writeFile(unsigned, gen.stdout);
    const acc = json<{ account_number: string; sequence: string }>(await trustnet(["account", cold, "-o", "json"], { env }));
    // The cold machine: no node (an address nothing listens on).
    ok(await trustnet(["tx", "sign", unsigned, "--from", "cold", "--offline", "--account-number", acc.account_number, "--sequence", acc.sequence,
      "--chain-id", "trustnet-local-1", "--node", "http://127.0.0.1:9", "--output-document", signed], { env }));
    const sent = json<Sent>(await trustnet(["tx", "broadcast", signed, "-o", "json"], { env, timeoutMs: 90_000 }));
    assert.equal(sent.code, 0);
    assert.equal(json<Balance>(await trustnet(["balance", to, "-o", "json"], { env })).utrust, "250000");
    // The same file again: CometBFT's cache answer, said plainly with the hash, not its JSON-RPC error.
    const again = await trustnet(["tx", "broadcast", signed, "-o", "json"], { env, timeoutMs: 90_000 });
    assert.equal(again.code, 1, again.stderr);
    assert.equal(again.stdout, "");
    assert.match(again.stderr, new RegExp(`^error: the node already has this exact transaction, ${sent.txhash}: it was broadcast before`, "mu"));
    // A jq edit before signing (a number where the JSON has a string, as proto3 JSON allows), signed with the used
    // sequence: the chain refuses it, and the CLI says to sign again with the account's next one.
    const edited = join(home, "offline-edited.json");
    const unsignedTx = JSON.parse(gen.stdout) as { auth_info: { fee: Record<string, unknown> } };
    unsignedTx.auth_info.fee.amount = [{ denom: "utrust", amount: "6000" }];
    unsignedTx.auth_info.fee.gas_limit = 210000;
    await writeFile(edited, JSON.stringify(unsignedTx));
    const staleFile = join(home, "offline-stale.json");
    ok(await trustnet(["tx", "sign", edited, "--from", "cold", "--offline", "--account-number", acc.account_number, "--sequence", acc.sequence,
      "--chain-id", "trustnet-local-1", "--output-document", staleFile], { env }));
    const stale = await trustnet(["tx", "broadcast", staleFile], { env, timeoutMs: 90_000 });
    assert.equal(stale.code, 1, stale.stderr);
    assert.match(stale.stderr, new RegExp(`account sequence mismatch, expected ${BigInt(acc.sequence) + 1n}, got ${acc.sequence}: the tx was signed with sequence ${acc.sequence}, which the account has used already`, "u"));
    assert.match(stale.stderr, new RegExp(`--offline: --sequence ${BigInt(acc.sequence) + 1n}\\)`, "u"));
    const tx = json<{ memo: string; messages: unknown[] }>(await trustnet(["tx", sent.txhash, "-o", "json"], { env }));
    assert.equal(tx.memo, "cold");
    assert.deepEqual(tx.messages, [{ "@type": "/cosmos.bank.v1beta1.MsgSend", from_address: cold, to_address: to, amount: [{ denom: "utrust", amount: "250000" }] }]);
  });

  test("two sends from one key at once: both commit, or the loser says how to recover", async () => {
    const [x, y] = await Promise.all([
      trustnet(["send", bob, "1utrust", "--from", "alice"], { env }),
      trustnet(["send", bob, "2utrust", "--from", "alice"], { env }),
    ]);
    const results = [x, y];
    assert.ok(results.some((r) => r.code === 0), results.map((r) => r.stderr).join("\n"));
    for (const r of results.filter((r) => r.code !== 0)) {
      assert.match(r.stderr, /account sequence mismatch, expected \d+, got \d+: another tx from this key is pending; retry/u);
    }
  });

  test("the shell, in a pseudo-terminal, runs balance and send", async () => {
    const sh = new Pty([process.execPath, "cli/bin/trustnet.js", "shell"], { ...env, TERM: "xterm" }, repoRoot);
    try {
      await sh.expect(/trustnet> $/u);
      sh.write("balance bob --output json\r");
      const before = await sh.expect(/trustnet> $/u);
      const b0 = JSON.parse(before.slice(before.indexOf("{"), before.lastIndexOf("}") + 1)) as Balance;
      assert.equal(b0.address, bob);
      sh.write("send bob 0.5TRUST --from alice --memo 'from the shell'\r");
      assert.match(await sh.expect(/trustnet> $/u, 60_000), /Sent 0\.5 TRUST to trust1[a-z0-9]+\s+txhash: [0-9A-F]{64}/u);
      sh.write("balance bob -o json\r");
      const after = await sh.expect(/trustnet> $/u);
      const b1 = JSON.parse(after.slice(after.indexOf("{"), after.lastIndexOf("}") + 1)) as Balance;
      assert.equal(BigInt(b1.utrust) - BigInt(b0.utrust), 500_000n);
      sh.write("send bob 1000000TRUST --from alice\r");
      assert.match(await sh.expect(/trustnet> $/u, 60_000), /error: insufficient funds/u);
      sh.write("exit\r");
      assert.equal(await sh.wait(), 0);
    } finally {
      sh.kill();
    }
  });
});
