// `trustnet query <module> …` is built from the modules' declared CLI queries alone: every module's commands are
// there, and bad input (a bad choice, address, key name or consensus address) is refused with a clear error before
// any node is asked. (The answers themselves: abci-app/src/app/staking-cli-queries.spec.ts and test/chain/*.e2e.ts.)
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { buildCli } from "../main.ts";
import { moduleQueryCommands, queryHeight } from "./module-query.ts";
import { queryFailure } from "../chain/index.ts";
import { CliError } from "../errors.ts";

describe("trustnet query", () => {
  let home: string;
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-query-"));
  });
  after(() => rm(home, { recursive: true, force: true }));
  // Port 1 refuses at once: any command that got as far as the node fails there, not on its input.
  const run = async (...argv: string[]) => buildCli(["query", ...argv, "--home", home, "--node", "http://127.0.0.1:1"]).parseAsync();

  test("one command per module that declares its queries, staking, distribution, slashing and mint among them", () => {
    const modules = moduleQueryCommands().map((c) => String(c.command));
    for (const m of ["auth", "bank", "registry", "staking", "distribution", "slashing", "mint"]) assert.ok(modules.includes(`${m} <command>`), `${m}: ${modules.join(", ")}`);
    const staking = moduleQueryCommands().find((c) => c.command === "staking <command>");
    assert.equal(staking?.describe, "staking queries: validators, validator, validator-delegations, validator-unbonding-delegations, delegation, delegations, delegator-validators, unbonding, unbonding-delegation, redelegations, redelegation, historical-info, pool, params");
    const distribution = moduleQueryCommands().find((c) => c.command === "distribution <command>");
    assert.equal(distribution?.describe, "distribution queries: rewards, rewards-by-validator, commission, validator-distribution-info, outstanding-rewards, community-pool, withdraw-address, slashes, params");
  });

  test("bad input gets a clear error before the node is asked", async () => {
    await assert.rejects(run("staking", "validators", "--status", "jailed"), /Invalid values:[\s\S]*status[\s\S]*"jailed"/u);
    await assert.rejects(run("staking", "validator", "nosuchkey"), /no key named "nosuchkey"/u);
    await assert.rejects(run("staking", "validator", "trustvaloper1nope"), /trustvaloper1nope/u);
    await assert.rejects(run("staking", "delegations", "trust1nope"), /trust1nope/u);
    await assert.rejects(run("distribution", "rewards", "nosuchkey"), /no key named "nosuchkey"/u);
    await assert.rejects(run("slashing", "signing-info", "trustvalcons1xyz"), /"trustvalcons1xyz" is not a valid trustvalcons address/u);
    await assert.rejects(run("mint", "supply"), /name a mint query/u, "mint has no supply query");
    const valoper = toBech32("trustvaloper", new Uint8Array(20).fill(3));
    const account = toBech32("trust", new Uint8Array(20).fill(3));
    await assert.rejects(run("staking", "delegation", valoper, valoper), /"trustvaloper1\S+" is a validator operator address \(trustvaloper1…\), not an account address/u);
    await assert.rejects(run("staking", "delegation", "nosuchkey", valoper), /no key named "nosuchkey"/u);
    await assert.rejects(run("staking", "delegation", account), /Not enough non-option arguments/u, "the validator is required");
    await assert.rejects(run("staking", "redelegations", "cosmos1nope"), /cosmos1nope/u);
    await assert.rejects(run("staking", "redelegation", account, valoper, account), /the source and destination validators are the same/u, "an operator's account is its validator");
    await assert.rejects(run("distribution", "withdraw-address", valoper), /is a validator operator address/u);
    await assert.rejects(run("distribution", "slashes", valoper, "--start", "-1"), /--start: "-1" is not a block height/u);
    await assert.rejects(run("distribution", "slashes", valoper, "--end", "12.5"), /--end: "12.5" is not a block height/u);
    await assert.rejects(run("distribution", "slashes", valoper, "--start", "10", "--end", "9"), /--start 10 is after --end 9/u);
    await assert.rejects(run("distribution", "slashes", "trust1nope"), /trust1nope/u);
    await assert.rejects(run("distribution", "slashes"), /Not enough non-option arguments/u);
    await assert.rejects(run("distribution", "slashes", valoper, "--start", "5", "--start", "6"), /--start is given more than once/u);
    await assert.rejects(run("leasing", "leases", account, "--provider", account, "--provider", account), /--provider is given more than once/u);
    await assert.rejects(run("leasing", "lease", "abc"), /"abc" is not a lease id \(a positive whole number\)/u);
    await assert.rejects(run("leasing", "escrow", "0"), /"0" is not a lease id/u);
    await assert.rejects(run("leasing", "providers", "--cpu-millis", "x"), /--cpu-millis must be a whole number, not "x"/u);
    await assert.rejects(run("leasing", "providers", "--bandwidth-mbps", "-5"), /--bandwidth-mbps must be a whole number, not "-5"/u);
    await assert.rejects(run("staking", "validator-delegations", "nosuchkey"), /no key named "nosuchkey"/u);
    await assert.rejects(run("staking", "validator-delegations"), /Not enough non-option arguments/u);
    await assert.rejects(run("staking", "validator-unbonding-delegations", "trustvaloper1nope"), /trustvaloper1nope/u);
    await assert.rejects(run("staking", "delegator-validators", valoper), /is a validator operator address/u);
    await assert.rejects(run("staking", "historical-info", "-1"), /block-height: "-1" is not a block height/u);
    await assert.rejects(run("staking", "historical-info", "9223372036854775808"), /block-height: "9223372036854775808" is above 9223372036854775807/u);
    await assert.rejects(run("staking", "historical-info"), /Not enough non-option arguments/u);
  });

  test("--height is checked before the node is asked: a whole number from 0 to 2^63-1, given once", async () => {
    for (const bad of ["-1", "1.5", "1e3", "0x10", "", " 5", "9223372036854775808", "99999999999999999999"]) {
      await assert.rejects(run("staking", "pool", `--height=${bad}`), /--height: ".*" is not a block height \(a whole number from 0 to 9223372036854775807; 0 = the latest\)/u, bad);
    }
    await assert.rejects(run("bank", "supply", "--height", "3", "--height", "4"), /--height is given more than once/u);
    await assert.rejects(run("mint", "inflation", "--height", "9223372036854775807"), /--height: 9223372036854775807 is above any height a chain reaches/u);
    assert.equal(queryHeight(undefined), undefined);
    assert.equal(queryHeight("0"), undefined, "0 is the latest");
    assert.equal(queryHeight("0012"), 12);
    assert.equal(queryHeight(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
    for (const argv of [["mint", "inflation", "--height", "7"], ["staking", "validators", "--height", "0"], ["leasing", "params", "--height", "1"]]) {
      await assert.rejects(run(...argv), /127\.0\.0\.1:1/u, argv.join(" "));
    }
  });

  test("the app's refusal of a query is a query error, a height it does not keep names the kept range", () => {
    const gone = queryFailure(new Error("Query failed with (26): height 3 is not available (oldest 12, latest 111): invalid height"), "query staking pool");
    assert.ok(gone instanceof CliError);
    assert.equal(gone.message, "height 3 is not available on this node: it keeps heights 12 to 111");
    assert.match(gone.hint ?? "", /give a --height in that range, or omit it/u);
    const notFound = queryFailure(new Error("Query failed with (5): validator trustvaloper1x not found: validator does not exist"), "query staking validator");
    assert.ok(notFound instanceof CliError);
    assert.equal(notFound.message, "query staking validator: the node refused the query (code 5): validator trustvaloper1x not found: validator does not exist");
    const empty = queryFailure(new Error("Query failed with (26): height 0 is not available (oldest 0, latest 0): invalid height"), "query mint inflation");
    assert.ok(empty instanceof CliError);
    assert.equal(empty.message, "the node has committed no block yet: its state is not readable before the first block", "not \"height 0 … keeps heights 0 to 0\"");
    // staking's ErrNoDelegation is code 19, the SDK's "tx already in mempool": a query's code is not a tx's.
    const noDelegation = queryFailure(new Error("Query failed with (19): delegation with delegator trust1a not found for validator trustvaloper1b: no delegation for (address, validator) tuple"), "query staking delegation");
    assert.ok(noDelegation instanceof CliError);
    assert.match(noDelegation.message, /^query staking delegation: the node refused the query \(code 19\): delegation with delegator trust1a not found/u);
    assert.doesNotMatch(noDelegation.message, /mempool/u);
    const other = new Error("fetch failed");
    assert.equal(queryFailure(other, "x"), other, "not the app's answer: left to translateChainError");
  });

  test("good input goes to the node (here: none), whose absence is named", async () => {
    await assert.rejects(run("mint", "inflation"), /127\.0\.0\.1:1/u);
    await assert.rejects(run("staking", "validators", "--status", "bonded"), /127\.0\.0\.1:1/u);
    const valoper = toBech32("trustvaloper", new Uint8Array(20).fill(3));
    const account = toBech32("trust", new Uint8Array(20).fill(4));
    for (const argv of [
      ["staking", "delegation", account, valoper], ["staking", "redelegations", account], ["staking", "redelegation", account, valoper, account],
      ["staking", "params"], ["staking", "unbonding-delegations", account], ["staking", "unbonding-delegation", account, valoper], ["distribution", "community-pool"], ["distribution", "withdraw-address", account],
      ["staking", "validator-delegations", valoper], ["staking", "validator-unbonding-delegations", account], ["staking", "delegator-validators", account], ["staking", "historical-info", "12"], ["staking", "historical-info", "12", "--height", "20"], ["leasing", "lease", "7"], ["leasing", "providers", "--cpu-millis", "500"],
      ["distribution", "slashes", valoper, "--start", "0", "--end", "18446744073709551615"], ["distribution", "params"], ["distribution", "validator-outstanding-rewards", valoper], ["distribution", "validator-distribution-info", valoper],
      ["staking", "delegations-to", valoper], ["staking", "unbonding-delegations-from", valoper], ["distribution", "rewards-by-validator", account, valoper],
    ]) await assert.rejects(run(...argv), /127\.0\.0\.1:1/u, argv.join(" "));
  });
});
