import { moduleAddress } from "../../sdk/address.ts";
import type { ModuleAccountDecl, ModulePermission } from "../../sdk/module.ts";

export type { ModulePermission } from "../../sdk/module.ts";

/** A module account: an address no key controls (sha256(name)[:20]), with its permissions. */
export interface ModuleAccount {
  readonly name: string;
  readonly address: string;
  readonly permissions: readonly ModulePermission[];
}

/**
 * The module accounts the modules declare (ModuleDescriptor.moduleAccounts; the app hands bank every declaration
 * once, while wiring). Bank refuses user sends to any of them and checks a module's permission before it mints,
 * burns or moves staked coins.
 */
export class ModuleAccounts {
  readonly #byName = new Map<string, ModuleAccount>();
  readonly #byAddress = new Map<string, ModuleAccount>();

  constructor(decls: readonly ModuleAccountDecl[] = []) {
    this.declare(decls);
  }

  /** Adds declarations (wiring only); a name declared twice is a wiring bug. */
  declare(decls: readonly ModuleAccountDecl[]): void {
    for (const d of [...decls].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (this.#byName.has(d.name)) throw new Error(`module account ${d.name} is declared twice`);
      const acc: ModuleAccount = { name: d.name, address: moduleAddress(d.name), permissions: [...d.permissions] };
      this.#byName.set(d.name, acc);
      this.#byAddress.set(acc.address, acc);
    }
  }

  /** The account of `name`; a module asking for an undeclared one is a wiring bug. */
  get(name: string): ModuleAccount {
    const acc = this.#byName.get(name);
    if (!acc) throw new Error(`module account ${name} is not declared`);
    return acc;
  }

  /** Throws (a wiring bug, never a user error) unless `name` holds `perm`. */
  require(name: string, perm: ModulePermission): ModuleAccount {
    const acc = this.get(name);
    if (!acc.permissions.includes(perm)) throw new Error(`module account ${name} does not have permission ${perm}`);
    return acc;
  }

  isModuleAddress(address: string): boolean {
    return this.#byAddress.has(address);
  }

  list(): ModuleAccount[] {
    return [...this.#byName.values()];
  }
}
