// Accounts, tokens and txs through unmodified cosmjs clients (@cosmjs/stargate + @cosmjs/proto-signing only),
// against the real devnet: CometBFT v0.38 + the TrustNet app.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient, StargateClient, type StdFee } from "@cosmjs/stargate";
import { TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { type Devnet, startDevnet } from "../helpers/devnet.ts";
import { DEFAULT_GAS_PRICE } from "@trustnet/abci-app";

const CHAIN = "trustnet-local-1";
const fee = (amount = "5000", gas = "200000"): StdFee => ({ amount: [{ denom: "utrust", amount }], gas });
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

describe("cosmjs against TrustNet", () => {
  let d: Devnet;
  let faucet: DirectSecp256k1HdWallet;
  let faucetAddr: string;
  let alice: DirectSecp256k1HdWallet;
  let aliceAddr: string;
  let bobAddr: string;
  let client: SigningStargateClient;
  let aliceClient: SigningStargateClient;

  before(async () => {
    d = await startDevnet({ portOffset: 2000 });
    faucet = await DirectSecp256k1HdWallet.fromMnemonic(d.faucet.mnemonic, { prefix: "trust" });
    faucetAddr = (await faucet.getAccounts())[0]!.address;
    alice = await DirectSecp256k1HdWallet.generate(24, { prefix: "trust" });
    aliceAddr = (await alice.getAccounts())[0]!.address;
    const bob = await DirectSecp256k1HdWallet.generate(12, { prefix: "trust" });
    bobAddr = (await bob.getAccounts())[0]!.address;
    const opts = { gasPrice: GasPrice.fromString(DEFAULT_GAS_PRICE), broadcastPollIntervalMs: 300 };
    client = await SigningStargateClient.connectWithSigner(d.rpc, faucet, opts);
    aliceClient = await SigningStargateClient.connectWithSigner(d.rpc, alice, opts);
  });
  after(async () => {
    client?.disconnect();
    aliceClient?.disconnect();
    await d?.destroy();
  });

  test("sendTokens with auto gas, getBalance, getAccount, getSequence, getTx and searchTx", async () => {
    assert.equal(await client.getChainId(), CHAIN);
    assert.equal(await client.getAccount(aliceAddr), null, "a missing account is null, not an error");
    const r = await client.sendTokens(faucetAddr, aliceAddr, [{ denom: "utrust", amount: "10000000" }], "auto", "hello");
    assert.equal(r.code, 0, r.rawLog);
    assert.ok(r.gasUsed > 0n && r.gasUsed <= r.gasWanted);
    assert.deepEqual(await client.getBalance(aliceAddr, "utrust"), { denom: "utrust", amount: "10000000" });
    const acc = await client.getAccount(faucetAddr);
    assert.equal(acc?.address, faucetAddr);
    assert.equal(acc?.sequence, 1);
    assert.ok(acc?.pubkey, "pubkey recorded by the first tx");
    const aliceAcc = await client.getAccount(aliceAddr);
    assert.ok(aliceAcc && aliceAcc.accountNumber > 0, "alice's account was created on first receipt");
    assert.deepEqual(await client.getSequence(faucetAddr), { accountNumber: acc.accountNumber, sequence: 1 });
    const tx = await client.getTx(r.transactionHash);
    assert.equal(tx?.code, 0);
    assert.equal(tx?.height, r.height);
    const bySender = await client.searchTx([{ key: "message.sender", value: faucetAddr }]);
    assert.ok(bySender.some((t) => t.hash === r.transactionHash));
    const byRecipient = await client.searchTx([{ key: "transfer.recipient", value: aliceAddr }]);
    assert.deepEqual(byRecipient.map((t) => t.hash), [r.transactionHash]);
  });

  test("200 txs from one key, back to back with broadcastTxSync, are all included in order", async () => {
    const { accountNumber, sequence: start } = await aliceClient.getSequence(aliceAddr);
    assert.equal(start, 0);
    const raws: Uint8Array[] = [];
    for (let s = 0; s < 200; s++) {
      const signed = await aliceClient.sign(aliceAddr, [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: aliceAddr, toAddress: bobAddr, amount: [{ denom: "utrust", amount: "1" }] } }], fee(), `n${s}`, { accountNumber, sequence: s, chainId: CHAIN });
      raws.push(TxRaw.encode(signed).finish());
    }
    for (const raw of raws) await aliceClient.broadcastTxSync(raw);
    const end = Date.now() + 90_000;
    while ((await aliceClient.getSequence(aliceAddr)).sequence < 200) {
      assert.ok(Date.now() < end, "all 200 committed within 90 s");
      await new Promise((r) => setTimeout(r, 300));
    }
    assert.equal((await aliceClient.getSequence(aliceAddr)).sequence, 200);
    const txs = await aliceClient.searchTx([{ key: "message.sender", value: aliceAddr }]);
    assert.equal(txs.length, 200);
    assert.ok(txs.every((t) => t.code === 0));
    const ordered = [...txs].sort((a, b) => a.height - b.height || a.txIndex - b.txIndex);
    const seqs = ordered.map((t) => Number(t.events.flatMap((e) => e.attributes).find((a) => a.key === "acc_seq")?.value.split("/")[1]));
    assert.deepEqual(seqs, Array.from({ length: 200 }, (_, i) => i));
    assert.deepEqual(await aliceClient.getBalance(bobAddr, "utrust"), { denom: "utrust", amount: "200" });
  });

  test("every bad tx gets its SDK code through broadcast_tx_sync and changes no balance", async () => {
    if ((await aliceClient.getSequence(aliceAddr)).sequence === 0) {
      assert.equal((await aliceClient.sendTokens(aliceAddr, bobAddr, [{ denom: "utrust", amount: "1" }], fee())).code, 0);
    }
    const { accountNumber, sequence } = await aliceClient.getSequence(aliceAddr);
    const balances = async (): Promise<string[]> => [
      (await aliceClient.getBalance(aliceAddr, "utrust")).amount, (await aliceClient.getBalance(bobAddr, "utrust")).amount,
    ];
    const before = await balances();
    const signer = { accountNumber, sequence, chainId: CHAIN };
    const send = (amount: { denom: string; amount: string }[], to = bobAddr) => [{ typeUrl: "/cosmos.bank.v1beta1.MsgSend", value: { fromAddress: aliceAddr, toAddress: to, amount } }];
    const ok = send([{ denom: "utrust", amount: "1" }]);
    const sign = async (msgs: readonly { typeUrl: string; value: unknown }[] = ok, o: { f?: StdFee; memo?: string; signer?: typeof signer; timeoutHeight?: bigint } = {}): Promise<TxRaw> =>
      aliceClient.sign(aliceAddr, [...msgs], o.f ?? fee(), o.memo ?? "", o.signer ?? signer, o.timeoutHeight);
    const expectCode = async (raw: Uint8Array, code: number, log?: RegExp, codespace = "sdk"): Promise<void> => {
      await assert.rejects(aliceClient.broadcastTxSync(raw), (err: Error & { code?: number; codespace?: string; log?: string }) => {
        assert.equal(err.code, code, `${err.message}`);
        assert.equal(err.codespace, codespace);
        if (log) assert.match(err.log ?? "", log);
        return true;
      });
    };
    const enc = (t: TxRaw): Uint8Array => TxRaw.encode(t).finish();

    await expectCode(new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 7919 + 13) % 256)), 2);
    const good = await sign(ok, { memo: "flip me" });
    const body = Uint8Array.from(good.bodyBytes);
    body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 1;
    await expectCode(enc({ ...good, bodyBytes: body }), 4, /signature verification failed/);
    const sig = Uint8Array.from(good.signatures[0] ?? []);
    sig[10] = (sig[10] ?? 0) ^ 0xff;
    await expectCode(enc({ ...good, signatures: [sig] }), 4);
    const orig = good.signatures[0] ?? new Uint8Array();
    const s = BigInt("0x" + Buffer.from(orig.subarray(32)).toString("hex"));
    const highS = Buffer.from((N - s).toString(16).padStart(64, "0"), "hex");
    await expectCode(enc({ ...good, signatures: [new Uint8Array([...orig.subarray(0, 32), ...highS])] }), 4);
    await expectCode(enc(await sign(ok, { signer: { ...signer, chainId: "other-chain-1" } })), 4);
    await expectCode(enc(await sign(ok, { signer: { ...signer, sequence: sequence - 1 } })), 32, new RegExp(`account sequence mismatch, expected ${sequence}, got ${sequence - 1}`));
    await expectCode(enc(await sign(ok, { signer: { ...signer, sequence: sequence + 5 } })), 32, new RegExp(`expected ${sequence}, got ${sequence + 5}`));
    for (const amount of ["0", "-5", (2n ** 256n).toString(), "1e3"]) await expectCode(enc(await sign(send([{ denom: "utrust", amount }]))), 10);
    await expectCode(enc(await sign(send([{ denom: "unobtainium", amount: "1" }]))), 10, /unknown denom/);
    await expectCode(enc(await sign(ok, { f: fee("10") })), 13, /insufficient fees/);
    await expectCode(enc(await sign(ok, { f: fee("5000000", "200000000") })), 41, /exceeds block max gas/);
    await expectCode(enc(await sign(ok, { timeoutHeight: 2n })), 30);
    await expectCode(enc(await sign(ok, { memo: "x".repeat(300) })), 12, /maximum number of characters is 256/);
    // 2 MB is over the RPC body limit (rpc.max_body_bytes = MAX_TX_JSON_BODY_BYTES, ~1.46 MB) and MAX_TX_BYTES: refused with HTTP 400 before it reaches the mempool or the app.
    await assert.rejects(aliceClient.broadcastTxSync(enc(await sign(ok, { memo: "m".repeat(2_000_000) }))), /Bad status on response: 400|too large/i);
    await expectCode(enc(await sign(send([{ denom: "utrust", amount: "1" }], "trust1notbech32"))), 7);
    await expectCode(enc(await sign(send([{ denom: "utrust", amount: "1" }], "cosmos1gwvpscf2lcfjk2jzug00krz7y85mcsnr3j0lc9"))), 7);
    const multi = [{ typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: { inputs: [{ address: aliceAddr, coins: [{ denom: "utrust", amount: "10" }] }], outputs: [{ address: bobAddr, coins: [{ denom: "utrust", amount: "9" }] }] } }];
    await expectCode(enc(await sign(multi)), 4, /sum inputs != sum outputs/, "bank");
    // A committed tx replayed byte for byte is refused (CometBFT's cache, or the app's sequence check).
    const once = enc(await sign(ok));
    const res = await aliceClient.broadcastTx(once);
    assert.equal(res.code, 0);
    const after1 = await balances();
    await assert.rejects(aliceClient.broadcastTxSync(once), (err: Error & { code?: number }) => /already exists in cache/.test(err.message) || err.code === 32);
    assert.deepEqual(await balances(), after1);
    assert.equal(BigInt(after1[1]!) - BigInt(before[1]!), 1n, "only the one valid send moved funds");
  });

  test("a MultiSend through signAndBroadcast (its broadcast_tx_sync answer decodes in cosmjs)", async () => {
    const msg = { typeUrl: "/cosmos.bank.v1beta1.MsgMultiSend", value: { inputs: [{ address: faucetAddr, coins: [{ denom: "utrust", amount: "30" }] }], outputs: [{ address: aliceAddr, coins: [{ denom: "utrust", amount: "10" }] }, { address: bobAddr, coins: [{ denom: "utrust", amount: "20" }] }] } };
    const before = BigInt((await client.getBalance(bobAddr, "utrust")).amount);
    const r = await client.signAndBroadcast(faucetAddr, [msg], "auto", "multi");
    assert.equal(r.code, 0, r.rawLog);
    assert.equal(r.msgResponses[0]?.typeUrl, "/cosmos.bank.v1beta1.MsgMultiSendResponse");
    assert.equal(BigInt((await client.getBalance(bobAddr, "utrust")).amount) - before, 20n);
  });

  test("StargateClient reads total supply through the bank queries", async () => {
    const q = await StargateClient.connect(d.rpc);
    try {
      const bal = await q.getAllBalances(faucetAddr);
      assert.equal(bal[0]?.denom, "utrust");
      const h = await q.getHeight();
      assert.ok(h > 0);
    } finally {
      q.disconnect();
    }
  });
});
