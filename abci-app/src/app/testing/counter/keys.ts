// A test module (registered only by app/module-shape.spec.ts): it shows the module shape end to end.
import { utf8 } from "../../../sdk/keys.ts";

export const ModuleName = "counter";
/** Store layout. Only the keeper touches these. */
export const Prefix = {
  count: utf8("counter/n"), // -> decimal string
  validatorKey: utf8("counter/k"), // -> the ed25519 key whose power follows the count
  dirty: utf8("counter/d"), // -> "" while the count changed in this block
} as const;
