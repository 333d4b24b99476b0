import type { KVStore } from "../../store/index.ts";

/** What bank needs from auth: accounts are created on first receipt. */
export interface AccountKeeper {
  ensureAccount(store: KVStore, address: string): void;
}
