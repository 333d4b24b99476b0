// `query txs`, `query tx --type`, `query block`, `query blocks` and `status`, through the real CLI against a fake
// CometBFT node: `-o json` prints what @trustnet/abci-app's nodeAnswers reads (the REST routes' own handlers: node-answers.spec.ts shows their
// bodies equal the REST server's), the text the fields people look for, and bad input a clear error before the node
// is asked.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toBech32 } from "@cosmjs/encoding";
import { nodeAnswers } from "@trustnet/abci-app";
import { runCli, startFakeNode, type FakeNode } from "../testing/fake-node.ts";

describe("trustnet query txs|tx|block|blocks, status", () => {
  let home: string;
  let node: FakeNode;
  let alice: string;
  const env = { TRUSTNET_KEYRING_PASSPHRASE: "correct horse battery" };
  before(async () => {
    home = await mkdtemp(join(tmpdir(), "tn-chain-query-"));
    node = await startFakeNode({ memo: "rent" });
    const r = await runCli(["keys", "add", "alice", "--home", home, "-o", "json"], env);
    assert.equal(r.code, 0, r.stderr);
    alice = (JSON.parse(r.stdout) as { address: string }).address;
  });
  after(async () => {
    await node.close();
    await rm(home, { recursive: true, force: true });
  });
  const cli = (...argv: string[]) => runCli([...argv, "--home", home, "--node", node.url, "--chain-id", "trustnet-local-1"], env);
  const json = (stdout: string): Record<string, unknown> => JSON.parse(stdout) as Record<string, unknown>;

  test("query txs --query: -o json is simd's SearchTxsResult, txs GET /cosmos/tx/v1beta1/txs's tx_responses; the page and order asked of tx_search", async () => {
    const query = `message.sender='${alice}'`;
    const r = await cli("query", "txs", "--query", query, "--limit", "5", "--order_by", "desc", "-o", "json");
    assert.equal(r.code, 0, r.stderr);
    const out = json(r.stdout);
    const rest = await nodeAnswers(node.url).searchTxs({ query, page: 1, limit: 5, orderBy: "desc" });
    assert.deepEqual(out, { total_count: "1", count: "1", page_number: "1", page_total: "1", limit: "5", txs: rest.tx_responses });
    assert.deepEqual(Object.keys(out), ["total_count", "count", "page_number", "page_total", "limit", "txs"], "SearchTxsResult's fields, in its order");
    const [resp] = out.txs as Record<string, unknown>[];
    assert.equal(resp?.txhash, node.txHash);
    assert.equal(resp?.height, "9");
    assert.equal(resp?.timestamp, "2026-01-01T00:00:09Z", "block 9's time (header)");
    assert.equal((resp?.tx as { "@type": string; body: { memo: string } }).body.memo, "rent");
    assert.equal((resp?.tx as { "@type": string })["@type"], "/cosmos.tx.v1beta1.Tx");
    assert.deepEqual(node.searches.at(-1), { query, page: "1", per_page: "5", order_by: "desc", prove: false });
    const sdkNames = await cli("q", "txs", "--query", query, "--page", "1", "--limit", "5", "--order_by", "desc", "-o", "json");
    assert.equal(sdkNames.stdout, r.stdout, "q is query");
    const past = json((await cli("query", "txs", "--query", query, "--page", "3", "--limit", "1", "-o", "json")).stdout);
    assert.deepEqual(past, { total_count: "1", count: "0", page_number: "3", page_total: "1", limit: "1", txs: [] }, "a page past the last: no txs, the search's total");
  });

  test("query txs text: a line per tx (hash, height, code, messages' types) and the count", async () => {
    const r = await cli("query", "txs", "--query", "tx.height=9");
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${node.txHash}  height 9  code 0  (no messages)\ntxs 1–1 of 1 (page 1, --limit 100)\n`);
    const past = await cli("query", "txs", "--query", "tx.height=9", "--page", "2", "--limit", "1");
    assert.equal(past.code, 0, past.stderr);
    assert.equal(past.stdout, "no tx on page 2 (1 match)\n", "the search's total, though CometBFT refuses the page");
  });

  test("query txs: a bad query, page, limit or order is a clear error (exit 2), nothing printed", async () => {
    const asked = node.calls.length;
    const cases: [string[], RegExp][] = [
      [[], /--query is required/u],
      [["--query", " "], /--query is required/u],
      [["--query", "tx.height=1", "--page", "-1"], /--page: "-1" is not a whole number from 1 to 1000000/u],
      [["--query", "tx.height=1", "--page", "0"], /--page: "0" is not a whole number/u],
      [["--query", "tx.height=1", "--limit", "101"], /--limit: "101" is not a whole number from 1 to 100/u],
      [["--query", "tx.height=1", "--limit", "1.5"], /--limit: "1.5" is not a whole number/u],
      [["--query", "tx.height=1", "--order_by", "up"], /Invalid values:[\s\S]*order_by/u],
      [["--query", "a=1", "--query", "b=2"], /--query is given more than once/u],
      [["--query", "tx.height=1", "--page", "10002"], /--page 10002 with --limit 100 starts past the 1,000,000th tx/u],
    ];
    for (const [argv, re] of cases) {
      const r = await cli("query", "txs", ...argv);
      assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, re, argv.join(" "));
      assert.equal(r.stdout, "");
    }
    assert.equal(node.calls.length, asked, "the node was not asked");
    // The route's own checks: a query without an exact condition, and one the node cannot parse.
    const range = await cli("query", "txs", "--query", "tx.height>0");
    assert.equal(range.code, 2, range.stderr);
    assert.match(range.stderr, /query txs: query needs at least one exact condition/u);
    const syntax = await cli("query", "txs", "--query", "message.sender='trust1");
    assert.equal(syntax.code, 2, syntax.stderr);
    assert.match(syntax.stderr, /query txs: query is not a valid CometBFT event query/u);
    assert.equal(syntax.stdout, "");
  });

  test("query tx --type acc_seq|signature finds the tx through its tx events and prints it as tx <hash>", async () => {
    const own = await cli("tx", node.txHash, "-o", "json");
    assert.equal(own.code, 0, own.stderr);
    const bySeq = await cli("query", "tx", "--type", "acc_seq", "alice/0", "-o", "json");
    assert.equal(bySeq.code, 0, bySeq.stderr);
    assert.equal(bySeq.stdout, own.stdout);
    assert.equal(node.searches.at(-1)?.query, `tx.acc_seq='${alice}/0'`, "the key name as its address");
    const sig = Buffer.alloc(64).toString("base64");
    const bySig = await cli("query", "tx", "--type", "signature", `${sig},${sig}`);
    assert.equal(bySig.code, 0, bySig.stderr);
    assert.equal(node.searches.at(-1)?.query, `tx.signature='${sig}' AND tx.signature='${sig}'`);
    assert.equal(bySig.stdout, (await cli("tx", node.txHash)).stdout);
    const byHash = await cli("query", "tx", "--type", "hash", node.txHash, "-o", "json");
    assert.equal(byHash.stdout, own.stdout);
  });

  test("tx <hash> -o json: simd's TxResponse fields as GET /cosmos/tx/v1beta1/txs/{hash}'s tx_response, and the CLI's own keys", async () => {
    const r = await cli("tx", node.txHash, "-o", "json");
    assert.equal(r.code, 0, r.stderr);
    const out = json(r.stdout);
    const rest = await nodeAnswers(node.url).txResponse(node.txHash);
    assert.deepEqual(Object.keys(out), ["txhash", "height", "index", "code", "gas_wanted", "gas_used", "memo", "fee", "messages", "events", "raw_log", "codespace", "data", "logs", "info", "tx", "timestamp"]);
    for (const k of ["codespace", "data", "logs", "info", "tx", "timestamp"]) assert.deepEqual(out[k], rest[k], k);
    for (const k of ["txhash", "height", "code", "gas_wanted", "gas_used", "raw_log"]) assert.deepEqual(out[k], rest[k], `${k}: the same value and type as REST's`);
    assert.equal(out.timestamp, "2026-01-01T00:00:09Z", "block 9's time");
    assert.equal((out.tx as { "@type": string; body: { memo: string } })["@type"], "/cosmos.tx.v1beta1.Tx");
    assert.equal((out.tx as { body: { memo: string } }).body.memo, "rent");
    assert.equal(out.memo, "rent", "the CLI's own keys stay");
    assert.equal(out.index, 0);
    const text = await cli("tx", node.txHash);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, /timestamp|codespace/u, "the text is as before");
    assert.match(text.stdout, new RegExp(`^txhash: ${node.txHash}\nheight: 9 {2}index: 0 {2}code: 0 \\(success\\)\ngas: {4}50000 used / 200000 wanted\n`, "u"));
  });

  test("query tx: a bad --type, acc_seq or signature is refused before the node is asked", async () => {
    const asked = node.calls.length;
    const cosmos = toBech32("cosmos", new Uint8Array(20).fill(1));
    // An unknown key name is exit code 1, as every command that takes an address (address-arg.ts) answers it.
    const cases: [string[], RegExp, number][] = [
      [["--type", "sequence", "x"], /Invalid values:[\s\S]*type/u, 2],
      [["--type", "acc_seq", `${alice}`], /is not <address>\/<sequence>/u, 2],
      [["--type", "acc_seq", `${alice}/-1`], /is not <address>\/<sequence>/u, 2],
      [["--type", "acc_seq", `${cosmos}/1`], /cosmos1/u, 2],
      [["--type", "acc_seq", "nosuchkey/1"], /no key named "nosuchkey"/u, 1],
      [["--type", "signature", "not base64!"], /"not base64!" is not a base64 signature/u, 2],
      [["--type", "signature", "AAAA,"], /"" is not a base64 signature/u, 2],
      [["1234"], /invalid tx hash "1234": expected 64 hex digits/u, 2],
    ];
    for (const [argv, re, code] of cases) {
      const r = await cli("query", "tx", ...argv);
      assert.equal(r.code, code, `${argv.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, re, argv.join(" "));
    }
    assert.equal(node.calls.length, asked, "the node was not asked");
  });

  test("query tx --type acc_seq: no tx found is an error (exit 1)", async () => {
    const empty = await startFakeNode({ txSearch: "pending" });
    try {
      const r = await runCli(["query", "tx", "--type", "acc_seq", `${alice}/7`, "--home", home, "--node", empty.url], env);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /found no tx matching the given address and sequence/u);
    } finally {
      await empty.close();
    }
  });

  test("query block [--type height|hash] [value]: -o json is the block routes' {block_id, block, sdk_block}", async () => {
    const answers = nodeAnswers(node.url);
    const latest = await cli("query", "block", "-o", "json");
    assert.equal(latest.code, 0, latest.stderr);
    assert.deepEqual(json(latest.stdout), await answers.block());
    assert.deepEqual(Object.keys(json(latest.stdout)).sort(), ["block", "block_id", "sdk_block"]);
    assert.equal((json(latest.stdout).block as { header: { height: string } }).header.height, "10");
    const nine = await cli("query", "block", "9", "-o", "json");
    assert.deepEqual(json(nine.stdout), await answers.block("9"));
    const byHash = await cli("query", "block", "--type", "hash", node.blockHash(9).toLowerCase(), "-o", "json");
    assert.equal(byHash.code, 0, byHash.stderr);
    assert.equal(byHash.stdout, nine.stdout, "the same block, the same JSON");
    const b64 = (json(nine.stdout).block_id as { hash: string }).hash;
    assert.equal(b64, Buffer.from(node.blockHash(9), "hex").toString("base64"), "-o json prints the hash in base64");
    const byBase64 = await cli("query", "block", "--type", "hash", b64, "-o", "json");
    assert.equal(byBase64.code, 0, byBase64.stderr);
    assert.equal(byBase64.stdout, nine.stdout, "the base64 hash -o json printed finds the same block");
    const text = await cli("query", "block", "9");
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^height: {3}9 {2}time: 2026-01-01T00:00:09Z {2}chain: trustnet-local-1$/mu);
    assert.ok(text.stdout.includes(`hash:     ${node.blockHash(9)}\n`), text.stdout);
    assert.match(text.stdout, /^proposer: trustvalcons1\w+$/mu);
    assert.match(text.stdout, /^txs: {6}1 {2}last commit signatures: 1$/mu);
  });

  test("query block: a bad height, hash or type is a clear error; a block the node lacks, its error (exit 1)", async () => {
    const asked = node.calls.length;
    for (const [argv, re] of [
      [["-1"], /"-1" is not a block height/u], [["0"], /"0" is not a block height/u], [["abc"], /"abc" is not a block height/u],
      [["--type", "hash", "12"], /invalid block hash "12": expected 64 hex digits or 32 bytes in base64/u], [["--type", "hash"], /--type hash needs the block's hash/u],
      [["--type", "hash", Buffer.alloc(31).toString("base64")], /invalid block hash "A{42}==": expected 64 hex digits or 32 bytes in base64/u],
      [["--type", "hash", Buffer.alloc(33).toString("base64")], /invalid block hash "A{44}": expected/u],
      [["--type", "hash", `${Buffer.alloc(32).toString("base64").slice(0, 43)}-`], /invalid block hash/u],
      [["--type", "time", "1"], /Invalid values:[\s\S]*type/u],
    ] as [string[], RegExp][]) {
      const r = await cli("query", "block", ...argv);
      assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr, re, argv.join(" "));
    }
    assert.equal(node.calls.length, asked, "the node was not asked");
    const future = await cli("query", "block", "11");
    assert.equal(future.code, 1, future.stderr);
    assert.match(future.stderr, /query block: height 11 is not available on this node: its latest block is 10\n[\s\S]*omit the height for the latest block/u);
    assert.equal(future.stdout, "");
    const unknown = await cli("query", "block", "--type", "hash", "AB".repeat(32));
    assert.equal(unknown.code, 1, unknown.stderr);
    assert.match(unknown.stderr, /query block: no block with hash (AB){32}/u);
  });

  test("query blocks --query: simd's SearchBlocksResult, each block as the block routes' `block`; the text a line per block", async () => {
    const r = await cli("query", "blocks", "--query", "block.height > 5", "--limit", "2", "--order_by", "desc", "-o", "json");
    assert.equal(r.code, 0, r.stderr);
    const out = json(r.stdout);
    const answers = nodeAnswers(node.url);
    assert.deepEqual(out, await answers.searchBlocks({ query: "block.height > 5", page: 1, limit: 2, orderBy: "desc" }));
    assert.deepEqual({ ...out, blocks: undefined }, { total_count: "5", count: "2", page_number: "1", page_total: "3", limit: "2", blocks: undefined });
    assert.deepEqual(out.blocks, [(await answers.block("10")).block, (await answers.block("9")).block], "the newest first, as GetBlockByHeight's block");
    const text = await cli("query", "blocks", "--query", "block.height > 5", "--page", "3", "--limit", "2");
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, "height 10  time 2026-01-01T00:00:10Z  txs 0\nblocks 5–5 of 5 (page 3 of 3, --limit 2)\n");
    const past = await cli("query", "blocks", "--query", "block.height > 5", "--page", "4", "--limit", "2");
    assert.equal(past.code, 0, past.stderr);
    assert.equal(past.stdout, "no block on page 4 (5 matches)\n");
    const asked = node.calls.length;
    for (const [argv, re] of [[[], /--query is required/u], [["--query", "block.height>1", "--limit", "0"], /--limit: "0" is not a whole number/u], [["--query", "block.height>1", "--page", "-2"], /--page: "-2" is not a whole number/u]] as [string[], RegExp][]) {
      const bad = await cli("query", "blocks", ...argv);
      assert.equal(bad.code, 2, `${argv.join(" ")}: ${bad.stderr}`);
      assert.match(bad.stderr, re);
    }
    assert.equal(node.calls.length, asked, "the node was not asked");
    const syntax = await cli("query", "blocks", "--query", "block.height = '5");
    assert.equal(syntax.code, 2, syntax.stderr);
    assert.match(syntax.stderr, /query blocks: query is not a valid CometBFT event query/u);
  });

  test("status: CometBFT's status as it answers; the text names network, latest block, catching_up, validator", async () => {
    const r = await cli("status", "-o", "json");
    assert.equal(r.code, 0, r.stderr);
    const out = json(r.stdout);
    assert.deepEqual(out, await nodeAnswers(node.url).status());
    assert.deepEqual(Object.keys(out).sort(), ["node_info", "sync_info", "validator_info"]);
    const text = await cli("status");
    assert.equal(text.code, 0, text.stderr);
    assert.equal(text.stdout, [
      "network:      trustnet-local-1  (node fake, CometBFT 0.38.25)",
      "latest block: 10 at 2026-01-01T00:00:00Z",
      "catching_up:  false",
      `validator:    ${"AB".repeat(20)} (voting power 10)`,
      "",
    ].join("\n"));
    const other = await runCli(["status", "--home", home, "--node", node.url, "--chain-id", "other-1"], env);
    assert.equal(other.code, 1);
    assert.match(other.stderr, /is on chain "trustnet-local-1", not "other-1"/u);
  });
});
