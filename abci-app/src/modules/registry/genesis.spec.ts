// Registry genesis: a genesis cannot hold what no message could write (an endpoint MsgRegisterRegistry refuses, an
// operator registered twice), and its JSON is read strictly (unknown fields and non-string values are refused, not
// dropped or coerced). A valid section still imports and exports as it was.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { testKey } from "../../app/testing/tx-builder.ts";
import { Branch } from "../../store/index.ts";
import { registryGenesis, registryGenesisJson } from "./genesis.ts";
import { RegistryKeeper } from "./keeper.ts";

const EMPTY = { get: () => undefined, *iterate() {} };

describe("registry genesis", async () => {
  const [owner, op, other] = await Promise.all([1, 2, 3].map(testKey));
  const g = registryGenesis(new RegistryKeeper());
  const valid = () => ({
    namespaces: [{ namespace: "library", owner: owner!.address, authorized: [op!.address], members: [other!.address] }],
    registries: [{ operator: op!.address, endpoint: "http://127.0.0.1:8000" }],
  });

  test("a valid section imports and exports unchanged", () => {
    const store = new Branch(EMPTY);
    g.initGenesis({ store, height: 1n } as never, g.validateGenesis(valid()));
    // The export adds the logs the import wrote at the genesis height (what RightsAt answers from).
    const exported = registryGenesisJson(g.exportGenesis({ store, height: 1n, chainId: "t" }));
    assert.deepEqual(exported, {
      params: { namespace_deposit: { denom: "utrust", amount: "1000000" } }, // a section written before the params: the defaults
      namespaces: valid().namespaces.map((n) => ({ ...n, deposit: { denom: "utrust", amount: "0" } })), // and its namespaces hold none
      registries: valid().registries,
      owner_log: [{ namespace: "library", height: "1", owner: owner!.address }],
      rights_log: [ // in store key order: the member right ("m") before the operator's ("o")
        { namespace: "library", right: "member", address: other!.address, height: "1", held: true },
        { namespace: "library", right: "operator", address: op!.address, height: "1", held: true },
      ],
    });
  });

  test("params and each namespace's deposit import, are stored and export as they were", () => {
    const store = new Branch(EMPTY);
    const k = new RegistryKeeper();
    const gk = registryGenesis(k);
    const section = {
      params: { namespace_deposit: { denom: "utrust", amount: "250" } },
      namespaces: [{ ...valid().namespaces[0], deposit: { denom: "utrust", amount: "1000000" } }, { namespace: "free", owner: other!.address }],
      registries: valid().registries,
    };
    gk.initGenesis({ store, height: 1n } as never, gk.validateGenesis(section));
    assert.equal(k.params(store).namespaceDeposit.amount, 250n);
    assert.deepEqual([k.depositOf(store, "library"), k.depositOf(store, "free")], [1_000_000n, 0n]);
    const once = registryGenesisJson(gk.exportGenesis({ store, height: 1n, chainId: "t" })) as { params: unknown; namespaces: { namespace: string; deposit: unknown }[] };
    assert.deepEqual(once.params, section.params);
    assert.deepEqual(once.namespaces.map((n) => [n.namespace, n.deposit]), [["free", { denom: "utrust", amount: "0" }], ["library", { denom: "utrust", amount: "1000000" }]]);
    const again = new Branch(EMPTY);
    gk.initGenesis({ store: again, height: 2n } as never, gk.validateGenesis(JSON.parse(JSON.stringify(once))));
    assert.deepEqual(registryGenesisJson(gk.exportGenesis({ store: again, height: 2n, chainId: "t" })), once, "export -> import -> export is the same");
  });

  test("what MsgRegisterRegistry refuses, or a strict reading, is refused at genesis", () => {
    const bad: [string, (v: ReturnType<typeof valid>) => unknown, RegExp][] = [
      ["an ftp endpoint", (v) => ({ ...v, registries: [{ operator: op!.address, endpoint: "ftp://reg.example" }] }), /http\(s\)/],
      ["a missing endpoint", (v) => ({ ...v, registries: [{ operator: op!.address }] }), /endpoint must be a string/],
      ["an endpoint of 300 chars", (v) => ({ ...v, registries: [{ operator: op!.address, endpoint: `http://reg.example/${"a".repeat(281)}` }] }), /printable ASCII/],
      ["an endpoint with user info", (v) => ({ ...v, registries: [{ operator: op!.address, endpoint: "http://127.0.0.1:8000@evil.example" }] }), /user info/],
      ["an operator registered twice", (v) => ({ ...v, registries: [...v.registries, { operator: op!.address, endpoint: "http://other.example" }] }), /listed twice/],
      ["a numeric namespace", (v) => ({ ...v, namespaces: [{ ...v.namespaces[0], namespace: 123 }] }), /namespace must be a string/],
      ["an unknown namespace field", (v) => ({ ...v, namespaces: [{ ...v.namespaces[0], tags: [] }] }), /unknown field "tags"/],
      ["an unknown section field", (v) => ({ ...v, repos: [] }), /unknown field "repos"/],
      ["a negative namespace_deposit", (v) => ({ ...v, params: { namespace_deposit: { denom: "utrust", amount: "-1" } } }), /registry genesis\.params\.namespace_deposit\.amount must be a non-negative integer string/],
      ["a namespace_deposit of another denom", (v) => ({ ...v, params: { namespace_deposit: { denom: "uatom", amount: "5" } } }), /registry genesis\.params\.namespace_deposit\.denom must be "utrust", got "uatom"/],
      ["a numeric namespace_deposit amount", (v) => ({ ...v, params: { namespace_deposit: { denom: "utrust", amount: 5 } } }), /registry genesis\.params\.namespace_deposit\.amount must be a string/],
      ["a namespace_deposit amount past 2^256-1", (v) => ({ ...v, params: { namespace_deposit: { denom: "utrust", amount: (2n ** 256n).toString() } } }), /namespace_deposit\.amount must be .* at most 2\^256-1/],
      ["a namespace_deposit as a string", (v) => ({ ...v, params: { namespace_deposit: "1000000utrust" } }), /registry genesis\.params\.namespace_deposit must be an object/],
      ["an unknown params field", (v) => ({ ...v, params: { min_deposit: [] } }), /registry genesis\.params: unknown field "min_deposit"/],
      ["a fractional namespace deposit", (v) => ({ ...v, namespaces: [{ ...v.namespaces[0], deposit: { denom: "utrust", amount: "1.5" } }] }), /registry genesis\.namespaces\[0\]\.deposit\.amount must be a non-negative integer string/],
      ["a namespace deposit of another denom", (v) => ({ ...v, namespaces: [{ ...v.namespaces[0], deposit: { denom: "stake", amount: "1" } }] }), /registry genesis\.namespaces\[0\]\.deposit\.denom must be "utrust"/],
      ["a non-string member", (v) => ({ ...v, namespaces: [{ ...v.namespaces[0], members: [42] }] }), /members\[0\] must be a string/],
    ];
    for (const [what, mutate, message] of bad) {
      assert.throws(() => g.validateGenesis(mutate(valid())), message, what);
    }
  });
});
