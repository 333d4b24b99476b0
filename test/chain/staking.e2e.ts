// x/staking end to end: a 4-validator devnet (real CometBFT, real app processes with invariants checked after
// every block), cosmjs's SigningStargateClient and the trustnet CLI. Delegating changes the validator's voting
// power in CometBFT's /validators two blocks later; undelegated tokens come back to the last utrust after the
// (short) unbonding period; bad inputs get the SDK's codes and change nothing (create-validator with a key in use,
// a rate above its max or a self-delegation below its minimum, edit-validator within 24 h, the 8th unbonding entry,
// …); a fresh key's own full node (`trustnet node init|start`) syncs and `trustnet validator join` puts it in
// CometBFT's /validators.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { PubKey } from "cosmjs-types/cosmos/crypto/ed25519/keys";
import { sha256 } from "@cosmjs/crypto";
import { fromBase64, fromBech32, toBech32 } from "@cosmjs/encoding";
import { QueryClient, setupStakingExtension, SigningStargateClient, type StdFee, type DeliverTxResponse } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";
import { CLI, type Devnet, rpc, sleep, startDevnet, waitForHeight } from "../helpers/devnet.ts";

const execFileP = promisify(execFile);

const FEE: StdFee = { amount: [{ denom: "utrust", amount: "15000" }], gas: "600000" };
const UNBONDING_S = 15;

interface CometValidator { readonly pub_key: { readonly value: string }; readonly voting_power: string }

async function powerAt(base: string, h: number, pubkey: string): Promise<number> {
  await waitForHeight(base, h, 30_000);
  const r = await rpc<{ validators: CometValidator[] }>(base, `validators?height=${h}&per_page=100`);
  return Number(r.validators.find((v) => v.pub_key.value === pubkey)?.voting_power ?? 0);
}

/** A tx result code, whether the node refused it in CheckTx (cosmjs throws) or the block failed it. */
async function outcome(p: Promise<DeliverTxResponse>): Promise<{ code: number; log: string; height?: number }> {
  try {
    const r = await p;
    return { code: r.code, log: r.rawLog ?? "", height: r.height };
  } catch (err) {
    const e = err as { code?: number; log?: string; message: string };
    if (typeof e.code === "number") return { code: e.code, log: e.log ?? e.message };
    throw err;
  }
}

describe("x/staking on a 4-validator devnet", () => {
  let d: Devnet;
  let client: SigningStargateClient;
  let me: string;
  let q: ReturnType<typeof setupStakingExtension>["staking"];
  let comet: Comet38Client;

  before(async () => {
    d = await startDevnet({ validators: 4, portOffset: 6000, blockTime: "300ms", unbondingTime: `${UNBONDING_S}s` });
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(d.faucet.mnemonic, { prefix: "trust" });
    me = d.faucet.address;
    client = await SigningStargateClient.connectWithSigner(d.rpc, wallet, { broadcastPollIntervalMs: 300 });
    comet = await Comet38Client.connect(d.rpc);
    q = QueryClient.withExtensions(comet, setupStakingExtension).staking;
  });
  after(async () => {
    client?.disconnect();
    comet?.disconnect();
    await d?.destroy();
  });

  test("genesis validators are staking validators: CometBFT's set equals the bonded set", async () => {
    await waitForHeight(d.rpc, 2);
    const { validators } = await q.validators("BOND_STATUS_BONDED");
    assert.equal(validators.length, 4);
    const comet = await rpc<{ validators: CometValidator[] }>(d.rpc, "validators");
    const fromChain = validators.map((v) => [Buffer.from(v.consensusPubkey?.value.subarray(2) ?? []).toString("base64"), String(BigInt(v.tokens) / 1_000_000n)]).sort();
    assert.deepEqual(comet.validators.map((v) => [v.pub_key.value, v.voting_power]).sort(), fromChain);
    const pool = await q.pool();
    assert.equal(pool.pool.bondedTokens, "40000000");
  });

  test("delegateTokens changes the validator's power in /validators within 2 blocks; undelegate returns every utrust", async () => {
    const { validators } = await q.validators("BOND_STATUS_BONDED");
    const target = validators[1];
    assert.ok(target);
    const pub = Buffer.from(target.consensusPubkey?.value.subarray(2) ?? []).toString("base64");
    const start = BigInt((await client.getBalance(me, "utrust")).amount);
    const del = await client.delegateTokens(me, target.operatorAddress, { denom: "utrust", amount: "5000000" }, FEE);
    assert.equal(del.code, 0, del.rawLog);
    assert.equal(await powerAt(d.rpc, del.height + 2, pub), 15, "power 10 + 5 TRUST at H+2");
    assert.equal(BigInt((await q.delegation(me, target.operatorAddress)).delegationResponse?.balance.amount ?? 0), 5_000_000n);

    const un = await client.undelegateTokens(me, target.operatorAddress, { denom: "utrust", amount: "5000000" }, FEE);
    assert.equal(un.code, 0, un.rawLog);
    assert.equal(await powerAt(d.rpc, un.height + 2, pub), 10);
    const ubd = (await q.delegatorUnbondingDelegations(me)).unbondingResponses;
    assert.equal(ubd[0]?.entries[0]?.balance, "5000000");
    // x/distribution pays the delegation's rewards when it changes (the SDK's auto-withdraw): the undelegate tx's
    // withdraw_rewards event says how much
    const rewards = BigInt(/^(\d+)utrust$/.exec(un.events.find((e) => e.type === "withdraw_rewards")?.attributes.find((x) => x.key === "amount")?.value ?? "")?.[1] ?? "0");
    assert.equal(BigInt((await client.getBalance(me, "utrust")).amount), start - 5_000_000n - 30_000n + rewards, "still unbonding");
    const done = Date.now() + (UNBONDING_S + 20) * 1000;
    while (Date.now() < done && BigInt((await client.getBalance(me, "utrust")).amount) !== start - 30_000n + rewards) await sleep(500);
    assert.equal(BigInt((await client.getBalance(me, "utrust")).amount), start - 30_000n + rewards, "every utrust back after the unbonding period, only the two fees spent (plus the rewards paid)");
    assert.equal((await q.pool()).pool.notBondedTokens, "0");
  });

  test("bad inputs get the SDK codes and change nothing", async () => {
    const { validators } = await q.validators("BOND_STATUS_BONDED");
    const [a, b, c] = validators;
    assert.ok(a && b && c);
    const ghost = toBech32("trustvaloper", new Uint8Array(20).fill(7));
    const setup = await client.delegateTokens(me, a.operatorAddress, { denom: "utrust", amount: "2000000" }, FEE);
    assert.equal(setup.code, 0, setup.rawLog);
    const red = await client.signAndBroadcast(me, [{ typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate", value: { delegatorAddress: me, validatorSrcAddress: a.operatorAddress, validatorDstAddress: b.operatorAddress, amount: { denom: "utrust", amount: "1000000" } } }], FEE);
    assert.equal(red.code, 0, red.rawLog);
    const before = { bal: (await client.getBalance(me, "utrust")).amount, dels: JSON.stringify((await q.delegatorDelegations(me)).delegationResponses.map((x) => [x.delegation.validatorAddress, x.delegation.shares])) };
    let feesSpent = 0n;
    const cases: [string, () => Promise<DeliverTxResponse>, number][] = [
      ["delegate to a nonexistent validator", () => client.delegateTokens(me, ghost, { denom: "utrust", amount: "1" }, FEE), 3],
      ["undelegate more than delegated", () => client.undelegateTokens(me, a.operatorAddress, { denom: "utrust", amount: "1000001" }, FEE), 18],
      ["a transitive redelegation", () => client.signAndBroadcast(me, [{ typeUrl: "/cosmos.staking.v1beta1.MsgBeginRedelegate", value: { delegatorAddress: me, validatorSrcAddress: b.operatorAddress, validatorDstAddress: c.operatorAddress, amount: { denom: "utrust", amount: "1" } } }], FEE), 32],
      ["delegate another denom", () => client.delegateTokens(me, a.operatorAddress, { denom: "uatom", amount: "5" }, FEE), 18],
      ["delegate 0", () => client.delegateTokens(me, a.operatorAddress, { denom: "utrust", amount: "0" }, FEE), 18],
    ];
    for (const [what, send, code] of cases) {
      const r = await outcome(send());
      assert.equal(r.code, code, `${what}: ${r.log}`);
      if (r.height !== undefined) feesSpent += 15_000n;
    }
    assert.equal((await client.getBalance(me, "utrust")).amount, (BigInt(before.bal) - feesSpent).toString(), "only fees of txs that reached a block");
    assert.equal(JSON.stringify((await q.delegatorDelegations(me)).delegationResponses.map((x) => [x.delegation.validatorAddress, x.delegation.shares])), before.dels);
  });

  test("more bad inputs: create-validator (key in use, rate above max, self-delegation below min), edit-validator within 24 h, the 8th unbonding entry", async () => {
    const { validators } = await q.validators("BOND_STATUS_BONDED");
    const [a] = validators;
    assert.ok(a?.consensusPubkey);
    const myValoper = toBech32("trustvaloper", fromBech32(me, 90).data);
    const E16 = 10n ** 16n;
    const create = (o: { pubkey?: Uint8Array; rate?: bigint; maxRate?: bigint; min?: string; amount?: string } = {}) => client.signAndBroadcast(me, [{
      typeUrl: "/cosmos.staking.v1beta1.MsgCreateValidator",
      value: {
        description: { moniker: "faucet", identity: "", website: "", securityContact: "", details: "" },
        commission: { rate: String(o.rate ?? 10n * E16), maxRate: String(o.maxRate ?? 20n * E16), maxChangeRate: String(E16) }, minSelfDelegation: o.min ?? "1",
        delegatorAddress: me, validatorAddress: myValoper,
        pubkey: { typeUrl: "/cosmos.crypto.ed25519.PubKey", value: PubKey.encode({ key: o.pubkey ?? new Uint8Array(32).fill(9) }).finish() },
        value: { denom: "utrust", amount: o.amount ?? "2000000" },
      },
    }], FEE);
    // The operator of validator `a` (the devnet writes each node's operator key), for edit-validator.
    const opFile = JSON.parse(readFileSync(join(d.home, "devnet", "node0", "validator-operator.json"), "utf8")) as { mnemonic: string; validator: string };
    const opWallet = await DirectSecp256k1HdWallet.fromMnemonic(opFile.mnemonic, { prefix: "trust" });
    const [opAccount] = await opWallet.getAccounts();
    assert.ok(opAccount);
    const opClient = await SigningStargateClient.connectWithSigner(d.rpc, opWallet, { broadcastPollIntervalMs: 300 });
    const snapshot = async () => JSON.stringify({
      vals: (await q.validators("")).validators.map((v) => [v.operatorAddress, v.tokens, v.commission?.commissionRates.rate, v.description?.moniker]),
      dels: (await q.delegatorDelegations(me)).delegationResponses.map((x) => [x.delegation.validatorAddress, x.delegation.shares]),
      ubds: (await q.delegatorUnbondingDelegations(me)).unbondingResponses.map((u) => [u.validatorAddress, u.entries.length]),
    });
    const cases: [string, () => Promise<DeliverTxResponse>, number][] = [
      ["create-validator with a consensus key already in use", () => create({ pubkey: PubKey.decode(a.consensusPubkey?.value ?? new Uint8Array()).key }), 5],
      ["create-validator with a commission rate above its max rate", () => create({ rate: 30n * E16 }), 18],
      ["create-validator with a self-delegation below its minimum", () => create({ min: "5000000", amount: "1000000" }), 18],
      ["edit-validator raising the commission by more than max_change_rate within 24 h", () => opClient.signAndBroadcast(opAccount.address, [{
        typeUrl: "/cosmos.staking.v1beta1.MsgEditValidator",
        value: { description: { moniker: "[do-not-modify]", identity: "[do-not-modify]", website: "[do-not-modify]", securityContact: "[do-not-modify]", details: "[do-not-modify]" }, validatorAddress: opFile.validator, commissionRate: String(15n * E16), minSelfDelegation: "" },
      }], FEE), 12],
    ];
    for (const [what, send, code] of cases) {
      const before = await snapshot();
      const bal = BigInt((await client.getBalance(me, "utrust")).amount);
      const r = await outcome(send());
      assert.equal(r.code, code, `${what}: ${r.log}`);
      assert.equal(await snapshot(), before, `${what}: no state change`);
      if (!what.startsWith("edit")) assert.equal(BigInt((await client.getBalance(me, "utrust")).amount), bal - (r.height === undefined ? 0n : 15_000n), `${what}: at most the fee`);
    }
    opClient.disconnect();

    // max_entries (7) unbonding entries for one (delegator, validator) pair; the 8th is refused (staking 27).
    const target = validators[2];
    assert.ok(target);
    const del = await client.delegateTokens(me, target.operatorAddress, { denom: "utrust", amount: "8000000" }, FEE);
    assert.equal(del.code, 0, del.rawLog);
    const entries = async () => (await q.unbondingDelegation(me, target.operatorAddress).catch(() => undefined))?.unbond?.entries.length ?? 0;
    while ((await entries()) < 7) {
      const r = await client.undelegateTokens(me, target.operatorAddress, { denom: "utrust", amount: "100000" }, FEE);
      assert.equal(r.code, 0, r.rawLog);
    }
    assert.equal(await entries(), 7, "entries made in different blocks do not merge");
    const before = await snapshot();
    const eighth = await outcome(client.undelegateTokens(me, target.operatorAddress, { denom: "utrust", amount: "100000" }, FEE));
    assert.equal(eighth.code, 27, eighth.log);
    assert.equal(await snapshot(), before, "the 8th entry changes nothing");
  });

  test("the CLI: delegate by key name, query validators/delegations/unbonding/pool as JSON", async () => {
    const env = { TRUSTNET_KEYRING_PASSPHRASE: "staking e2e passphrase" };
    const words = join(d.home, "faucet-words.txt");
    writeFileSync(words, d.faucet.mnemonic, { mode: 0o600 });
    await d.cli(["keys", "import", "fauc", "--mnemonic-file", words], { env });
    const node = ["--node", d.rpc];
    const vals = await d.cliJson<{ validators: { operator_address: string; status: string }[] }>(["query", "staking", "validators", "--status", "bonded", ...node]);
    assert.equal(vals.validators.length, 4);
    const target = vals.validators[3];
    assert.ok(target);
    // The validator named by its operator's account address (trust1…): the CLI turns it into trustvaloper1….
    const account = toBech32("trust", fromBech32(target.operator_address, 90).data);
    const out = JSON.parse((await d.cli(["tx", "staking", "delegate", account, "3TRUST", "--from", "fauc", "--output", "json", ...node], { env })).stdout) as { code: number };
    assert.equal(out.code, 0);
    const dels = await d.cliJson<{ delegation_responses: { delegation: { validator_address: string }; balance: { amount: string } }[] }>(["query", "staking", "delegations", "fauc", ...node]);
    assert.equal(dels.delegation_responses.find((x) => x.delegation.validator_address === target.operator_address)?.balance.amount, "3000000");
    await d.cli(["tx", "staking", "undelegate", target.operator_address, "1TRUST", "--from", "fauc", ...node], { env });
    const unb = await d.cliJson<{ unbonding_responses: { validator_address: string; entries: { balance: string }[] }[] }>(["query", "staking", "unbonding", "fauc", ...node]);
    assert.ok(unb.unbonding_responses.some((u) => u.validator_address === target.operator_address && u.entries.some((e) => e.balance === "1000000")));
    const one = await d.cliJson<{ validator: { tokens: string } }>(["query", "staking", "validator", target.operator_address, ...node]);
    assert.equal(BigInt(one.validator.tokens) / 1_000_000n, 12n, "power 12");
    const { pool } = await d.cliJson<{ pool: { bonded_tokens: string } }>(["query", "staking", "pool", ...node]);
    assert.ok(BigInt(pool.bonded_tokens) > 40_000_000n);
    await assert.rejects(d.cli(["tx", "staking", "delegate", "trustvaloper1nope", "1TRUST", "--from", "fauc", ...node], { env }), /invalid validator address/);
  });

  test("a fresh key starts its own full node, syncs, runs `trustnet validator join`, and enters CometBFT's /validators", async () => {
    // A second TrustNet home stands for a fresh machine: its own keyring, its own CometBFT + app on other ports.
    const home = mkdtempSync(join(tmpdir(), "trustnet-joiner-"));
    const env = { ...process.env, TRUSTNET_KEYRING_PASSPHRASE: "joiner passphrase" };
    const cli = async (args: readonly string[]): Promise<string> => {
      try {
        return (await execFileP(process.execPath, [CLI, ...args, "--home", home], { env, maxBuffer: 16 << 20 })).stdout;
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        throw new Error(`trustnet ${args.join(" ")} failed: ${e.stderr || e.message}`, { cause: err });
      }
    };
    let node: ChildProcess | undefined;
    try {
      const wallet = await DirectSecp256k1HdWallet.generate(24, { prefix: "trust" });
      const [acct] = await wallet.getAccounts();
      assert.ok(acct);
      writeFileSync(join(home, "words.txt"), wallet.mnemonic, { mode: 0o600 });
      await cli(["keys", "import", "joiner", "--mnemonic-file", join(home, "words.txt")]);
      const fund = await client.sendTokens(me, acct.address, [{ denom: "utrust", amount: "50000000" }], FEE);
      assert.equal(fund.code, 0, fund.rawLog);

      const manifest = JSON.parse(readFileSync(join(d.home, "devnet", "devnet.json"), "utf8")) as { chainId: string; nodes: { nodeId: string; ports: { p2p: number } }[] };
      const peer = `${manifest.nodes[0]?.nodeId}@127.0.0.1:${manifest.nodes[0]?.ports.p2p}`;
      const init = JSON.parse(await cli(["node", "init", "--peer", peer, "--genesis", d.rpc, "--chain-id", manifest.chainId, "--port-offset", "6100", "--moniker", "joiner", "--block-time", "300ms", "--output", "json"])) as { node_id: string; genesis_sha256: string; ports: { rpc: number } };
      assert.match(init.node_id, /^[0-9a-f]{40}$/);
      // The genesis is written as CometBFT served it, and `node start` makes CometBFT check this hash.
      assert.equal(init.genesis_sha256, Buffer.from(sha256(readFileSync(join(home, "fullnode", "cometbft", "config", "genesis.json")))).toString("hex"));
      node = spawn(process.execPath, [CLI, "node", "start", "--home", home, "--app-arg=--check-invariants"], { env, stdio: ["ignore", "ignore", "pipe"] });
      let nodeErr = "";
      node.stderr?.on("data", (b: Buffer) => (nodeErr += b.toString()));
      const ownRpc = `http://127.0.0.1:${init.ports.rpc}`;

      const out = JSON.parse(await cli(["validator", "join", "--from", "joiner", "--amount", "20TRUST", "--commission-rate", "0.05", "--output", "json", "--timeout", "180"])) as { operator: string; consensus_pubkey: string; voting_power: string; height: string };
      assert.equal(out.voting_power, "20", nodeErr);
      const pv = JSON.parse(readFileSync(join(home, "fullnode", "cometbft", "config", "priv_validator_key.json"), "utf8")) as { pub_key: { value: string } };
      assert.equal(out.consensus_pubkey, pv.pub_key.value, "the node's own consensus key");
      assert.equal(out.operator, toBech32("trustvaloper", fromBech32(acct.address, 90).data));
      // The devnet's own nodes agree: the joiner is in the active set with power 20 …
      const inSet = async (base: string) => (await rpc<{ validators: CometValidator[] }>(base, "validators?per_page=100")).validators.find((v) => v.pub_key.value === out.consensus_pubkey)?.voting_power;
      assert.equal(await inSet(d.rpc), "20");
      assert.equal(await inSet(ownRpc), "20");
      const v = (await q.validator(out.operator)).validator;
      assert.equal(v.status, 3, "BOND_STATUS_BONDED");
      assert.equal(v.description?.moniker, "joiner");
      assert.equal(v.commission?.commissionRates.rate, "50000000000000000");
      // … and it signs: its address appears in later commits.
      const addr = Buffer.from(sha256(fromBase64(out.consensus_pubkey)).subarray(0, 20)).toString("hex").toUpperCase();
      const start = await waitForHeight(d.rpc, Number(out.height) + 3);
      let signed = false;
      for (let h = start; h < start + 20 && !signed; h++) {
        await waitForHeight(d.rpc, h + 1);
        const c = await rpc<{ signed_header: { commit: { signatures: { validator_address: string }[] } } }>(d.rpc, `commit?height=${h}`);
        signed = c.signed_header.commit.signatures.some((x) => x.validator_address === addr);
      }
      assert.ok(signed, "the new validator signs blocks");
    } finally {
      if (node && node.exitCode === null) {
        node.kill("SIGTERM");
        await new Promise((r) => node?.once("exit", r));
      }
      if (!process.env.TRUSTNET_KEEP_TEST_HOME) rmSync(home, { recursive: true, force: true });
    }
  });
});
