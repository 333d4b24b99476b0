// x/slashing double sign end to end: a 4-validator devnet plus a second CometBFT node (with its own app) running
// validator 3's consensus key with a fresh priv_validator_state. The two sign different blocks or nil at the same
// height; CometBFT turns that into DuplicateVoteEvidence in a block, and the app slashes 5%, jails and tombstones:
// a later `trustnet tx slashing unjail` is refused with the SDK's code. Real CometBFT, real app processes.
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { cometbftBinary } from "../helpers/cometbft.ts";
import { type Devnet, REPO, rpc, sleep, startDevnet, waitForHeight } from "../helpers/devnet.ts";

const PORT_OFFSET = 4500; // every port below the ephemeral range (test/helpers/devnet.ts refuses a devnet inside it)
const TWIN = { p2p: 26656 + PORT_OFFSET + 90, rpc: 26657 + PORT_OFFSET + 90, abci: 26658 + PORT_OFFSET + 90 };

/** A validator as `query staking validator -o json` prints it in {validator: …} (the REST route's JSON, simd's shape). */
interface ValidatorJson { readonly jailed: boolean; readonly tokens: string }
interface SigningInfo { readonly tombstoned: boolean; readonly jailed_until: string }
interface Block { readonly block: { readonly header: { readonly height: string }; readonly evidence: { readonly evidence: { readonly type: string }[] } } }

/** Sets `key = value` in `[section]` ("" = the top) of a CometBFT config.toml as `cometbft init` wrote it. */
function setToml(text: string, section: string, key: string, value: string | boolean): string {
  const start = section === "" ? 0 : text.indexOf(`\n[${section}]\n`);
  assert.ok(start >= 0, `no [${section}] in config.toml`);
  const next = text.indexOf("\n[", start + 1);
  const end = next < 0 ? text.length : next;
  const line = new RegExp(`^${key} = .*$`, "m");
  const body = text.slice(start, end);
  assert.match(body, line, `no ${key} in [${section}]`);
  return text.slice(0, start) + body.replace(line, `${key} = ${typeof value === "string" ? JSON.stringify(value) : String(value)}`) + text.slice(end);
}

const listening = (port: number): Promise<boolean> => new Promise((resolve) => {
  const s = connect(port, "127.0.0.1", () => { s.end(); resolve(true); });
  s.once("error", () => resolve(false));
});

/** A second node signing with `validator`'s key: its own CometBFT home and app, peered with node 0. */
async function startTwin(home: string, validator: number): Promise<ChildProcess[]> {
  const cometbft = cometbftBinary();
  const dir = join(home, "twin");
  const cometHome = join(dir, "cometbft");
  mkdirSync(join(dir, "app"), { recursive: true });
  execFileSync(cometbft, ["init", "--home", cometHome]);
  const node = (i: number): string => join(home, "devnet", `node${i}`, "cometbft");
  copyFileSync(join(node(0), "config", "genesis.json"), join(cometHome, "config", "genesis.json"));
  copyFileSync(join(node(validator), "config", "priv_validator_key.json"), join(cometHome, "config", "priv_validator_key.json"));
  const peer = `${execFileSync(cometbft, ["show-node-id", "--home", node(0)], { encoding: "utf8" }).trim()}@127.0.0.1:${26656 + PORT_OFFSET}`;
  const cfgPath = join(cometHome, "config", "config.toml");
  let cfg = readFileSync(cfgPath, "utf8");
  for (const [section, key, value] of [
    ["", "moniker", "twin"], ["", "proxy_app", `tcp://127.0.0.1:${TWIN.abci}`], ["rpc", "laddr", `tcp://127.0.0.1:${TWIN.rpc}`],
    ["p2p", "laddr", `tcp://127.0.0.1:${TWIN.p2p}`], ["p2p", "persistent_peers", peer], ["p2p", "addr_book_strict", false],
    ["p2p", "allow_duplicate_ip", true], ["consensus", "timeout_commit", "300ms"],
  ] as const) cfg = setToml(cfg, section, key, value);
  writeFileSync(cfgPath, cfg);
  const out = openSync(join(dir, "twin.log"), "a");
  const app = spawn(process.execPath, [join(REPO, "abci-app/src/main.ts"), "--home", join(dir, "app"), "--address", `tcp://127.0.0.1:${TWIN.abci}`, "--rest-address", "off"], { stdio: ["ignore", out, out] });
  while (!(await listening(TWIN.abci))) {
    assert.equal(app.exitCode, null, `the twin's app exited: ${readFileSync(join(dir, "twin.log"), "utf8").slice(-2000)}`);
    await sleep(100);
  }
  const comet = spawn(cometbft, ["start", "--home", cometHome], { stdio: ["ignore", out, out] });
  closeSync(out);
  return [comet, app];
}

describe("x/slashing double sign on a 4-validator devnet", () => {
  let d: Devnet | undefined;
  let twin: ChildProcess[] = [];
  const stopTwin = (): void => {
    for (const p of twin) if (p.pid !== undefined && p.exitCode === null) process.kill(p.pid, "SIGKILL");
    twin = [];
  };
  after(async () => {
    stopTwin();
    await d?.destroy();
  });

  test("two nodes with one validator key: DuplicateVoteEvidence, 5% slashed, jailed, tombstoned; unjail refused", { timeout: 600_000 }, async () => {
    d = await startDevnet({ validators: 4, portOffset: PORT_OFFSET, blockTime: "300ms" });
    const dn = d;
    const node = ["--node", dn.rpc];
    const env = { TRUSTNET_KEYRING_PASSPHRASE: "double-sign e2e passphrase" };
    const op = JSON.parse(readFileSync(join(dn.home, "devnet", "node3", "validator-operator.json"), "utf8")) as { validator: string; mnemonic: string };
    const pubkey = (JSON.parse(readFileSync(join(dn.home, "devnet", "node3", "cometbft", "config", "priv_validator_key.json"), "utf8")) as { pub_key: { value: string } }).pub_key.value;
    const start = await waitForHeight(dn.rpc, 3, 90_000);

    twin = await startTwin(dn.home, 3);
    const end = Date.now() + 240_000;
    let jailed: ValidatorJson | undefined;
    while (Date.now() < end && !jailed) {
      const { validator: v } = await dn.cliJson<{ validator: ValidatorJson }>(["query", "staking", "validator", op.validator, ...node]);
      if (v.jailed) jailed = v;
      else await sleep(500);
    }
    stopTwin();
    assert.ok(jailed, "the double-signing validator was jailed within 240 s");
    assert.equal(jailed.tokens, "9500000", "5% of its 10 TRUST (its power at the infraction) burned");
    // the evidence is in a block, as CometBFT's DuplicateVoteEvidence
    const top = Number((await rpc<Block>(dn.rpc, "block")).block.header.height);
    let found = false;
    for (let h = top; h > start && !found; h--) found = (await rpc<Block>(dn.rpc, `block?height=${h}`)).block.evidence.evidence.some((e) => e.type === "tendermint/DuplicateVoteEvidence");
    assert.ok(found, "a block carries DuplicateVoteEvidence");
    await waitForHeight(dn.rpc, top + 2, 30_000);
    const set = await rpc<{ total: string; validators: { pub_key: { value: string } }[] }>(dn.rpc, "validators?per_page=100");
    assert.equal(set.validators.some((v) => v.pub_key.value === pubkey), false, "gone from CometBFT's set");
    assert.equal(set.total, "3");
    const { val_signing_info: info } = await dn.cliJson<{ val_signing_info: SigningInfo }>(["query", "slashing", "signing-info", op.validator, ...node]);
    assert.equal(info.tombstoned, true);
    assert.equal(info.jailed_until, "9999-12-31T23:59:59Z", "as jsonpb prints the Timestamp (simd q slashing signing-info -o json)");

    const words = join(dn.home, "operator3-words.txt");
    writeFileSync(words, op.mnemonic, { mode: 0o600 });
    await dn.cli(["keys", "import", "op3", "--mnemonic-file", words], { env });
    await assert.rejects(dn.cli(["tx", "slashing", "unjail", "--from", "op3", ...node], { env }), /tombstoned[\s\S]*still jailed|code 4/);
    const { validator: later } = await dn.cliJson<{ validator: ValidatorJson }>(["query", "staking", "validator", op.validator, ...node]);
    assert.deepEqual([later.jailed, later.tokens], [true, "9500000"], "the refused unjail changed nothing");
  });
});
