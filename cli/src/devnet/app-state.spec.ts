// The devnet's app_state comes from the modules' genesis builders; the app computes the same genesis app hash
// from it as from the hand-written app_state `trustnet devnet` wrote before (so a devnet's app hash is unchanged).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fromBech32, toBech32 } from "@cosmjs/encoding";
import { StateStore, TrustNetApp } from "@trustnet/abci-app";
import { devnetAppState, GENESIS_SELF_DELEGATION, OPERATOR_FUNDS, VALIDATOR_OPERATOR_FUNDS } from "./generate.ts";

const address = (i: number): string => toBech32("trust", new Uint8Array(20).fill(i + 1));

function genesisHash(appState: unknown): string {
  const app = new TrustNetApp({ store: StateStore.open(join(mkdtempSync(join(tmpdir(), "tn-devnet-state-")), "s.db")) });
  const r = app.initChain({ time: { seconds: 1_700_000_000n, nanos: 0 }, chainId: "trustnet-local-1", consensusParams: undefined, validators: [], appStateBytes: new TextEncoder().encode(JSON.stringify(appState)), initialHeight: 1n });
  return Buffer.from(r.appHash ?? []).toString("hex");
}

test("the devnet app_state from the modules' builders gives the app hash of the hand-written one", () => {
  const [faucet, operator, op0, op1] = [0, 1, 2, 3].map(address) as [string, string, string, string];
  const keys = [Buffer.alloc(32, 1).toString("base64"), Buffer.alloc(32, 2).toString("base64")];
  const ops = [op0, op1];
  const built = devnetAppState({
    faucet: { address: faucet, funds: 5_000_000n }, operator, endpoint: "http://127.0.0.1:8000", unbondingTime: "5m",
    validators: ops.map((o, i) => ({ operator: o, consensusPubkey: keys[i] as string, moniker: `node${i}` })),
  });
  const handWritten = {
    auth: { params: { min_gas_price: "0.025utrust" }, accounts: [{ address: faucet }, { address: operator }, ...ops.map((address) => ({ address }))] },
    bank: {
      balances: [
        { address: faucet, coins: [{ denom: "utrust", amount: "5000000" }] },
        { address: operator, coins: [{ denom: "utrust", amount: OPERATOR_FUNDS.toString() }] },
        ...ops.map((address) => ({ address, coins: [{ denom: "utrust", amount: (VALIDATOR_OPERATOR_FUNDS + GENESIS_SELF_DELEGATION).toString() }] })),
      ],
    },
    staking: {
      params: { unbonding_time: "5m", bond_denom: "utrust" },
      validators: ops.map((o, i) => ({
        operator_address: toBech32("trustvaloper", fromBech32(o, 90).data), consensus_pubkey: keys[i], self_delegation: GENESIS_SELF_DELEGATION.toString(),
        min_self_delegation: "1", description: { moniker: `node${i}` }, commission: { rate: "0.1", max_rate: "0.2", max_change_rate: "0.01" },
      })),
    },
    registry: { registries: [{ operator, endpoint: "http://127.0.0.1:8000" }], namespaces: [{ namespace: "library", owner: operator, authorized: [operator] }] },
  };
  assert.equal(genesisHash(built), genesisHash(handWritten));
  assert.notEqual(genesisHash(built), genesisHash({ ...handWritten, registry: { registries: [] } }), "the hash does depend on the app_state");
});
