import { moduleAddress } from "../../sdk/address.ts";

/** What a module account may do beyond holding coins (the SDK's authtypes permissions). */
export type ModulePermission = "minter" | "burner" | "staking";

/** A module account: an address no key controls (sha256(name)[:20]), with its permissions. */
export interface ModuleAccount {
  readonly name: string;
  readonly address: string;
  readonly permissions: readonly ModulePermission[];
}

/** The module accounts the app declares (modules.ts); bank refuses user sends to any of them. */
export class ModuleAccounts {
  readonly #byName = new Map<string, ModuleAccount>();
  readonly #byAddress = new Map<string, ModuleAccount>();

  constructor(perms: Readonly<Record<string, readonly ModulePermission[]>>) {
    for (const name of Object.keys(perms).sort()) {
      const acc: ModuleAccount = { name, address: moduleAddress(name), permissions: [...(perms[name] ?? [])] };
      this.#byName.set(name, acc);
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
