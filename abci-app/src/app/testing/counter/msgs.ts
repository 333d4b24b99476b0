import { addressBytes } from "../../../sdk/address.ts";
import { ErrUnknownAddress } from "../../../sdk/errors.ts";
import type { MsgHandler } from "../../../sdk/module.ts";
import { msgServerMethod } from "../../../sdk/msg-server.ts";
import { ErrInvalidIncrement } from "./errors.ts";
import { emitIncrement } from "./events.ts";
import type { CounterKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { MsgIncrement } from "./types.ts";

/** Authority rule: anyone with an account may increment, signing as `sender`; `by` is 1..1000. */
export function counterMsgs(k: CounterKeeper): MsgHandler<never>[] {
  return [
    msgServerMethod(ModuleName, {
      typeUrl: MsgIncrement.typeUrl, schema: MsgIncrement.schema, decode: (b) => MsgIncrement.decode(b),
      validate(m) {
        addressBytes(m.sender, "sender");
        if (m.by < 1n || m.by > 1000n) throw ErrInvalidIncrement.wrap(`by must be 1..1000, got ${m.by}`);
      },
      signer: (m) => m.sender,
      exec(ctx, m) {
        if (!k.accounts.getAccount(ctx.store, m.sender)) throw ErrUnknownAddress.wrap(m.sender);
        emitIncrement(ctx.events, m.sender, k.add(ctx.store, m.by));
        return new Uint8Array();
      },
    }),
  ];
}
