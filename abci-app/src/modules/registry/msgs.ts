import { addressBytes } from "../../sdk/address.ts";
import type { Ctx } from "../../sdk/context.ts";
import type { MsgHandler } from "../../sdk/module.ts";
import { msgServerMethod, type MsgServerMethod } from "../../sdk/msg-server.ts";
import type { MessageCodec } from "../../sdk/proto-codec.ts";
import { ErrTagNotFound } from "./errors.ts";
import type { RegistryKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { validateDigest, validateEndpoint, validateMediaType, validateNamespace, validateRepo, validateTag } from "./names.ts";
import {
  emitClaimNamespace, emitDeleteTag, emitMembership, emitOperatorRight, emitRecordTag, emitRegisterRegistry, emitReleaseNamespace, emitTransferNamespace,
} from "./events.ts";
import {
  MsgAddMember, MsgAuthorizeRegistry, MsgClaimNamespace, MsgDeleteTag, MsgRecordTag, MsgRegisterRegistry, MsgReleaseNamespace,
  MsgRemoveMember, MsgRevokeRegistry, MsgTransferNamespace,
} from "./types.ts";

/** A registry msg-server method: the codec carries the type URL and the strict-scan schema. */
function handler<M>(codec: MessageCodec<M>, o: Pick<MsgServerMethod<M>, "validate" | "signer"> & { exec(ctx: Ctx, m: M): void }): MsgHandler<never> {
  return msgServerMethod(ModuleName, {
    typeUrl: codec.typeUrl, schema: codec.schema, decode: (b) => codec.decode(b), validate: o.validate, signer: o.signer,
    exec: (ctx, m) => (o.exec(ctx, m), EMPTY),
  });
}

/** Every response is empty (`<Msg>Response {}`). */
const EMPTY = new Uint8Array();

/** Message servers: validate, call the keeper, emit an event (house rule 6). */
export function registryMsgs(k: RegistryKeeper): MsgHandler<never>[] {
  return [
    handler(MsgClaimNamespace, {
      validate: (m) => (addressBytes(m.owner, "owner"), validateNamespace(m.namespace)),
      signer: (m) => m.owner,
      exec(ctx, m) {
        const deposit = k.claimNamespace(ctx, m.namespace, m.owner);
        emitClaimNamespace(ctx.events, m.namespace, m.owner, deposit);
      },
    }),
    handler(MsgTransferNamespace, {
      validate: (m) => (addressBytes(m.owner, "owner"), addressBytes(m.newOwner, "new owner"), validateNamespace(m.namespace)),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.transferNamespace(ctx, m.namespace, m.owner, m.newOwner);
        emitTransferNamespace(ctx.events, m.namespace, m.owner, m.newOwner);
      },
    }),
    handler(MsgReleaseNamespace, {
      validate: (m) => (addressBytes(m.owner, "owner"), validateNamespace(m.namespace)),
      signer: (m) => m.owner,
      exec(ctx, m) {
        const refund = k.releaseNamespace(ctx, m.namespace, m.owner);
        emitReleaseNamespace(ctx.events, m.namespace, m.owner, refund);
      },
    }),
    handler(MsgRegisterRegistry, {
      validate: (m) => (addressBytes(m.operator, "operator"), validateEndpoint(m.endpoint)),
      signer: (m) => m.operator,
      exec(ctx, m) {
        k.registerOperator(ctx.store, m.operator, m.endpoint);
        emitRegisterRegistry(ctx.events, m.operator, m.endpoint);
      },
    }),
    handler(MsgRecordTag, {
      validate(m) {
        addressBytes(m.operator, "operator");
        addressBytes(m.pusher, "pusher");
        validateNamespace(m.namespace);
        validateRepo(m.namespace, m.repo);
        validateTag(m.tag);
        validateDigest(m.digest);
        validateMediaType(m.mediaType);
      },
      signer: (m) => m.operator,
      exec(ctx, m) {
        k.requireAuthorizedOperator(ctx.store, m.namespace, m.operator);
        k.requirePusher(ctx.store, m.namespace, m.pusher);
        k.record(ctx.store, { ...m, height: ctx.height, time: BigInt(Math.floor(ctx.time.getTime() / 1000)) });
        emitRecordTag(ctx.events, m);
      },
    }),
    handler(MsgDeleteTag, {
      validate: (m) => (addressBytes(m.operator, "operator"), validateNamespace(m.namespace), validateRepo(m.namespace, m.repo), validateTag(m.tag)),
      signer: (m) => m.operator,
      exec(ctx, m) {
        k.requireAuthorizedOperator(ctx.store, m.namespace, m.operator);
        const cur = k.tag(ctx.store, m.namespace, m.repo, m.tag);
        if (!cur) throw ErrTagNotFound.wrap(`${m.namespace}/${m.repo}:${m.tag}`);
        k.record(ctx.store, { ...cur, digest: "", mediaType: "", size: 0n, pusher: "", operator: m.operator, height: ctx.height, time: BigInt(Math.floor(ctx.time.getTime() / 1000)) });
        emitDeleteTag(ctx.events, m);
      },
    }),
    handler(MsgAuthorizeRegistry, {
      validate: (m) => (addressBytes(m.owner, "owner"), validateNamespace(m.namespace), addressBytes(m.operator, "operator")),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.authorize(ctx.store, m.namespace, m.owner, m.operator, ctx.height);
        emitOperatorRight(ctx.events, "authorize_registry", m);
      },
    }),
    handler(MsgRevokeRegistry, {
      validate: (m) => (addressBytes(m.owner, "owner"), validateNamespace(m.namespace), addressBytes(m.operator, "operator")),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.revoke(ctx.store, m.namespace, m.owner, m.operator, ctx.height);
        emitOperatorRight(ctx.events, "revoke_registry", m);
      },
    }),
    handler(MsgAddMember, {
      validate: (m) => (addressBytes(m.owner, "owner"), validateNamespace(m.namespace), addressBytes(m.member, "member")),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.addMember(ctx.store, m.namespace, m.owner, m.member, ctx.height);
        emitMembership(ctx.events, "add_member", m);
      },
    }),
    handler(MsgRemoveMember, {
      validate: (m) => (addressBytes(m.owner, "owner"), validateNamespace(m.namespace), addressBytes(m.member, "member")),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.removeMember(ctx.store, m.namespace, m.owner, m.member, ctx.height);
        emitMembership(ctx.events, "remove_member", m);
      },
    }),
  ];
}
