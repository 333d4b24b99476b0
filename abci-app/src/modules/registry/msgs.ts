import { addressBytes } from "../../sdk/address.ts";
import type { Ctx } from "../../sdk/context.ts";
import type { MsgHandler } from "../../sdk/module.ts";
import type { MessageCodec } from "../../sdk/proto-codec.ts";
import { ErrInvalidEndpoint, ErrTagNotFound } from "./errors.ts";
import type { RegistryKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { validateDigest, validateMediaType, validateNamespace, validateRepo, validateTag } from "./names.ts";
import {
  EmptyResponse, MsgAddMember, MsgAuthorizeRegistry, MsgClaimNamespace, MsgDeleteTag, MsgRecordTag, MsgRegisterRegistry, MsgReleaseNamespace,
  MsgRemoveMember, MsgRevokeRegistry, MsgTransferNamespace,
} from "./types.ts";

function handler<M>(codec: MessageCodec<M>, o: {
  validate(m: M): void;
  signer(m: M): string;
  exec(ctx: Ctx, m: M): void;
}): MsgHandler<never> {
  const name = codec.typeUrl.split(".").pop() ?? "";
  const response = EmptyResponse(`${name}Response`);
  const h: MsgHandler<M> = {
    typeUrl: codec.typeUrl,
    decode: (b) => codec.decode(b),
    validateBasic: (m) => o.validate(m),
    signers: (m) => [o.signer(m)],
    handle(ctx, m) {
      ctx.events.emit("message", { action: codec.typeUrl, sender: o.signer(m), module: ModuleName });
      o.exec(ctx, m);
      return { typeUrl: response.typeUrl, value: new Uint8Array() };
    },
  };
  return h as MsgHandler<never>;
}

function validateEndpoint(e: string): void {
  let u: URL;
  try {
    u = new URL(e);
  } catch {
    throw ErrInvalidEndpoint.wrap(`endpoint ${JSON.stringify(e.slice(0, 100))} is not a URL`);
  }
  if ((u.protocol !== "http:" && u.protocol !== "https:") || e.length > 256) throw ErrInvalidEndpoint.wrap(`endpoint must be an http(s) URL of at most 256 chars`);
}

/** Message servers: validate, call the keeper, emit an event (house rule 6). */
export function registryMsgs(k: RegistryKeeper): MsgHandler<never>[] {
  return [
    handler(MsgClaimNamespace, {
      validate: (m) => (addressBytes(m.owner, "owner"), validateNamespace(m.namespace)),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.claim(ctx.store, m.namespace, m.owner, ctx.height);
        ctx.events.emit("claim_namespace", { namespace: m.namespace, owner: m.owner });
      },
    }),
    handler(MsgTransferNamespace, {
      validate: (m) => (addressBytes(m.owner, "owner"), addressBytes(m.newOwner, "new owner"), validateNamespace(m.namespace)),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.transfer(ctx.store, m.namespace, m.owner, m.newOwner, ctx.height);
        ctx.events.emit("transfer_namespace", { namespace: m.namespace, from: m.owner, to: m.newOwner });
      },
    }),
    handler(MsgReleaseNamespace, {
      validate: (m) => (addressBytes(m.owner, "owner"), validateNamespace(m.namespace)),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.release(ctx.store, m.namespace, m.owner, ctx.height);
        ctx.events.emit("release_namespace", { namespace: m.namespace, owner: m.owner });
      },
    }),
    handler(MsgRegisterRegistry, {
      validate: (m) => (addressBytes(m.operator, "operator"), validateEndpoint(m.endpoint)),
      signer: (m) => m.operator,
      exec(ctx, m) {
        k.registerOperator(ctx.store, m.operator, m.endpoint);
        ctx.events.emit("register_registry", { operator: m.operator, endpoint: m.endpoint });
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
        ctx.events.emit("record_tag", { namespace: m.namespace, repo: m.repo, tag: m.tag, digest: m.digest, pusher: m.pusher, operator: m.operator });
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
        ctx.events.emit("delete_tag", { namespace: m.namespace, repo: m.repo, tag: m.tag, operator: m.operator });
      },
    }),
    handler(MsgAuthorizeRegistry, {
      validate: (m) => (addressBytes(m.owner, "owner"), validateNamespace(m.namespace), addressBytes(m.operator, "operator")),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.authorize(ctx.store, m.namespace, m.owner, m.operator, ctx.height);
        ctx.events.emit("authorize_registry", { namespace: m.namespace, owner: m.owner, operator: m.operator });
      },
    }),
    handler(MsgRevokeRegistry, {
      validate: (m) => (addressBytes(m.owner, "owner"), validateNamespace(m.namespace), addressBytes(m.operator, "operator")),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.revoke(ctx.store, m.namespace, m.owner, m.operator, ctx.height);
        ctx.events.emit("revoke_registry", { namespace: m.namespace, owner: m.owner, operator: m.operator });
      },
    }),
    handler(MsgAddMember, {
      validate: (m) => (addressBytes(m.owner, "owner"), validateNamespace(m.namespace), addressBytes(m.member, "member")),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.addMember(ctx.store, m.namespace, m.owner, m.member, ctx.height);
        ctx.events.emit("add_member", { namespace: m.namespace, owner: m.owner, member: m.member });
      },
    }),
    handler(MsgRemoveMember, {
      validate: (m) => (addressBytes(m.owner, "owner"), validateNamespace(m.namespace), addressBytes(m.member, "member")),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.removeMember(ctx.store, m.namespace, m.owner, m.member, ctx.height);
        ctx.events.emit("remove_member", { namespace: m.namespace, owner: m.owner, member: m.member });
      },
    }),
  ];
}
