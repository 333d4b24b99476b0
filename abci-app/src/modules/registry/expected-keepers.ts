// What the registry module needs of other modules: bank, to escrow namespace deposits in the registry module
// account (a claim locks `namespace_deposit`, a release refunds what the namespace holds). Namespaces, registries
// and tag records are its own state; the registry service pays its fees through the ordinary tx path (auth's ante
// handler). Wired in app/modules.ts.
import type { Coin } from "../../sdk/coins.ts";
import type { EventSink } from "../../sdk/events.ts";
import type { KVReader, KVStore } from "../../store/index.ts";

interface BankCtx {
  readonly store: KVStore;
  readonly events: EventSink;
}

export interface RegistryBankKeeper {
  getBalance(store: KVReader, address: string, denom: string): bigint;
  sendCoinsFromAccountToModule(ctx: BankCtx, from: string, module: string, coins: readonly Coin[]): void;
  sendCoinsFromModuleToAccount(ctx: BankCtx, module: string, to: string, coins: readonly Coin[]): void;
  /** Throws for a module account's address: no one can sign for it, so a namespace given to it is lost. */
  assertNotModuleAccount(address: string): void;
}
