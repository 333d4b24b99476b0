// The explorer at / on :1317 in a real browser: Debian's chromium driven by playwright-core (never a downloaded
// browser), against a real devnet with a real send and a real push. Live height, search → tx page with the right
// amount, account page with the right balance, validators page and a validator page (x/staking), registry tag page with the on-chain digest, a namespace page with its deposit, not-found and
// node-unreachable states, screenshots at desktop and 390-px widths, and script injected through a memo, a
// namespace and a tag rendered as text (no dialog, no script runs, no element is created).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import type { SigningStargateClient } from "@cosmjs/stargate";
import { REPO, type Devnet, startDevnet } from "../helpers/devnet.ts";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient as Signer } from "@cosmjs/stargate";
import { BECH32_PREFIX, DEFAULT_GAS_PRICE, trustnetRegistry } from "@trustnet/abci-app";
import { ED25519 } from "../../abci-app/src/modules/leasing/testing/ssh-keys.ts";
import { faucetClient, namespaceOwner, pushAndWaitRecorded, REST } from "../helpers/chain-actions.ts";

const CHROMIUM = "/usr/bin/chromium";
const OUT = join(REPO, ".test-output", "explorer");
const XSS_MEMO = `<img src=x onerror="window.__xss='memo'"><script>window.__xss='memo-script'</script>`;
const XSS_NS = `<img src=x onerror="window.__xss='ns'">`;
const XSS_TAG = `<svg onload="window.__xss='tag'">`;

describe("explorer in Debian's chromium", () => {
  let d: Devnet;
  let faucet: SigningStargateClient;
  let ctx: BrowserContext;
  let page: Page;
  let profile: string;
  const dialogs: string[] = [];
  const to = "trust1nv7w7jnqgzaj0s8mqu3c3gfdj76y6vlus9esqx";
  let txHash = "";
  let digest = "";

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (scripts/prereqs.d/20-chain.sh does)`);
    mkdirSync(OUT, { recursive: true });
    d = await startDevnet();
    faucet = await faucetClient(d);
    const r = await faucet.sendTokens(d.faucet.address, to, [{ denom: "utrust", amount: "1234567" }], "auto", XSS_MEMO);
    assert.equal(r.code, 0);
    txHash = r.transactionHash;
    const owner = await namespaceOwner(d, faucet, 61, "webns");
    digest = await pushAndWaitRecorded(owner, "webns/site", "v1");
    // The chain itself refuses script in names: it can only ever reach the explorer through a URL or the search box.
    const bad = await owner.client.signAndBroadcast(owner.key.address, [{ typeUrl: "/trustnet.registry.v1.MsgClaimNamespace", value: { owner: owner.key.address, namespace: XSS_NS } }], "auto").catch((e: Error) => ({ code: -1, rawLog: e.message }));
    assert.notEqual(bad.code, 0);
    owner.client.disconnect();

    profile = mkdtempSync(join(tmpdir(), "tn-chromium-"));
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1280, height: 800 },
    });
    page = ctx.pages()[0] ?? (await ctx.newPage());
    page.on("dialog", (dlg) => {
      dialogs.push(dlg.message());
      void dlg.dismiss();
    });
  });
  after(async () => {
    await ctx?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    faucet?.disconnect();
    await d?.destroy();
  });

  const heightNow = async (): Promise<number> => Number(await page.getByTestId("height").textContent());
  const search = async (q: string): Promise<void> => {
    await page.getByTestId("search").fill(q);
    await page.getByTestId("search").press("Enter");
  };
  const noScriptRan = async (): Promise<void> => {
    assert.deepEqual(dialogs, [], "no dialog opened");
    assert.equal(await page.evaluate("window.__xss"), undefined, "no injected script ran");
    assert.equal(await page.locator("img[src='x'], svg[onload], main script").count(), 0, "no element was created from user data");
  };

  test("the overview shows the chain and the height advances live", async () => {
    await page.goto(`${REST}/`);
    // Polled from here: the page's CSP (script-src 'self') forbids the eval a string waitForFunction needs.
    const until = async (cond: () => Promise<boolean>, ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (!(await cond())) {
        assert.ok(Date.now() < end, "timed out");
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await until(async () => /^\d+$/.test((await page.getByTestId("height").textContent()) ?? ""), 15_000);
    assert.equal(await page.getByTestId("chain-id").textContent(), "trustnet-local-1");
    const h0 = await heightNow();
    await until(async () => (await heightNow()) > h0 + 2, 20_000);
    await page.getByTestId("blocks").first().waitFor();
    assert.ok((await page.locator("[data-testid=blocks] tbody tr").count()) > 0);
    assert.match(await page.getByTestId("live").textContent() ?? "", /live|polling/);
    await page.screenshot({ path: join(OUT, "overview-desktop.png"), fullPage: true });
  });

  test("searching the tx hash lands on its page with the right amount; the memo's markup is text", async () => {
    await search(txHash);
    await page.getByTestId("tx").waitFor();
    assert.equal(new URL(page.url()).pathname, `/tx/${txHash}`);
    assert.equal(await page.getByTestId("tx-hash").textContent(), txHash);
    assert.equal(await page.getByTestId("tx-result").textContent(), "success");
    assert.equal(await page.getByTestId("msg-amount").textContent(), "1.234567 TRUST");
    assert.equal(await page.getByTestId("tx-memo").textContent(), XSS_MEMO, "the memo is shown verbatim, as text");
    await noScriptRan();
    await page.screenshot({ path: join(OUT, "tx-desktop.png"), fullPage: true });
  });

  test("the overview's latest transactions come from one bounded search per recent block", async () => {
    // `tx.height>0` made CometBFT load and sort every tx ever indexed on each overview render (each new block).
    const queries: string[] = [];
    const onRequest = (r: { url: () => string }): void => {
      const u = new URL(r.url());
      if (u.pathname === "/cosmos/tx/v1beta1/txs") queries.push(u.searchParams.get("query") ?? "");
    };
    page.on("request", onRequest);
    try {
      // To itself: the balance of `to` is checked by the next test.
      const sent = await faucet.sendTokens(d.faucet.address, d.faucet.address, [{ denom: "utrust", amount: "1" }], "auto");
      assert.equal(sent.code, 0);
      await page.goto(`${REST}/`);
      await page.locator(`[data-testid=txs] a[href="/tx/${sent.transactionHash}"]`).waitFor({ timeout: 10_000 });
    } finally {
      page.off("request", onRequest);
    }
    assert.ok(queries.length > 0, "the overview searched for its transactions");
    for (const q of queries) assert.match(q, /^tx\.height=\d+$/, `every overview search names one block (got ${q})`);
  });

  test("the account page shows the right balance and history", async () => {
    await page.goto(`${REST}/account/${to}`);
    await page.getByTestId("account").waitFor();
    assert.equal(await page.getByTestId("balance").textContent(), "1.234567 TRUST");
    assert.ok(await page.locator(`[data-testid=history] a[href="/tx/${txHash}"]`).count() > 0, "the send is in the history");
  });

  test("the registry tag page shows the on-chain digest and who pushed it; the namespace page its deposit", async () => {
    await page.goto(`${REST}/`);
    // Let the overview finish rendering first: a render still in flight could otherwise land after the search's.
    await page.getByTestId("blocks").first().waitFor();
    await search("webns/site:v1");
    await page.getByTestId("tag").waitFor();
    assert.equal(await page.getByTestId("digest").textContent(), digest);
    assert.ok((await page.getByTestId("pusher").textContent())?.length);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(OUT, "tag-phone.png"), fullPage: true });
    await page.goto(`${REST}/`);
    await page.getByTestId("blocks").first().waitFor();
    await page.screenshot({ path: join(OUT, "overview-phone.png"), fullPage: true });
    const overflow = Number(await page.evaluate("document.documentElement.scrollWidth - window.innerWidth"));
    assert.ok(overflow <= 1, `no horizontal scrolling at 390 px (overflow ${overflow}px)`);
    await page.setViewportSize({ width: 1280, height: 800 });
    // The namespace's page shows the deposit its claim locked (the devnet's default namespace_deposit, 1 TRUST;
    // the markup is rendered from the REST shape in abci-app/src/rest/explorer/markup.spec.ts).
    await search("webns");
    await page.getByTestId("namespace").waitFor();
    assert.equal(await page.getByTestId("namespace-deposit").textContent(), "1 TRUST (locked by the claim; refunded to the owner on release)");
  });

  test("the validators page lists moniker, operator, power, commission, status and jailed; the validator page shows its delegations", async () => {
    const operator = JSON.parse(readFileSync(join(d.home, "devnet", "node0", "validator-operator.json"), "utf8")) as { validator: string };
    const del = await faucet.delegateTokens(d.faucet.address, operator.validator, { denom: "utrust", amount: "5000000" }, "auto");
    assert.equal(del.code, 0, del.rawLog);
    await page.goto(`${REST}/validators`);
    const row = page.locator(`[data-testid=validator-row][data-operator="${operator.validator}"]`);
    await row.waitFor();
    assert.equal(await page.getByTestId("validator-row").count(), 1);
    assert.equal(await row.getByTestId("moniker").textContent(), "node0");
    assert.equal(await row.getByTestId("power").textContent(), "15", "10 TRUST self-delegation + 5 delegated");
    assert.equal(await row.getByTestId("commission").textContent(), "10%");
    assert.equal(await row.getByTestId("status").textContent(), "bonded");
    assert.equal(await row.getByTestId("jailed").textContent(), "no");
    await row.getByRole("link", { name: "node0" }).click();
    await page.getByTestId("validator").waitFor();
    assert.equal(new URL(page.url()).pathname, `/validator/${operator.validator}`);
    assert.equal(await page.getByTestId("validator-operator").textContent(), operator.validator);
    assert.equal(await page.getByTestId("validator-power").textContent(), "15");
    assert.equal(await page.getByTestId("validator-tokens").textContent(), "15 TRUST");
    assert.match(await page.getByTestId("validator-commission").textContent() ?? "", /^10% \(max 20%, max change 1% a day\)$/);
    assert.ok(await page.locator(`[data-testid=delegations] a[href="/account/${d.faucet.address}"]`).count() === 1, "the faucet's delegation is listed");
    await page.screenshot({ path: join(OUT, "validator-desktop.png"), fullPage: true });
    // Searching the operator address lands on the same page; an unknown one is not found.
    await search(operator.validator);
    await page.getByTestId("validator").waitFor();
    await page.goto(`${REST}/validator/trustvaloper1qurswpc8qurswpc8qurswpc8qurswpc885d35q`);
    await page.getByTestId("not-found").waitFor();
  });

  test("not found is said clearly; script in namespaces, tags and URLs stays text", async () => {
    await search("999999999");
    await page.getByTestId("not-found").waitFor();
    await search(`${XSS_NS}/repo:${XSS_TAG}`);
    await page.getByTestId("not-found").waitFor();
    assert.ok((await page.getByTestId("not-found").textContent())?.includes(XSS_NS), "the query is echoed as text");
    await noScriptRan();
    for (const path of [`/registry/${encodeURIComponent(XSS_NS)}`, `/registry/webns/${encodeURIComponent(`site:${XSS_TAG}`)}`, `/tx/${encodeURIComponent(XSS_MEMO)}`, `/account/${encodeURIComponent(XSS_TAG)}`]) {
      await page.goto(`${REST}${path}`);
      await page.getByTestId("not-found").waitFor();
      await noScriptRan();
    }
    await page.goto(`${REST}/tx/${"0".repeat(64)}`);
    await page.getByTestId("not-found").waitFor();
  });

  test("hostile search input gets a sentence on /search, never another page or a request", async () => {
    // "webns?x=1" used to open the webns namespace and "../blocks" the blocks page (the query went into the path
    // raw, so the browser split off ?… and resolved ..); odd numbers went to the registry as namespace names.
    const cases: [string, RegExp][] = [
      ["webns?x=1", /not a block height, tx hash, address, lease or registry name/], ["webns/site:v1#x", /not a repository or tag name/],
      ["../blocks", /not a block height, tx hash, address, lease or registry name/], ["1e309", /not a block height/], ["-5", /not a block height/],
      ["0", /Block heights start at 1/], ["99999999999999999999", /too large/], ["x".repeat(100_000), /longer than 512 characters/],
    ];
    for (const [q, why] of cases) {
      await page.goto(`${REST}/`);
      await page.getByTestId("blocks").first().waitFor();
      const asked: string[] = [];
      const onRequest = (r: { url: () => string }): void => void asked.push(new URL(r.url()).pathname);
      page.on("request", onRequest);
      await search(q);
      await page.getByTestId("not-found").waitFor();
      page.off("request", onRequest);
      assert.match(await page.getByTestId("not-found").textContent() ?? "", why, q.slice(0, 40));
      assert.equal(new URL(page.url()).pathname, "/search", `${q.slice(0, 40)} stays on /search`);
      assert.deepEqual(asked.filter((p) => p.startsWith("/trustnet/") || p.startsWith("/cosmos/base/tendermint/v1beta1/blocks/")), [], `${q.slice(0, 40)} asks the server nothing`);
    }
    // The same sentence on a reload of the /search URL, and the back button returns to the page before.
    await page.reload();
    await page.getByTestId("not-found").waitFor();
    assert.match(await page.getByTestId("not-found").textContent() ?? "", /longer than 512 characters/);
    await page.goBack();
    await page.getByTestId("blocks").first().waitFor();
    await noScriptRan();
  });

  test("the providers, provider and lease pages show the on-chain offer and the lease; the tenant's account lists it", async () => {
    const L = "/trustnet.leasing.v1.";
    const reg = await faucet.signAndBroadcast(d.faucet.address, [{ typeUrl: `${L}MsgRegisterProvider`, value: {
      owner: d.faucet.address, endpoint: "https://provider.example:8443", region: "eu-test", cpuMillis: 4000n, memoryMib: 8192n, diskGib: 100n, bandwidthMbps: 0n,
      priceCpu: 10n, priceMemory: 5n, priceDisk: 1n, priceBandwidth: 0n, images: ["alpine-3.22"], attributes: [], bond: [{ denom: "utrust", amount: "1000000" }],
    } }], "auto");
    assert.equal(reg.code, 0, reg.rawLog);
    const wallet = await DirectSecp256k1HdWallet.generate(12, { prefix: BECH32_PREFIX });
    const [tenant] = await wallet.getAccounts();
    assert.ok(tenant);
    assert.equal((await faucet.sendTokens(d.faucet.address, tenant.address, [{ denom: "utrust", amount: "20000000" }], "auto")).code, 0);
    const t = await Signer.connectWithSigner(d.rpc, wallet, { gasPrice: GasPrice.fromString(DEFAULT_GAS_PRICE), registry: trustnetRegistry() });
    const rate = 2n * 10n + 2n * 5n + 10n * 1n; // 2 vCPU, 2 GiB, 10 GiB disk at the prices above
    const created = await t.signAndBroadcast(tenant.address, [{ typeUrl: `${L}MsgCreateLease`, value: {
      tenant: tenant.address, provider: d.faucet.address, cpuMillis: 2000n, memoryMib: 2048n, diskGib: 10n, bandwidthMbps: 0n, image: "alpine-3.22",
      sshPubkeys: [ED25519], maxPricePerBlock: [{ denom: "utrust", amount: rate.toString() }], deposit: [{ denom: "utrust", amount: "5000000" }],
    } }], "auto");
    t.disconnect();
    assert.equal(created.code, 0, created.rawLog);

    await page.goto(`${REST}/providers`);
    const row = page.locator(`[data-testid=provider-row][data-provider="${d.faucet.address}"]`);
    await row.waitFor();
    assert.equal(await row.getByTestId("provider-free").textContent(), "2 vCPU, 6 GiB, 90 GiB disk", "capacity minus the lease");
    assert.equal(await row.getByTestId("provider-open").textContent(), "1");
    await row.getByRole("link").first().click();
    await page.getByTestId("provider").waitFor();
    assert.equal(await page.getByTestId("provider-capacity").textContent(), "4 vCPU, 8 GiB, 100 GiB disk");
    const leaseRow = page.getByTestId("lease-row");
    assert.equal(await leaseRow.count(), 1);
    const id = await leaseRow.getAttribute("data-lease");
    assert.match(id ?? "", /^\d+$/);
    await leaseRow.getByRole("link", { name: `#${id}` }).click();
    await page.getByTestId("lease").waitFor();
    assert.equal(new URL(page.url()).pathname, `/lease/${id}`);
    assert.equal(await page.getByTestId("lease-state").textContent(), "pending", "no provider daemon runs here: the lease waits for ready");
    assert.equal(await page.getByTestId("lease-resources").textContent(), "2 vCPU, 2 GiB, 10 GiB disk");
    assert.equal(await page.getByTestId("lease-rate").textContent(), "0.00004 TRUST per block", `${rate} utrust`);
    assert.match(await page.getByTestId("lease-escrow").textContent() ?? "", /^5 TRUST held; payment starts when the provider reports the VM ready, and all of it is refunded if that has not happened by block \d+$/);
    await page.screenshot({ path: join(OUT, "lease-desktop.png"), fullPage: true });
    await search(`lease ${id}`);
    await page.getByTestId("lease").waitFor();
    await page.getByTestId("lease-tenant").click();
    await page.getByTestId("account").waitFor();
    assert.equal(await page.locator(`[data-testid=lease-row][data-lease="${id}"]`).count(), 1, "the tenant's account lists its lease");
    await page.goto(`${REST}/lease/999999`);
    await page.getByTestId("not-found").waitFor();
    await page.goto(`${REST}/provider/${to}`);
    await page.getByTestId("not-found").waitFor();
  });

  test("a slow page that answers after the user moved on never paints over the newer page", async () => {
    // The validators page's staking query is held for 2 s (the real answer, late); the user goes on to the account
    // page meanwhile. When the late answer arrives the account page must still be what is shown.
    let held = 0;
    await page.route("**/cosmos/staking/v1beta1/validators**", async (r) => {
      held += 1;
      await new Promise((res) => setTimeout(res, 2000));
      await r.continue().catch(() => undefined);
    });
    try {
      await page.goto(`${REST}/validators`);
      for (const end = Date.now() + 10_000; held === 0; ) {
        assert.ok(Date.now() < end, "the validators page asked for the validators");
        await new Promise((res) => setTimeout(res, 50));
      }
      await search(to);
      await page.getByTestId("account").waitFor();
      await new Promise((res) => setTimeout(res, 3000)); // the held validators answer has arrived and been rendered or dropped
      assert.equal(await page.getByTestId("account").count(), 1, "the account page is still shown");
      assert.equal(await page.getByTestId("validator-row").count(), 0, "the stale validators page did not paint over it");
      assert.equal(new URL(page.url()).pathname, `/account/${to}`);
    } finally {
      await page.unroute("**/cosmos/staking/v1beta1/validators**");
    }
  });

  test("when the node goes away the explorer says it is unreachable", async () => {
    await page.goto(`${REST}/`);
    await page.getByTestId("blocks").first().waitFor();
    await d.down();
    await page.getByTestId("banner").waitFor({ state: "visible", timeout: 30_000 });
    assert.match(await page.getByTestId("banner").textContent() ?? "", /unreachable/i);
    await search("1");
    await page.getByTestId("unreachable").waitFor();
    await page.screenshot({ path: join(OUT, "unreachable-desktop.png") });
  });
});
