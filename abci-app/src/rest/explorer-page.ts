// A small single-node explorer served at GET / on :1317. It only reads this server's REST routes.
export const EXPLORER_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>TrustNet explorer</title>
<style>
 :root{--bg:#0f1419;--card:#172029;--fg:#e6edf3;--dim:#8b98a5;--acc:#4fb3ff;--ok:#3fb950;--bad:#f85149}
 *{box-sizing:border-box} body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;background:var(--bg);color:var(--fg)}
 header{display:flex;gap:24px;align-items:center;padding:14px 24px;border-bottom:1px solid #26323d;flex-wrap:wrap}
 header h1{font-size:18px;margin:0;color:var(--acc)} .stat{color:var(--dim)} .stat b{color:var(--fg);font-variant-numeric:tabular-nums}
 main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:18px;padding:18px 24px}
 section{background:var(--card);border-radius:10px;padding:14px 16px} h2{font-size:14px;margin:0 0 10px;color:var(--dim);text-transform:uppercase;letter-spacing:.05em}
 table{width:100%;border-collapse:collapse} td,th{padding:5px 6px;text-align:left;border-bottom:1px solid #23303b;font-variant-numeric:tabular-nums}
 th{color:var(--dim);font-weight:500} code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12.5px;word-break:break-all}
 form{display:flex;gap:8px;flex:1;min-width:280px} input{flex:1;padding:8px 10px;border-radius:8px;border:1px solid #2f3d4a;background:#0c1116;color:var(--fg)}
 button{padding:8px 14px;border:0;border-radius:8px;background:var(--acc);color:#031523;font-weight:600;cursor:pointer}
 .ok{color:var(--ok)} .bad{color:var(--bad)} a{color:var(--acc);text-decoration:none;cursor:pointer} pre{white-space:pre-wrap;margin:0}
 @media(max-width:900px){main{grid-template-columns:1fr}}
</style></head><body>
<header><h1>TrustNet</h1>
 <span class="stat">chain <b id="chain" data-testid="chain-id">…</b></span>
 <span class="stat">height <b id="height" data-testid="height">…</b></span>
 <span class="stat">avg block <b id="bt">…</b></span>
 <span class="stat">app <b id="ver">…</b></span>
 <form id="search"><input id="q" placeholder="block height, tx hash, trust1… address or namespace/repo" data-testid="search"><button>Search</button></form>
</header>
<main>
 <section><h2>Latest blocks</h2><table><thead><tr><th>Height</th><th>Time</th><th>Txs</th><th>Hash</th></tr></thead><tbody id="blocks" data-testid="blocks"></tbody></table></section>
 <section><h2 id="dtitle">Details</h2><div id="detail" data-testid="detail" class="mono">Search for a block, a transaction, an account, or a registry repository (e.g. library/app).</div>
  <h2 style="margin-top:18px">Registry namespaces</h2><table><tbody id="ns" data-testid="namespaces"></tbody></table></section>
</main>
<script>
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({"&":"&amp;","<":"&lt;",">":"&gt;","\\"":"&quot;","'":"&#39;"}[c]));
async function get(path) { const r = await fetch(path); const j = await r.json(); if (!r.ok) throw new Error(j.message || r.status); return j; }
const trust = (u) => (Number(BigInt(u)) / 1e6).toLocaleString(undefined, { maximumFractionDigits: 6 }) + " TRUST";
function show(title, html) { $("dtitle").textContent = title; $("detail").innerHTML = html; }
async function refresh() {
  try {
    const info = await get("/cosmos/base/tendermint/v1beta1/node_info");
    $("chain").textContent = info.default_node_info.network; $("ver").textContent = info.application_version.version;
    const bc = await get("/trustnet/explorer/v1/blocks?limit=15");
    const metas = bc.block_metas;
    $("height").textContent = bc.last_height;
    if (metas.length > 1) { const t0 = Date.parse(metas[metas.length - 1].header.time), t1 = Date.parse(metas[0].header.time); $("bt").textContent = ((t1 - t0) / 1000 / (metas.length - 1)).toFixed(2) + " s"; }
    $("blocks").innerHTML = metas.map((m) => '<tr><td><a data-h="' + m.header.height + '">' + m.header.height + '</a></td><td>' + new Date(m.header.time).toLocaleTimeString() + '</td><td>' + m.num_txs + '</td><td><code>' + m.block_id.hash.slice(0, 16) + '…</code></td></tr>').join("");
    const ns = await get("/trustnet/registry/v1/namespaces");
    $("ns").innerHTML = ns.namespaces.map((n) => '<tr><td><a data-ns="' + esc(n.namespace) + '">' + esc(n.namespace) + '</a></td><td><code>' + esc(n.owner) + '</code></td></tr>').join("") || '<tr><td class="stat">none yet</td></tr>';
  } catch (e) { $("height").textContent = "node unreachable"; }
}
async function search(q) {
  q = q.trim();
  try {
    if (/^\\d+$/.test(q)) {
      const b = await get("/cosmos/base/tendermint/v1beta1/blocks/" + q);
      show("Block " + q, "hash <code>" + b.block_id.hash + "</code><br>time " + esc(b.block.header.time) + "<br>proposer <code>" + b.block.header.proposer_address + "</code><br>app hash <code>" + b.block.header.app_hash + "</code><br>txs " + (b.block.data.txs || []).length);
    } else if (/^[0-9a-fA-F]{64}$/.test(q)) {
      const t = (await get("/cosmos/tx/v1beta1/txs/" + q)).tx_response;
      show("Transaction", '<span class="' + (t.code === 0 ? "ok" : "bad") + '">' + (t.code === 0 ? "success" : "failed, code " + t.code + " " + esc(t.codespace) + ": " + esc(t.raw_log)) + "</span><br>height " + t.height + "<br>gas " + t.gas_used + " / " + t.gas_wanted + "<pre>" + esc(JSON.stringify(t.events.map((e) => [e.type, Object.fromEntries(e.attributes.map((a) => [a.key, a.value]))]), null, 1)) + "</pre>");
    } else if (/^trust1[0-9a-z]{38,58}$/.test(q)) {
      const bal = await get("/cosmos/bank/v1beta1/balances/" + q);
      let acc = null; try { acc = (await get("/cosmos/auth/v1beta1/accounts/" + q)).account; } catch {}
      show("Account", "<code>" + q + "</code><br>" + (bal.balances.map((c) => c.denom === "utrust" ? trust(c.amount) : esc(c.amount + c.denom)).join("<br>") || "no balance") + (acc ? "<br>account number " + acc.account_number + ", sequence " + acc.sequence : "<br>not on chain yet"));
    } else if (/^[a-z0-9._-]+\\/[a-z0-9._\\/-]+$/.test(q)) {
      const [ns, ...rest] = q.split("/");
      const t = await get("/trustnet/registry/v1/tags/" + ns + "/" + rest.join("/"));
      show("Repository " + esc(q), t.records.length ? "<table>" + t.records.map((r) => "<tr><td>" + esc(r.tag) + "</td><td><code>" + esc(r.digest) + "</code></td><td>h " + r.height + "</td></tr>").join("") + "</table>" : "no tags recorded");
    } else if (/^[a-z0-9._-]+$/.test(q)) {
      const r = await get("/trustnet/registry/v1/repos/" + q);
      show("Namespace " + esc(q), r.repos.length ? r.repos.map((x) => '<a data-repo="' + esc(q + "/" + x) + '">' + esc(x) + "</a>").join("<br>") : "no repositories");
    } else show("Not found", "Try a block height, a 64-hex tx hash, a trust1… address or namespace/repo.");
  } catch (e) { show("Not found", esc(e.message)); }
}
$("search").addEventListener("submit", (e) => { e.preventDefault(); search($("q").value); });
document.addEventListener("click", (e) => { const d = e.target.dataset || {}; const q = d.h || d.ns || d.repo; if (q) { $("q").value = q; search(q); } });
refresh(); setInterval(refresh, 2000);
</script></body></html>`;
