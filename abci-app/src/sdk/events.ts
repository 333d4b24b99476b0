import type { Event } from "cosmjs-types/tendermint/abci/types";

/**
 * Collects SDK-style events; every attribute is indexed (`index: true`) and has a non-empty key. A sink made with
 * `{ keep: false }` checks what it is given the same way and keeps nothing (CheckTx answers no events).
 */
export class EventSink {
  readonly #events: Event[] = [];
  readonly #keep: boolean;

  constructor(opts: { readonly keep?: boolean } = {}) {
    this.#keep = opts.keep ?? true;
  }

  emit(type: string, attrs: Readonly<Record<string, string>> | readonly (readonly [string, string])[]): void {
    const pairs = Array.isArray(attrs) ? attrs : Object.entries(attrs);
    if (type === "") throw new Error("event type must not be empty");
    if (!this.#keep) {
      for (const [key] of pairs) if (key === "") throw new Error(`event ${type}: attribute key must not be empty`);
      return;
    }
    this.#events.push({
      type,
      attributes: pairs.map(([key, value]) => {
        if (key === "") throw new Error(`event ${type}: attribute key must not be empty`);
        return { key, value, index: true };
      }),
    });
  }

  /**
   * Whether emitted events are kept. Emitters whose attribute keys are fixed may skip formatting values nobody
   * will read (CheckTx: base64 signatures, coin strings) when this is false.
   */
  get keeps(): boolean {
    return this.#keep;
  }

  /** How many events are kept so far (a mark for `addAttribute`). */
  get size(): number {
    return this.#events.length;
  }

  /**
   * Adds one attribute to every kept event from index `from` on: the SDK (v0.50) tags each event a message emitted
   * with `msg_index`, and each block event with `mode` (BeginBlock / EndBlock, not indexed).
   */
  addAttribute(from: number, key: string, value: string, index = true): void {
    if (key === "") throw new Error("attribute key must not be empty");
    for (let i = from; i < this.#events.length; i++) this.#events[i]!.attributes.push({ key, value, index }); // the sink's own arrays
  }

  /** Appends events collected elsewhere (e.g. a message's sink once the message succeeded). */
  append(other: EventSink): void {
    if (this.#keep) this.#events.push(...other.#events);
  }

  list(): Event[] {
    return [...this.#events];
  }
}
