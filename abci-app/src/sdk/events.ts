import type { Event } from "cosmjs-types/tendermint/abci/types";

/** Collects SDK-style events; every attribute is indexed (`index: true`) and has a non-empty key. */
export class EventSink {
  readonly #events: Event[] = [];

  emit(type: string, attrs: Readonly<Record<string, string>> | readonly (readonly [string, string])[]): void {
    const pairs = Array.isArray(attrs) ? attrs : Object.entries(attrs);
    if (type === "") throw new Error("event type must not be empty");
    this.#events.push({
      type,
      attributes: pairs.map(([key, value]) => {
        if (key === "") throw new Error(`event ${type}: attribute key must not be empty`);
        return { key, value, index: true };
      }),
    });
  }

  /** Appends events collected elsewhere (e.g. a message's sink once the message succeeded). */
  append(other: EventSink): void {
    this.#events.push(...other.#events);
  }

  list(): Event[] {
    return [...this.#events];
  }
}
