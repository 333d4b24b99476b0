// What the counter needs of other modules: the sender's account must exist (x/auth's AccountKeeper, as the SDK's
// expected keepers declare it). The app hands in the auth keeper.
import type { KVReader } from "../../../store/index.ts";

export interface AccountKeeper {
  getAccount(store: KVReader, address: string): unknown;
}
