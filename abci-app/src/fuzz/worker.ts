// One app instance of the determinism fuzzer, in its own process: `node [--stack-size=N] worker.ts [--warm N]`.
// Receives InitChain and blocks over IPC, runs CheckTx on every input, then FinalizeBlock + Commit, and answers the
// CheckTx codes, a digest of the ExecTxResults and the app hash. `--warm N` first decodes N small inputs (many with
// groups) through the generated decoders and the app, so the JIT is hot, as on a long-running validator.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QueryAccountRequest, QueryAccountResponse } from "cosmjs-types/cosmos/auth/v1beta1/query";
import { BaseAccount } from "cosmjs-types/cosmos/auth/v1beta1/auth";
import { AuthInfo, TxBody, TxRaw } from "cosmjs-types/cosmos/tx/v1beta1/tx";
import { ExecTxResult } from "cosmjs-types/tendermint/abci/types";
import { StateStore } from "../store/index.ts";
import { TrustNetApp } from "../app/trustnet-app.ts";
import { nestedGroups, Rng } from "./stream.ts";

export type ToWorker =
  | { readonly t: "init"; readonly chainId: string; readonly seconds: string; readonly appState: Uint8Array; readonly maxGas: string }
  | { readonly t: "block"; readonly height: string; readonly seconds: string; readonly txs: Uint8Array[] }
  | { readonly t: "sequences"; readonly addresses: string[] }
  | { readonly t: "exit" };

export type FromWorker =
  | { readonly t: "ready"; readonly warmMs: number }
  | { readonly t: "init"; readonly appHash: string }
  | { readonly t: "block"; readonly check: number[]; readonly codes: number[]; readonly logs: string[]; readonly results: string; readonly appHash: string }
  | { readonly t: "sequences"; readonly sequences: string[] }
  | { readonly t: "error"; readonly message: string };

const hex = (b: Uint8Array | undefined): string => Buffer.from(b ?? new Uint8Array()).toString("hex");

function warm(app: TrustNetApp, n: number): void {
  const rng = new Rng(0x5eed);
  for (let i = 0; i < n; i++) {
    const small = nestedGroups(1 + rng.int(30), 1 + rng.int(8));
    const tx = TxRaw.encode({ bodyBytes: rng.bytes(rng.int(20)), authInfoBytes: rng.bytes(rng.int(20)), signatures: [] }).finish();
    const input = Buffer.concat([tx, small]);
    for (const decode of [TxRaw.decode, TxBody.decode, AuthInfo.decode]) {
      try {
        decode(input);
      } catch {
        // warming only
      }
    }
    if (i % 10 === 0) app.checkTx({ tx: input, type: 0 });
  }
}

const send = (m: FromWorker): void => {
  process.send?.(m);
};

const dir = mkdtempSync(join(tmpdir(), "tn-fuzz-"));
const app = new TrustNetApp({ store: StateStore.open(join(dir, "state.db")), checkInvariants: true });
const warmArg = process.argv.indexOf("--warm");
const warmN = warmArg >= 0 ? Number(process.argv[warmArg + 1]) : 0;
const t0 = performance.now();
if (warmN > 0) warm(app, warmN);
send({ t: "ready", warmMs: Math.round(performance.now() - t0) });

process.on("message", (raw: unknown) => {
  const m = raw as ToWorker;
  try {
    if (m.t === "init") {
      const r = app.initChain({
        time: { seconds: BigInt(m.seconds), nanos: 0 }, chainId: m.chainId, validators: [], appStateBytes: m.appState, initialHeight: 1n,
        consensusParams: { block: { maxBytes: 22_020_096n, maxGas: BigInt(m.maxGas) } } as never,
      });
      send({ t: "init", appHash: hex(r.appHash) });
    } else if (m.t === "block") {
      const txs = m.txs.map((t) => new Uint8Array(t));
      const check = txs.map((tx) => app.checkTx({ tx, type: 0 }).code ?? 0);
      const r = app.finalizeBlock({
        txs, height: BigInt(m.height), time: { seconds: BigInt(m.seconds), nanos: 0 }, hash: new Uint8Array(32), misbehavior: [],
        nextValidatorsHash: new Uint8Array(), proposerAddress: new Uint8Array(20), decidedLastCommit: { round: 0, votes: [] },
      });
      app.commit();
      const h = createHash("sha256");
      for (const res of r.txResults ?? []) h.update(ExecTxResult.encode(ExecTxResult.fromPartial(res)).finish());
      send({
        t: "block", check, codes: (r.txResults ?? []).map((x) => x.code), logs: (r.txResults ?? []).map((x) => x.log.slice(0, 300)),
        results: h.digest("hex"), appHash: hex(r.appHash),
      });
    } else if (m.t === "sequences") {
      const sequences = m.addresses.map((address) => {
        const q = app.query({ path: "/cosmos.auth.v1beta1.Query/Account", data: QueryAccountRequest.encode({ address }).finish(), height: 0n, prove: false });
        if (q.code !== 0) return "0";
        const acc = QueryAccountResponse.decode(q.value as Uint8Array).account;
        return acc ? BaseAccount.decode(acc.value).sequence.toString() : "0";
      });
      send({ t: "sequences", sequences });
    } else {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }
  } catch (err) {
    send({ t: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
