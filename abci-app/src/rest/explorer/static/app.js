// TrustNet explorer (no build step, no dependencies; an ES module). Every value from the chain or the URL is inserted
// through the `html` tagged template (markup.js), which escapes it; only `raw()` fragments built by the explorer are
// inserted as markup. Every href built from chain data goes through paths.js `page`, which percent-encodes it.
import { accepting, coin, coins, DENOM, esc, html, link, namespaceFacts, noProviders, nsTable, part, pausedNote, providerStatusLinks, raw, short } from "./markup.js";
import { MAX_SEARCH_CHARS, NAMESPACE, page, providersApi, providerStatus, REPO, searchTarget, TAG } from "./paths.js";

(() => {
  const $ = (id) => document.getElementById(id);
  const when = (t) => { const d = new Date(t); return isNaN(d) ? "" : d.toLocaleString(); };
  const ago = (t) => { const s = Math.max(0, Math.round((Date.now() - Date.parse(t)) / 1000)); return s < 60 ? `${s}s ago` : s < 3600 ? `${Math.round(s / 60)}m ago` : `${Math.round(s / 3600)}h ago`; };
  const b64hex = (b) => { try { return Array.from(atob(b), (c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("").toUpperCase(); } catch { return ""; } };

  // ---- data ----
  class NotFound extends Error {}
  class Unreachable extends Error {}
  async function get(path) {
    let r;
    try {
      r = await fetch(path, { headers: { accept: "application/json" } });
    } catch {
      throw new Unreachable("the explorer's server cannot be reached");
    }
    let body = null;
    try { body = await r.json(); } catch { /* not JSON */ }
    // 400 = the query names nothing that can exist (a height beyond the chain, a malformed name): not found.
    if (r.status === 404 || r.status === 400) throw new NotFound(body?.message ?? "not found");
    if (r.status === 503 || r.status === 502 || r.status === 504) throw new Unreachable(body?.message ?? "node unreachable");
    if (!r.ok) throw new Error(body?.message ?? `HTTP ${r.status}`);
    setBanner(null);
    return body;
  }
  const q = (v) => encodeURIComponent(v);
  const search = (query, limit = 20, order = "ORDER_BY_DESC") => get(`/cosmos/tx/v1beta1/txs?query=${q(query)}&order_by=${order}&pagination.limit=${limit}`);

  // ---- chrome: banner, live height ----
  function setBanner(msg) {
    const b = $("banner");
    if (!msg) { b.hidden = true; b.textContent = ""; return; }
    b.hidden = false;
    b.textContent = msg;
  }
  function setLive(state, text) { const l = $("live"); l.className = `live ${state}`; l.textContent = text; }
  const recent = []; // [height, time ms]
  function onHeight(height, time) {
    $("height").textContent = String(height);
    const t = Date.parse(time);
    if (!recent.length || recent[recent.length - 1][0] < Number(height)) recent.push([Number(height), t]);
    while (recent.length > 20) recent.shift();
    if (recent.length > 1) {
      const [h0, t0] = recent[0], [h1, t1] = recent[recent.length - 1];
      if (h1 > h0) $("bt").textContent = `${((t1 - t0) / 1000 / (h1 - h0)).toFixed(2)} s`;
    }
  }
  async function loadStatus() {
    try {
      const s = await get("/api/status");
      $("chain").textContent = s.chain_id;
      onHeight(s.height, s.time);
      return true;
    } catch (e) {
      setLive("bad", "node unreachable");
      setBanner(e instanceof Unreachable ? "Node unreachable: the explorer cannot reach the chain node. Retrying…" : `Error: ${e.message}`);
      return false;
    }
  }
  async function seedBlockTimes() {
    try {
      const r = await get("/api/blocks?limit=20");
      for (const b of [...r.blocks].reverse()) onHeight(b.height, b.time);
    } catch { /* loadStatus reports */ }
  }
  let pollTimer = null;
  function poll() {
    if (pollTimer) return;
    setLive("", "polling");
    pollTimer = setInterval(async () => { if (await loadStatus()) setLive("ok", "polling"); }, 2000);
  }
  function websocket() {
    const meta = document.querySelector('meta[name="trustnet-rpc"]')?.content;
    const base = meta || `${location.protocol}//${location.hostname}:26657`;
    let ws;
    try {
      ws = new WebSocket(base.replace(/^http/, "ws").replace(/\/$/, "") + "/websocket");
    } catch { return poll(); }
    const fallback = setTimeout(() => { try { ws.close(); } catch { /* already closed */ } poll(); }, 4000);
    ws.onopen = () => ws.send(JSON.stringify({ jsonrpc: "2.0", method: "subscribe", id: 1, params: { query: "tm.event='NewBlock'" } }));
    ws.onmessage = (ev) => {
      let m; try { m = JSON.parse(ev.data); } catch { return; }
      const h = m?.result?.data?.value?.block?.header;
      if (!h) return;
      clearTimeout(fallback);
      setLive("ok", "live");
      setBanner(null);
      onHeight(h.height, h.time);
      if (location.pathname === "/" || location.pathname === "/blocks") scheduleRefresh();
    };
    ws.onclose = () => { clearTimeout(fallback); poll(); };
  }
  let refreshTimer = null;
  function scheduleRefresh() {
    if (refreshTimer) return;
    refreshTimer = setTimeout(() => { refreshTimer = null; render(true); }, 1500);
  }

  // ---- pages ----
  const main = () => $("main");
  // Page functions return their content; render() shows it only if no later navigation or refresh started meanwhile.
  function notFound(what, why) {
    return (html`<section class="wide notfound" data-testid="not-found"><h1>Not found</h1><p>${what}</p><p class="dim">${why ?? ""}</p><p>Search takes a block height, a 64-hex tx hash, a trust1… address, a namespace, ns/repo or ns/repo:tag.</p></section>`);
  }
  function failure(e, what) {
    if (e instanceof NotFound) return notFound(what, e.message);
    if (e instanceof Unreachable) {
      setBanner("Node unreachable: the explorer cannot reach the chain node. Retrying…");
      return (html`<section class="wide notfound" data-testid="unreachable"><h1>Node unreachable</h1><p>${what} could not be loaded because the node does not answer. The page retries when the node is back.</p></section>`);
    }
    return (html`<section class="wide notfound" data-testid="error"><h1>Error</h1><p>${e.message}</p></section>`);
  }

  function blockRows(blocks) {
    return blocks.map((b) => html`<tr><td>${link(page`/block/${b.height}`, b.height)}</td><td class="hide-s">${ago(b.time)}</td><td>${b.num_txs}</td><td><code>${short(b.hash, 8)}</code></td></tr>`);
  }
  const blockTable = (blocks) => html`<table data-testid="blocks"><thead><tr><th>Height</th><th class="hide-s">Age</th><th>Txs</th><th>Hash</th></tr></thead><tbody>${blockRows(blocks)}</tbody></table>`;

  function msgSummary(m) {
    const t = (m["@type"] ?? "").split(".").pop();
    if (t === "MsgSend") return html`${t} ${link(page`/account/${m.from_address}`, short(m.from_address))} → ${link(page`/account/${m.to_address}`, short(m.to_address))} <b data-testid="msg-amount">${coins(m.amount)}</b>`;
    if (t === "MsgRecordTag") return html`${t} ${link(page`/registry/${m.namespace}/${m.repo}:${m.tag}`, `${m.namespace}/${m.repo}:${m.tag}`)}`;
    if (m.namespace) return html`${t} ${link(page`/registry/${m.namespace}`, m.namespace)}`;
    return html`${t}`;
  }
  function txRows(resps) {
    return resps.map((r) => {
      const msgs = r.tx?.body?.messages ?? [];
      return html`<tr><td>${link(page`/tx/${r.txhash}`, short(r.txhash, 8))}</td><td class="${r.code === 0 ? "ok" : "bad"}">${r.code === 0 ? "ok" : `code ${r.code}`}</td><td>${link(page`/block/${r.height}`, r.height)}</td><td>${msgs.map((m) => html`<div>${msgSummary(m)}</div>`)}</td></tr>`;
    });
  }
  const txTable = (resps, testid = "txs") => (resps.length
    ? html`<table data-testid="${testid}"><thead><tr><th>Hash</th><th>Result</th><th>Height</th><th>Messages</th></tr></thead><tbody>${txRows(resps)}</tbody></table>`
    : html`<p class="dim" data-testid="${testid}">No transactions.</p>`);

  // The overview's latest transactions come from the blocks it shows, one `tx.height=H` search per block that has txs:
  // each reads only that block's index entries. (`tx.height>0` made CometBFT load and sort every tx ever indexed, on
  // every new block, for every open overview.)
  // A block's txs never change: once the index holds all of them (CometBFT indexes just after commit) they are kept,
  // for the last few dozen heights, so a refresh on each new block asks only for the blocks it has not seen.
  const HOME_BLOCKS = 10;
  const blockTxs = new Map();
  async function txsOfBlock(b) {
    const known = blockTxs.get(b.height);
    if (known) return known;
    const found = (await search(`tx.height=${b.height}`, HOME_BLOCKS)).tx_responses;
    if (found.length >= Math.min(HOME_BLOCKS, Number(b.num_txs))) {
      blockTxs.set(b.height, found);
      for (const h of blockTxs.keys()) if (blockTxs.size > 4 * HOME_BLOCKS) blockTxs.delete(h);
    }
    return found;
  }
  async function latestTxs(blocks) {
    const withTxs = blocks.filter((b) => /^\d+$/.test(b.height) && Number(b.num_txs) > 0);
    const pages = await Promise.all(withTxs.map(txsOfBlock));
    return pages.flat().slice(0, HOME_BLOCKS);
  }
  async function home() {
    const [blocks, ns] = await Promise.allSettled([get(`/api/blocks?limit=${HOME_BLOCKS}`), get("/trustnet/registry/v1/namespaces?pagination.limit=10")]);
    if (blocks.status === "rejected") throw blocks.reason;
    const [txs] = await Promise.allSettled([latestTxs(blocks.value.blocks)]);
    return (html`
      <section><h2>Latest blocks</h2>${blockTable(blocks.value.blocks)}<p>${link("/blocks", "More blocks")}</p></section>
      <section><h2>Latest transactions</h2>${txs.status === "rejected" ? html`<p class="dim">Unavailable.</p>`
        : txs.value.length ? txTable(txs.value) : html`<p class="dim" data-testid="txs">No transactions in the last ${HOME_BLOCKS} blocks.</p>`}</section>
      <section><h2>Registry namespaces</h2>${ns.status === "fulfilled" ? nsTable(ns.value.namespaces) : html`<p class="dim">Unavailable.</p>`}</section>`);
  }
  async function blocksPage() {
    const r = await get("/api/blocks?limit=20");
    return (html`<section class="wide"><h2>Latest blocks</h2>${blockTable(r.blocks)}</section>`);
  }
  async function blockPage(h) {
    if (!/^[1-9]\d{0,18}$/.test(h)) return notFound(`“${h}” is not a block height.`);
    const b = await get(`/cosmos/base/tendermint/v1beta1/blocks/${h}`);
    const hd = b.sdk_block.header;
    const txs = await search(`tx.height=${h}`, 100, "ORDER_BY_ASC").catch(() => ({ tx_responses: [] }));
    return (html`<section class="wide" data-testid="block"><h1>Block ${hd.height}</h1><dl>
      <dt>Hash</dt><dd><code>${b64hex(b.block_id.hash)}</code></dd><dt>Time</dt><dd>${when(hd.time)}</dd>
      <dt>Proposer</dt><dd><code>${hd.proposer_address}</code></dd><dt>App hash</dt><dd><code>${b64hex(hd.app_hash)}</code></dd>
      <dt>Txs</dt><dd>${(b.block.data.txs ?? []).length}</dd>
      <dt>Neighbours</dt><dd>${Number(h) > 1 ? link(page`/block/${Number(h) - 1}`, "← previous") : ""} ${link(page`/block/${Number(h) + 1}`, "next →")}</dd></dl></section>
      <section class="wide"><h2>Transactions</h2>${txTable(txs.tx_responses)}</section>`);
  }
  async function txPage(hash) {
    if (!/^[0-9A-Fa-f]{64}$/.test(hash)) return notFound(`“${hash}” is not a transaction hash (64 hex characters).`);
    const r = (await get(`/cosmos/tx/v1beta1/txs/${hash}`)).tx_response;
    const body = r.tx?.body ?? {};
    const fee = r.tx?.auth_info?.fee;
    return (html`<section class="wide" data-testid="tx"><h1>Transaction</h1><dl>
      <dt>Hash</dt><dd><code data-testid="tx-hash">${r.txhash}</code></dd>
      <dt>Result</dt><dd class="${r.code === 0 ? "ok" : "bad"}" data-testid="tx-result">${r.code === 0 ? "success" : `failed: code ${r.code} (${r.codespace}) ${r.raw_log}`}</dd>
      <dt>Height</dt><dd>${link(page`/block/${r.height}`, r.height)}</dd><dt>Time</dt><dd>${when(r.timestamp)}</dd>
      <dt>Fee</dt><dd>${coins(fee?.amount)}</dd><dt>Gas</dt><dd>${r.gas_used} / ${r.gas_wanted}</dd>
      <dt>Memo</dt><dd data-testid="tx-memo">${body.memo ?? ""}</dd>
      <dt>Messages</dt><dd>${(body.messages ?? []).map((m) => html`<div>${msgSummary(m)}</div>`)}</dd></dl></section>
      <section class="wide"><h2>Events</h2><table><tbody>${r.events.map((e) => html`<tr><td>${e.type}</td><td>${e.attributes.map((a) => html`<div><span class="dim">${a.key}</span> <code>${a.value}</code></div>`)}</td></tr>`)}</tbody></table></section>`);
  }
  async function accountPage(addr) {
    if (!/^trust1[02-9ac-hj-np-z]{38,58}$/.test(addr)) return notFound(`“${addr}” is not a trust1… address.`);
    const [bal, acc, sent, recv, leases] = await Promise.allSettled([
      get(`/cosmos/bank/v1beta1/balances/${addr}`), get(`/cosmos/auth/v1beta1/accounts/${addr}`),
      search(`message.sender='${addr}'`, 20), search(`transfer.recipient='${addr}'`, 20),
      get(`/trustnet/leasing/v1/leases?tenant=${q(addr)}&pagination.limit=50`),
    ]);
    const rented = leases.status === "fulfilled" ? leases.value.leases : [];
    if (bal.status === "rejected") throw bal.reason;
    // a module account's address answers the ModuleAccount ({base_account, name, permissions}), any other a BaseAccount
    const any = acc.status === "fulfilled" ? acc.value.account : null;
    const a = any?.base_account ?? any;
    const seen = new Set();
    const hist = [...(sent.status === "fulfilled" ? sent.value.tx_responses : []), ...(recv.status === "fulfilled" ? recv.value.tx_responses : [])]
      .filter((t) => (seen.has(t.txhash) ? false : seen.add(t.txhash))).sort((x, y) => Number(y.height) - Number(x.height));
    return (html`<section class="wide" data-testid="account"><h1>Account</h1><dl>
      <dt>Address</dt><dd><code>${addr}</code></dd>
      <dt>Balance</dt><dd data-testid="balance">${coins(bal.value.balances)}</dd>
      <dt>Account</dt><dd>${a ? `number ${a.account_number}, sequence ${a.sequence}${any.name ? `, module account ${any.name}` : ""}` : "not on chain yet (no tx signed, nothing received)"}</dd></dl></section>
      ${rented.length ? html`<section class="wide"><h2>Leases</h2>${leaseTable(rented, "provider")}</section>` : ""}
      <section class="wide"><h2>History</h2>${txTable(hist, "history")}</section>`);
  }
  // ---- validators (x/staking) ----
  const POWER_REDUCTION = 1000000n;
  const STATUS = { BOND_STATUS_BONDED: "bonded", BOND_STATUS_UNBONDING: "unbonding", BOND_STATUS_UNBONDED: "unbonded" };
  const power = (v) => (v.status === "BOND_STATUS_BONDED" && !v.jailed && /^\d+$/.test(v.tokens) ? String(BigInt(v.tokens) / POWER_REDUCTION) : "0");
  const pct = (dec) => { const n = Number(dec); return isNaN(n) ? "" : `${(n * 100).toFixed(2).replace(/\.?0+$/, "")}%`; };
  const moniker = (v) => v.description?.moniker || short(v.operator_address);
  async function validatorsPage() {
    const r = await get("/cosmos/staking/v1beta1/validators?pagination.limit=1000");
    const vals = [...r.validators].sort((x, y) => Number(power(y)) - Number(power(x)) || (x.operator_address < y.operator_address ? -1 : 1));
    const total = vals.reduce((n, v) => n + Number(power(v)), 0) || 1;
    return (html`<section class="wide"><h2>Validators (${vals.length})</h2>
      <table data-testid="validators"><thead><tr><th>Moniker</th><th class="hide-s">Operator</th><th>Power</th><th class="hide-s">Share</th><th>Commission</th><th>Status</th><th>Jailed</th></tr></thead><tbody>
      ${vals.map((v) => html`<tr data-testid="validator-row" data-operator="${v.operator_address}">
        <td data-testid="moniker">${link(page`/validator/${v.operator_address}`, moniker(v))}</td><td class="hide-s"><code>${short(v.operator_address, 14)}</code></td>
        <td data-testid="power">${power(v)}</td><td class="hide-s">${(100 * Number(power(v)) / total).toFixed(1)}%</td>
        <td data-testid="commission">${pct(v.commission.commission_rates.rate)}</td><td data-testid="status">${STATUS[v.status] ?? v.status}</td>
        <td data-testid="jailed" class="${v.jailed ? "bad" : ""}">${v.jailed ? "yes" : "no"}</td></tr>`)}</tbody></table></section>`);
  }
  async function validatorPage(addr) {
    if (!/^trustvaloper1[02-9ac-hj-np-z]{38,58}$/.test(addr)) return notFound(`“${addr}” is not a trustvaloper1… address.`);
    const [v, dels] = await Promise.all([get(`/cosmos/staking/v1beta1/validators/${addr}`).then((r) => r.validator), get(`/cosmos/staking/v1beta1/validators/${addr}/delegations?pagination.limit=100`).catch(() => ({ delegation_responses: [] }))]);
    const c = v.commission.commission_rates;
    const d = v.description ?? {};
    return (html`<section class="wide" data-testid="validator"><h1 data-testid="validator-moniker">${moniker(v)}</h1><dl>
      <dt>Operator</dt><dd><code data-testid="validator-operator">${v.operator_address}</code></dd>
      <dt>Status</dt><dd data-testid="validator-status">${STATUS[v.status] ?? v.status}${v.jailed ? ", jailed" : ""}</dd>
      <dt>Voting power</dt><dd data-testid="validator-power">${power(v)}</dd>
      <dt>Tokens</dt><dd data-testid="validator-tokens">${coin({ denom: DENOM, amount: v.tokens })}</dd>
      <dt>Commission</dt><dd data-testid="validator-commission">${pct(c.rate)} (max ${pct(c.max_rate)}, max change ${pct(c.max_change_rate)} a day)</dd>
      <dt>Min self-delegation</dt><dd>${coin({ denom: DENOM, amount: v.min_self_delegation })}</dd>
      <dt>Consensus key</dt><dd><code>${v.consensus_pubkey?.key ?? ""}</code></dd>
      ${d.website ? html`<dt>Website</dt><dd>${d.website}</dd>` : ""}${d.details ? html`<dt>Details</dt><dd>${d.details}</dd>` : ""}
      ${v.status === "BOND_STATUS_UNBONDING" ? html`<dt>Unbonding until</dt><dd>${when(v.unbonding_time)}</dd>` : ""}</dl></section>
      <section class="wide"><h2>Delegations</h2>${dels.delegation_responses.length
        ? html`<table data-testid="delegations"><thead><tr><th>Delegator</th><th>Amount</th></tr></thead><tbody>${dels.delegation_responses.map((r) => html`<tr><td>${link(page`/account/${r.delegation.delegator_address}`, short(r.delegation.delegator_address))}</td><td>${coin(r.balance)}</td></tr>`)}</tbody></table>`
        : html`<p class="dim">No delegations.</p>`}</section>`);
  }
  // ---- leasing: providers and leases ----
  const utrust = (amount) => coin({ denom: DENOM, amount });
  const cpus = (m) => `${(Number(m) / 1000).toString()} vCPU`;
  const size = (mib) => (Number(mib) % 1024 === 0 ? `${Number(mib) / 1024} GiB` : `${mib} MiB`);
  const resources = (r) => `${cpus(r.cpu_millis)}, ${size(r.memory_mib)}, ${r.disk_gib} GiB disk${r.bandwidth_mbps !== "0" ? `, ${r.bandwidth_mbps} Mbit/s` : ""}`;
  const leaseTable = (leases, who) => (leases.length
    ? html`<table data-testid="leases"><thead><tr><th>Lease</th><th>State</th><th class="hide-s">Image</th><th class="hide-s">Resources</th><th>Rate / block</th><th>${who === "tenant" ? "Tenant" : "Provider"}</th></tr></thead><tbody>${leases.map((l) => html`<tr data-testid="lease-row" data-lease="${l.id}">
      <td>${link(page`/lease/${l.id}`, `#${l.id}`)}</td><td data-testid="lease-state">${l.state}</td><td class="hide-s">${l.image}</td><td class="hide-s">${resources(l)}</td><td>${utrust(l.rate)}</td>
      <td>${link(who === "tenant" ? page`/account/${l.tenant}` : page`/provider/${l.provider}`, short(who === "tenant" ? l.tenant : l.provider))}</td></tr>`)}</tbody></table>`
    : html`<p class="dim">No leases.</p>`);
  async function providersPage() {
    const f = providerStatus(location.search);
    if (f.error) return notFound(f.error);
    const r = await get(providersApi(f.status)); // the node filters on `paused`, as `provider list --status` does
    return (html`<section class="wide"><h2>Providers (${r.providers.length})</h2>${providerStatusLinks(f.status)}${r.providers.length
      ? html`<table data-testid="providers"><thead><tr><th>Provider</th><th>Region</th><th class="hide-s">Images</th><th>Free</th><th class="hide-s">Price / block (vCPU, GiB mem, GiB disk)</th><th>Open leases</th></tr></thead><tbody>${r.providers.map((p) => html`<tr data-testid="provider-row" data-provider="${p.owner}">
        <td>${link(page`/provider/${p.owner}`, short(p.owner))}</td><td>${p.region}</td><td class="hide-s">${p.images.join(", ")}</td>
        <td data-testid="provider-free">${resources({ cpu_millis: String(BigInt(p.cpu_millis) - BigInt(p.used_cpu_millis)), memory_mib: String(BigInt(p.memory_mib) - BigInt(p.used_memory_mib)), disk_gib: String(BigInt(p.disk_gib) - BigInt(p.used_disk_gib)), bandwidth_mbps: String(BigInt(p.bandwidth_mbps) - BigInt(p.used_bandwidth_mbps)) })}</td>
        <td class="hide-s">${p.price_cpu}, ${p.price_memory}, ${p.price_disk} ${DENOM}</td><td data-testid="provider-open">${p.open_leases}${pausedNote(p)}</td></tr>`)}</tbody></table>`
      : html`<p class="dim" data-testid="no-providers">${noProviders(f.status)}</p>`}</section>`);
  }
  async function providerPage(addr) {
    if (!/^trust1[02-9ac-hj-np-z]{38,58}$/.test(addr)) return notFound(`“${addr}” is not a trust1… address.`);
    const [pr, ls, earn] = await Promise.all([get(`/trustnet/leasing/v1/providers/${addr}`), get(`/trustnet/leasing/v1/leases?provider=${q(addr)}&pagination.limit=100`), get(`/trustnet/leasing/v1/providers/${addr}/earnings`).catch(() => null)]);
    const p = pr.provider;
    if (!p) return notFound(`${addr} is not a registered provider.`);
    return (html`<section class="wide" data-testid="provider"><h1>Provider</h1><dl>
      <dt>Owner</dt><dd>${link(page`/account/${p.owner}`, p.owner, "provider-owner")}</dd>
      <dt>Endpoint</dt><dd><code>${p.endpoint}</code></dd><dt>Region</dt><dd>${p.region}</dd>
      <dt>New leases</dt><dd data-testid="provider-accepting">${accepting(p)}</dd>
      <dt>Capacity</dt><dd data-testid="provider-capacity">${resources(p)}</dd>
      <dt>In use</dt><dd>${resources({ cpu_millis: p.used_cpu_millis, memory_mib: p.used_memory_mib, disk_gib: p.used_disk_gib, bandwidth_mbps: p.used_bandwidth_mbps })}</dd>
      <dt>Prices per block</dt><dd>${utrust(p.price_cpu)} per vCPU, ${utrust(p.price_memory)} per GiB memory, ${utrust(p.price_disk)} per GiB disk, ${utrust(p.price_bandwidth)} per Mbit/s</dd>
      <dt>Images</dt><dd>${p.images.join(", ")}</dd><dt>Bond</dt><dd>${utrust(p.bond)}</dd>
      <dt>Paid so far</dt><dd>${utrust(p.paid_total)} in leases (after ${utrust(p.take_total)} take, burned), ${utrust(p.rewards_paid)} in rewards</dd>
      ${earn ? html`<dt>Owed now</dt><dd>${utrust(earn.accrued)} accrued, ${utrust(earn.rewards)} rewards to withdraw, ${utrust(earn.rewards_held)} held until more take is burned</dd>` : ""}
      <dt>Registered at</dt><dd>${link(page`/block/${p.registered_height}`, p.registered_height)}</dd></dl></section>
      <section class="wide"><h2>Leases</h2>${leaseTable(ls.leases, "tenant")}</section>`);
  }
  async function leasePage(id) {
    if (!/^[1-9]\d{0,18}$/.test(id)) return notFound(`“${id}” is not a lease id.`);
    const [r, esc] = await Promise.all([get(`/trustnet/leasing/v1/leases/${id}`), get(`/trustnet/leasing/v1/leases/${id}/escrow`).catch(() => null)]);
    const l = r.lease;
    if (!l) return notFound(`There is no lease ${id}.`);
    return (html`<section class="wide" data-testid="lease"><h1>Lease #${l.id}</h1><dl>
      <dt>State</dt><dd data-testid="lease-state">${l.state}${l.state === "closed" && l.close_reason ? ` (${l.close_reason.replace("_", " ")})` : ""}</dd>
      <dt>Tenant</dt><dd>${link(page`/account/${l.tenant}`, l.tenant, "lease-tenant")}</dd>
      <dt>Provider</dt><dd>${link(page`/provider/${l.provider}`, l.provider, "lease-provider")}</dd>
      <dt>Image</dt><dd>${l.image}</dd><dt>Resources</dt><dd data-testid="lease-resources">${resources(l)}</dd>
      <dt>Rate</dt><dd data-testid="lease-rate">${utrust(l.rate)} per block</dd>
      <dt>Escrow</dt><dd data-testid="lease-escrow">${l.state === "pending" ? `${utrust(l.balance)} held; payment starts when the provider reports the VM ready, and all of it is refunded if that has not happened by block ${l.due_height}`
        : esc ? html`${utrust(esc.balance)} left at block ${esc.height}${l.state === "closed" ? "" : `: ${esc.blocks_left} blocks (~${esc.seconds_left} s)`}` : utrust(l.balance)}</dd>
      <dt>Deposited / paid / refunded</dt><dd>${utrust(l.deposited)} / ${utrust(l.paid)} / ${utrust(l.refunded)}</dd>
      <dt>Created</dt><dd>${link(page`/block/${l.created_height}`, l.created_height)}</dd>
      ${l.ready_height !== "0" ? html`<dt>Ready</dt><dd>${link(page`/block/${l.ready_height}`, l.ready_height)}</dd>` : ""}
      ${l.closed_height !== "0" ? html`<dt>Closed</dt><dd>${link(page`/block/${l.closed_height}`, l.closed_height)}</dd>` : ""}
      ${l.ssh_host ? html`<dt>SSH</dt><dd><code>${l.ssh_host}:${l.ssh_port}</code> host key <code>${l.host_key_fingerprint}</code></dd>` : ""}</dl></section>`);
  }
  async function registryPage(rest) {
    if (!rest) {
      const [ns, regs] = await Promise.all([get("/trustnet/registry/v1/namespaces"), get("/trustnet/registry/v1/registries")]);
      return (html`<section><h2>Namespaces</h2>${nsTable(ns.namespaces)}</section>
        <section><h2>Registries</h2><table><tbody>${regs.registries.map((r) => html`<tr><td><code>${r.endpoint}</code></td><td>${link(page`/account/${r.operator}`, short(r.operator))}</td></tr>`)}</tbody></table></section>`);
    }
    const [ns, ...parts] = rest.split("/");
    if (!NAMESPACE.test(ns) || ns.length > 64) return notFound(`“${rest}” is not a registry name: namespaces are lower-case letters and digits separated by . _ or -.`);
    if (!parts.length) {
      const [info, repos] = await Promise.all([get(`/trustnet/registry/v1/namespaces/${ns}`), get(`/trustnet/registry/v1/repos/${ns}`)]);
      return (html`<section class="wide" data-testid="namespace"><h1>Namespace ${ns}</h1>${namespaceFacts(info.namespace)}
        <h2>Repositories</h2>${repos.repos.length ? html`<ul>${repos.repos.map((r) => html`<li>${link(page`/registry/${ns}/${r}`, `${ns}/${r}`)}</li>`)}</ul>` : html`<p class="dim">No tags recorded yet.</p>`}</section>`);
    }
    let repo = parts.join("/"), tag = null;
    const colon = repo.lastIndexOf(":");
    if (colon >= 0) { tag = repo.slice(colon + 1); repo = repo.slice(0, colon); }
    if (!REPO.test(repo) || (tag !== null && !TAG.test(tag))) {
      return notFound(`“${rest}” is not a repository or tag name.`);
    }
    const path = `/trustnet/registry/v1/tags/${ns}/${repo.split("/").map(q).join("/")}`;
    if (tag === null) {
      const t = await get(path);
      if (!t.records.length) return notFound(`No tags are recorded for ${ns}/${repo}.`);
      return (html`<section class="wide" data-testid="repo"><h1>${ns}/${repo}</h1>${tagTable(t.records)}</section>`);
    }
    const hist = await get(`${path}?history=${q(tag)}`);
    const cur = hist.records[hist.records.length - 1];
    if (!cur) return notFound(`No tag ${tag} was ever recorded for ${ns}/${repo}.`);
    return (html`<section class="wide" data-testid="tag"><h1>${ns}/${repo}:${tag}</h1><dl>
      <dt>Digest</dt><dd><code data-testid="digest">${cur.digest || "(deleted)"}</code></dd>
      <dt>Media type</dt><dd>${cur.media_type}</dd><dt>Size</dt><dd>${cur.size} bytes</dd>
      <dt>Pushed by</dt><dd data-testid="pusher">${/^trust1[02-9ac-hj-np-z]{38,58}$/.test(cur.pusher) ? link(page`/account/${cur.pusher}`, cur.pusher) : cur.pusher}</dd><dt>Recorded by</dt><dd>${link(page`/account/${cur.operator}`, cur.operator)}</dd>
      <dt>Height</dt><dd>${link(page`/block/${cur.height}`, cur.height)}</dd></dl>
      <h2>History</h2>${tagTable([...hist.records].reverse(), false)}</section>`);
  }
  function tagTable(records, links = true) {
    return html`<table data-testid="tags"><thead><tr><th>Tag</th><th>Digest</th><th class="hide-s">Pusher</th><th>Height</th></tr></thead><tbody>${records.map((r) => html`<tr>
      <td>${links ? link(page`/registry/${r.namespace}/${r.repo}:${r.tag}`, r.tag) : r.tag}</td><td><code>${r.digest ? short(r.digest, 16) : "(deleted)"}</code></td>
      <td class="hide-s">${r.pusher}</td><td>${link(page`/block/${r.height}`, r.height)}</td></tr>`)}</tbody></table>`;
  }

  // ---- routing ----
  let renderSeq = 0;
  async function render(quiet) {
    const seq = ++renderSeq;
    let path = location.pathname;
    try { path = decodeURIComponent(path); } catch { /* keep it encoded */ }
    let m;
    let content;
    try {
      if (!quiet) main().innerHTML = '<p class="dim">Loading…</p>';
      if (path === "/") content = await home();
      else if (path === "/blocks") content = await blocksPage();
      else if ((m = /^\/block\/(.*)$/.exec(path))) content = await blockPage(m[1]);
      else if ((m = /^\/tx\/(.*)$/.exec(path))) content = await txPage(m[1]);
      else if ((m = /^\/account\/(.*)$/.exec(path))) content = await accountPage(m[1]);
      else if (path === "/validators") content = await validatorsPage();
      else if ((m = /^\/validator\/(.*)$/.exec(path))) content = await validatorPage(m[1]);
      else if ((m = /^\/registry\/?(.*)$/.exec(path))) content = await registryPage(m[1]);
      else if (path === "/providers") content = await providersPage();
      else if ((m = /^\/provider\/(.*)$/.exec(path))) content = await providerPage(m[1]);
      else if ((m = /^\/lease\/(.*)$/.exec(path))) content = await leasePage(m[1]);
      else if (path === "/search") {
        const t = searchTarget(new URLSearchParams(location.search).get("q") ?? "");
        if (t.path) return go(t.path, true);
        content = notFound(t.error);
      }
      else content = notFound(`There is no page at ${path}.`);
    } catch (e) {
      if (quiet || seq !== renderSeq) return;
      content = failure(e, path);
    }
    // An older render (a slow page, a refresh) that finishes after a newer one started must not overwrite it.
    if (seq === renderSeq) main().innerHTML = part(content);
  }
  function go(path, replace) {
    history[replace ? "replaceState" : "pushState"](null, "", path);
    render(false);
  }
  document.addEventListener("click", (e) => {
    const a = e.target.closest?.("a[data-link]");
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    go(a.getAttribute("href"));
  });
  window.addEventListener("popstate", () => render(false));
  // A query that names no page stays on /search?q=… (one character past the limit is enough to say it is too long).
  $("search").addEventListener("submit", (e) => {
    e.preventDefault();
    const value = $("q").value;
    const t = searchTarget(value);
    go(t.path ?? `/search?q=${encodeURIComponent(value.trim().slice(0, MAX_SEARCH_CHARS + 1))}`);
  });

  loadStatus().then(seedBlockTimes);
  websocket();
  render(false);
})();
