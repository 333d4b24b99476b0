// The registry module's events (one emitter per message; attribute names are part of the chain's interface:
// the registry service and the explorer read them).
import { type Coin, formatCoins } from "../../sdk/coins.ts";
import type { EventSink } from "../../sdk/events.ts";

/** `deposit` (claim) and `refund` (release): the coin moved, e.g. "1000000utrust"; empty when none. */
const coinText = (c: Coin): string => (c.amount === 0n ? "" : formatCoins([c]));
export const emitClaimNamespace = (ev: EventSink, namespace: string, owner: string, deposit: Coin): void => ev.emit("claim_namespace", { namespace, owner, deposit: coinText(deposit) });
export const emitTransferNamespace = (ev: EventSink, namespace: string, from: string, to: string): void => ev.emit("transfer_namespace", { namespace, from, to });
export const emitReleaseNamespace = (ev: EventSink, namespace: string, owner: string, refund: Coin): void => ev.emit("release_namespace", { namespace, owner, refund: coinText(refund) });
export const emitRegisterRegistry = (ev: EventSink, operator: string, endpoint: string): void => ev.emit("register_registry", { operator, endpoint });
export const emitRecordTag = (ev: EventSink, r: { namespace: string; repo: string; tag: string; digest: string; pusher: string; operator: string }): void =>
  ev.emit("record_tag", { namespace: r.namespace, repo: r.repo, tag: r.tag, digest: r.digest, pusher: r.pusher, operator: r.operator });
export const emitDeleteTag = (ev: EventSink, r: { namespace: string; repo: string; tag: string; operator: string }): void =>
  ev.emit("delete_tag", { namespace: r.namespace, repo: r.repo, tag: r.tag, operator: r.operator });
/** authorize_registry / revoke_registry. */
export const emitOperatorRight = (ev: EventSink, type: "authorize_registry" | "revoke_registry", r: { namespace: string; owner: string; operator: string }): void =>
  ev.emit(type, { namespace: r.namespace, owner: r.owner, operator: r.operator });
/** add_member / remove_member. */
export const emitMembership = (ev: EventSink, type: "add_member" | "remove_member", r: { namespace: string; owner: string; member: string }): void =>
  ev.emit(type, { namespace: r.namespace, owner: r.owner, member: r.member });
