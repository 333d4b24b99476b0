import { PathNotFoundError } from "../errors.ts";
import { validateTag } from "../names.ts";
import type { StorageDriver } from "./driver.ts";
import { pathFor } from "./paths.ts";

/** Tags of one repository: tag → digest links. */
export class TagStore {
  readonly #driver: StorageDriver;
  readonly #name: string;

  constructor(driver: StorageDriver, name: string) {
    this.#driver = driver;
    this.#name = name;
  }

  async get(tag: string): Promise<string | undefined> {
    validateTag(tag);
    try {
      return (await this.#driver.getContent(pathFor({ kind: "tagLink", name: this.#name, tag }))).toString("utf8");
    } catch (err) {
      if (err instanceof PathNotFoundError) return undefined;
      throw err;
    }
  }

  async set(tag: string, digest: string): Promise<void> {
    validateTag(tag);
    await this.#driver.putContent(pathFor({ kind: "tagLink", name: this.#name, tag }), Buffer.from(digest));
  }

  async delete(tag: string): Promise<void> {
    validateTag(tag);
    await this.#driver.delete(pathFor({ kind: "tagDir", name: this.#name, tag }));
  }

  /** All tags in lexical (code point) order. */
  async all(): Promise<string[]> {
    try {
      const names = await this.#driver.list(pathFor({ kind: "tagsRoot", name: this.#name }));
      return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    } catch (err) {
      if (err instanceof PathNotFoundError) return [];
      throw err;
    }
  }
}
