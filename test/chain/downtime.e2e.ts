// x/slashing downtime end to end: a 4-validator devnet (real CometBFT, real app processes checking every invariant
// after every block; the devnet's 20-block window and 20 s jail). One validator is frozen: the chain goes on;
// after the window it is jailed (gone from CometBFT's /validators) and slashed exactly 1%; thawed, its operator's
// `trustnet tx slashing unjail` is refused until the jail time ends, then brings it back into the set.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { type Devnet, height, rpc, sleep, startDevnet, supervisorState, waitForHeight } from "../helpers/devnet.ts";

interface CometValidators { readonly total: string; readonly validators: { readonly pub_key: { readonly value: string }; readonly voting_power: string }[] }
interface SigningInfo { readonly address: string; readonly jailed_until: string; readonly tombstoned: boolean; readonly missed_blocks_counter: string }
/** `query staking validator -o json`: {validator: …}, the REST route's JSON (simd's shape). */
interface ValidatorJson { readonly validator: { readonly jailed: boolean; readonly tokens: string; readonly status: string } }

async function until<T>(what: string, f: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await f().catch(() => undefined);
    if (v !== undefined) return v;
    await sleep(300);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms`);
}

describe("x/slashing downtime on a 4-validator devnet", () => {
  let d: Devnet | undefined;
  after(async () => {
    await d?.destroy();
  });

  test("a stopped validator is jailed and slashed 1% after the window; unjail brings it back after the jail time", { timeout: 600_000 }, async () => {
    d = await startDevnet({ validators: 4, portOffset: 5400, blockTime: "300ms" });
    const dn = d;
    const node = ["--node", dn.rpc];
    const env = { TRUSTNET_KEYRING_PASSPHRASE: "downtime e2e passphrase" };
    const op = JSON.parse(readFileSync(join(dn.home, "devnet", "node3", "validator-operator.json"), "utf8")) as { validator: string; mnemonic: string };
    const pubkey = (JSON.parse(readFileSync(join(dn.home, "devnet", "node3", "cometbft", "config", "priv_validator_key.json"), "utf8")) as { pub_key: { value: string } }).pub_key.value;
    const manifest = JSON.parse(readFileSync(join(dn.home, "devnet", "devnet.json"), "utf8")) as { nodes: { ports: { rpc: number; rest?: number } }[] };
    const rpc3 = `http://127.0.0.1:${manifest.nodes[3]?.ports.rpc}`;
    const rest = `http://127.0.0.1:${manifest.nodes[0]?.ports.rest}`;
    const inSet = async (): Promise<boolean> => (await rpc<CometValidators>(dn.rpc, "validators?per_page=100")).validators.some((v) => v.pub_key.value === pubkey);
    await waitForHeight(dn.rpc, 3, 90_000);
    assert.equal(await inSet(), true);
    const { validator: before } = await dn.cliJson<ValidatorJson>(["query", "staking", "validator", op.validator, ...node]);
    assert.equal(before.tokens, "10000000");

    const words = join(dn.home, "operator3-words.txt");
    writeFileSync(words, op.mnemonic, { mode: 0o600 });
    await dn.cli(["keys", "import", "op3", "--mnemonic-file", words], { env });

    const pair = supervisorState(dn.home).pairs[3];
    assert.ok(pair?.cometPid && pair.appPid);
    process.kill(pair.cometPid, "SIGSTOP");
    process.kill(pair.appPid, "SIGSTOP");
    let jailedAt: number;
    try {
      const stoppedAt = await height(dn.rpc);
      await until("jailed", async () => ((await dn.cliJson<ValidatorJson>(["query", "staking", "validator", op.validator, ...node])).validator.jailed ? true : undefined), 240_000);
      jailedAt = await height(dn.rpc);
      assert.ok(jailedAt > stoppedAt + 10, `the chain went on without it (stopped at ${stoppedAt}, jailed by ${jailedAt})`);
      // jailed in block H: power 0 in H's updates, out of CometBFT's set from H+2
      await until("gone from /validators", async () => ((await inSet()) ? undefined : true), 30_000);
      assert.equal((await rpc<CometValidators>(dn.rpc, "validators")).total, "3");
      const { validator: v } = await dn.cliJson<ValidatorJson>(["query", "staking", "validator", op.validator, ...node]);
      assert.equal(v.tokens, "9900000", "slashed exactly 1% of its 10 TRUST");
      const { val_signing_info: info } = await dn.cliJson<{ val_signing_info: SigningInfo }>(["query", "slashing", "signing-info", op.validator, ...node]);
      assert.equal(info.tombstoned, false);
      assert.equal(info.missed_blocks_counter, "0", "the window restarts after a downtime jail");
      // jailed_until = the jailing block's time + downtime_jail_duration: after the last block the validator saw. Against
      // the chain's clock, not this machine's (a loaded machine spends seconds in the CLI calls since the jail).
      const stoppedTime = Date.parse((await rpc<{ block: { header: { time: string } } }>(dn.rpc, `block?height=${stoppedAt}`)).block.header.time);
      assert.ok(new Date(info.jailed_until).getTime() > stoppedTime, `jailed until ${info.jailed_until}, after block ${stoppedAt}'s time`);
      const viaRest = (await (await fetch(`${rest}/cosmos/slashing/v1beta1/signing_infos/${info.address}`)).json()) as { val_signing_info: { address: string; missed_blocks_counter: string } };
      assert.equal(viaRest.val_signing_info.address, info.address);
      const params = (await (await fetch(`${rest}/cosmos/slashing/v1beta1/params`)).json()) as { params: { signed_blocks_window: string; slash_fraction_downtime: string } };
      assert.deepEqual([params.params.signed_blocks_window, params.params.slash_fraction_downtime], ["20", "0.010000000000000000"]);
      // the operator (its key on another node) asks too early: refused, nothing changes
      await assert.rejects(dn.cli(["tx", "slashing", "unjail", "--from", "op3", ...node], { env }), /still jailed/);
      assert.equal((await dn.cliJson<ValidatorJson>(["query", "staking", "validator", op.validator, ...node])).validator.jailed, true, "a refused unjail changes nothing");
    } finally {
      process.kill(pair.appPid, "SIGCONT");
      process.kill(pair.cometPid, "SIGCONT");
    }
    await waitForHeight(rpc3, (await height(dn.rpc)) - 1, 90_000);

    const { val_signing_info: info } = await dn.cliJson<{ val_signing_info: SigningInfo }>(["query", "slashing", "signing-info", "op3", ...node]);
    await sleep(Math.max(0, new Date(info.jailed_until).getTime() - Date.now()) + 1_000);
    const out = JSON.parse((await dn.cli(["tx", "slashing", "unjail", "--from", "op3", "--output", "json", ...node], { env })).stdout) as { code: number; height: string };
    assert.equal(out.code, 0);
    const back = await until("back in /validators", async () => ((await inSet()) ? true : undefined), 30_000);
    assert.equal(back, true);
    const vals = await rpc<CometValidators>(dn.rpc, "validators");
    assert.equal(vals.total, "4");
    assert.equal(vals.validators.find((x) => x.pub_key.value === pubkey)?.voting_power, "9", "back with its slashed power");
    await assert.rejects(dn.cli(["tx", "slashing", "unjail", "--from", "op3", ...node], { env }), /not jailed/);
  });
});
