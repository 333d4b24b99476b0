import type { Ctx } from "./context.ts";
import type { MsgHandler } from "./module.ts";
import type { MessageSchema } from "./proto-scan.ts";

/**
 * Builds a module's handler for one message type: its strict-scan schema, stateless checks, the one signer (the
 * authority rule) and the keeper call, with the SDK's `message` event (action, sender, module).
 */
export function msgHandler<M>(module: string, typeUrl: string, schema: MessageSchema | undefined, codec: { decode(b: Uint8Array): M }, o: {
  validate(m: M): void;
  signer(m: M): string;
  exec(ctx: Ctx, m: M): Uint8Array;
}): MsgHandler<never> {
  const h: MsgHandler<M> = {
    typeUrl,
    schema,
    decode: (b) => codec.decode(b),
    validateBasic: (m) => o.validate(m),
    signers: (m) => [o.signer(m)],
    handle(ctx, m) {
      ctx.events.emit("message", { action: typeUrl, sender: o.signer(m), module });
      return { typeUrl: `${typeUrl}Response`, value: o.exec(ctx, m) };
    },
  };
  return h as MsgHandler<never>;
}
