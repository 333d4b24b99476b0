import type { Ctx } from "./context.ts";
import type { MsgHandler } from "./module.ts";
import type { MessageSchema } from "./proto-scan.ts";
import { type ProtoReader, protoReader } from "./proto-reader.ts";

/** What a module writes for one message: its codec, stateless checks, the one signer it allows, and the keeper call. */
export interface MsgServerMethod<M> {
  readonly typeUrl: string;
  readonly schema: MessageSchema | undefined;
  /** cosmjs-types' `<Msg>.decode`, given a ProtoReader over the Any's value. */
  decode(input: ProtoReader): M;
  /** Stateless checks (addresses, amounts, names); throws an AppError. */
  validate(msg: M): void;
  /** The authority rule: the one account that must sign (the module's docs state it). */
  signer(msg: M): string;
  /** Calls the keeper and emits the module's events; returns the encoded `<Msg>Response`. */
  exec(ctx: Ctx, msg: M): Uint8Array;
}

/**
 * A msg-server method as the router runs it (the SDK's msg service router): emits the `message` event
 * (action, sender, module) and answers `<typeUrl>Response`. Every module's msgs.ts builds its handlers with it.
 */
export function msgServerMethod<M>(module: string, m: MsgServerMethod<M>): MsgHandler<never> {
  const h: MsgHandler<M> = {
    typeUrl: m.typeUrl,
    schema: m.schema,
    decode: (b) => m.decode(protoReader(b)),
    validateBasic: (msg) => m.validate(msg),
    signers: (msg) => [m.signer(msg)],
    handle(ctx, msg) {
      ctx.events.emit("message", { action: m.typeUrl, sender: m.signer(msg), module });
      return { typeUrl: `${m.typeUrl}Response`, value: m.exec(ctx, msg) };
    },
  };
  return h as MsgHandler<never>;
}
