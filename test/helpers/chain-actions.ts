// What the REST, monitoring and explorer end-to-end tests do on a real devnet: sign with real cosmjs, claim a
// namespace, push a small OCI image to the devnet's registry on :8000 and wait for its tag to be recorded on chain.
import { DirectSecp256k1HdWallet, DirectSecp256k1Wallet } from "@cosmjs/proto-signing";
import { GasPrice, SigningStargateClient } from "@cosmjs/stargate";
import { BECH32_PREFIX, DEFAULT_GAS_PRICE, DENOM, trustnetRegistry } from "@trustnet/abci-app";
import { basicAuth, loginToken, pushImage, testKey, type TestKey } from "../../registry/src/testkit.ts";
import type { Devnet } from "./devnet.ts";

export const REST = "http://127.0.0.1:1317";
export const REGISTRY = "http://127.0.0.1:8000";

const types = trustnetRegistry();

export async function faucetClient(d: Devnet): Promise<SigningStargateClient> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(d.faucet.mnemonic, { prefix: BECH32_PREFIX });
  return SigningStargateClient.connectWithSigner(d.rpc, wallet, { gasPrice: GasPrice.fromString(DEFAULT_GAS_PRICE), broadcastPollIntervalMs: 300, registry: types });
}

/** The devnet registry's operator address, as registered on chain: the audience of its login tokens. */
export async function registryOperator(): Promise<string> {
  const r = await fetch(`${REST}/trustnet/registry/v1/registries`);
  if (!r.ok) throw new Error(`registries: HTTP ${r.status}`);
  const regs = ((await r.json()) as { registries: { operator: string; endpoint: string }[] }).registries;
  const op = regs.find((x) => new URL(x.endpoint).port === new URL(REGISTRY).port)?.operator;
  if (op === undefined) throw new Error(`no registry registered on chain for ${REGISTRY}: ${JSON.stringify(regs)}`);
  return op;
}

export interface Pusher { readonly key: TestKey; readonly client: SigningStargateClient; readonly operator: string }

/** A fresh key (from `seed`), funded by the faucet, owning `namespace` on chain and authorising the devnet's registry. */
export async function namespaceOwner(d: Devnet, faucet: SigningStargateClient, seed: number, namespace: string): Promise<Pusher> {
  const key = await testKey(seed);
  const fund = await faucet.sendTokens(d.faucet.address, key.address, [{ denom: DENOM, amount: "5000000" }], "auto");
  if (fund.code !== 0) throw new Error(`funding failed: ${fund.rawLog}`);
  const wallet = await DirectSecp256k1Wallet.fromKey(key.privkey, BECH32_PREFIX);
  const client = await SigningStargateClient.connectWithSigner(d.rpc, wallet, { gasPrice: GasPrice.fromString(DEFAULT_GAS_PRICE), broadcastPollIntervalMs: 300, registry: types });
  const claim = await client.signAndBroadcast(key.address, [{ typeUrl: "/trustnet.registry.v1.MsgClaimNamespace", value: { owner: key.address, namespace } }], "auto");
  if (claim.code !== 0) throw new Error(`claim ${namespace} failed: ${claim.rawLog}`);
  const operator = await registryOperator();
  const auth = await client.signAndBroadcast(key.address, [{ typeUrl: "/trustnet.registry.v1.MsgAuthorizeRegistry", value: { owner: key.address, namespace, operator } }], "auto");
  if (auth.code !== 0) throw new Error(`authorize ${operator} for ${namespace} failed: ${auth.rawLog}`);
  return { key, client, operator };
}

/** Pushes a one-layer image as `<namespace>/<repo>:<tag>` and waits until the chain records its digest. */
export async function pushAndWaitRecorded(p: Pusher, name: string, tag: string): Promise<string> {
  const layer = Buffer.from(`layer of ${name}:${tag} ${Date.now()}`);
  const img = await pushImage(REGISTRY, name, tag, basicAuth(p.key, loginToken(p.key, { audience: p.operator })), [layer]);
  const [ns, ...repo] = name.split("/");
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const r = await fetch(`${REST}/trustnet/registry/v1/tags/${ns}/${repo.join("/")}`);
    if (r.ok) {
      const recs = ((await r.json()) as { records: { tag: string; digest: string }[] }).records;
      if (recs.some((x) => x.tag === tag && x.digest === img.digest)) return img.digest;
    }
    await new Promise((res) => setTimeout(res, 300));
  }
  throw new Error(`tag ${name}:${tag} was not recorded on chain within 60 s`);
}
