import type { EventSink } from "../../../sdk/events.ts";

export const emitIncrement = (ev: EventSink, sender: string, count: bigint): void => ev.emit("increment", { sender, count: count.toString() });
