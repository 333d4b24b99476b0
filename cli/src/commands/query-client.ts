// One way for the query commands to reach a node: a cosmjs QueryClient with a module's extension.
import type { QueryClient } from "@cosmjs/stargate";
import type { GlobalOptions } from "../global-options.ts";
import { withQueryClient } from "./module-query.ts";

/** Runs `f` on a cosmjs query extension of the node (reachability and chain id checked first, with clear errors). */
export function withExtension<E extends object, T>(a: GlobalOptions, setup: (base: QueryClient) => E, f: (q: E) => Promise<T>): Promise<T> {
  return withQueryClient(a, (q) => f(setup(q)));
}
