import { MsgMultiSend, MsgMultiSendResponse, MsgSend, MsgSendResponse } from "cosmjs-types/cosmos/bank/v1beta1/tx";
import { addressBytes } from "../../sdk/address.ts";
import { coinsEqual, parsePositiveCoins, sumCoins } from "../../sdk/coins.ts";
import type { MsgHandler } from "../../sdk/module.ts";
import { msgServerMethod } from "../../sdk/msg-server.ts";
import * as S from "../../sdk/tx/schemas.ts";
import { ErrInputOutputMismatch, ErrMultipleSenders, ErrNoInputs, ErrNoOutputs } from "./errors.ts";
import type { BankKeeper } from "./keeper.ts";
import { emitTransfer } from "./events.ts";
import { ModuleName } from "./keys.ts";

export const MsgSendTypeUrl = "/cosmos.bank.v1beta1.MsgSend";
export const MsgMultiSendTypeUrl = "/cosmos.bank.v1beta1.MsgMultiSend";

/**
 * Message servers are thin: validate, call the keeper, answer (house rule 6). Authority: MsgSend is signed by
 * `from_address`; MsgMultiSend by its one input's address. Neither may pay into a module account.
 */
export function bankMsgs(keeper: BankKeeper): MsgHandler<never>[] {
  return [
    msgServerMethod(ModuleName, {
      typeUrl: MsgSendTypeUrl, schema: S.MsgSend, decode: (b) => MsgSend.decode(b),
      validate(m) {
        addressBytes(m.fromAddress, "from address");
        addressBytes(m.toAddress, "to address");
        parsePositiveCoins(m.amount);
      },
      signer: (m) => m.fromAddress,
      exec(ctx, m) {
        keeper.assertNotModuleAccount(m.toAddress);
        keeper.sendCoins(ctx, m.fromAddress, m.toAddress, parsePositiveCoins(m.amount));
        return MsgSendResponse.encode({}).finish();
      },
    }),
    msgServerMethod(ModuleName, {
      typeUrl: MsgMultiSendTypeUrl, schema: S.MsgMultiSend, decode: (b) => MsgMultiSend.decode(b),
      validate(m) {
        if (m.inputs.length === 0) throw ErrNoInputs.wrap();
        if (m.inputs.length > 1) throw ErrMultipleSenders.wrap();
        if (m.outputs.length === 0) throw ErrNoOutputs.wrap();
        const ins = m.inputs.map((i) => (addressBytes(i.address, "input address"), parsePositiveCoins(i.coins, "input coins")));
        const outs = m.outputs.map((o) => (addressBytes(o.address, "output address"), parsePositiveCoins(o.coins, "output coins")));
        if (!coinsEqual(sumCoins(ins), sumCoins(outs))) throw ErrInputOutputMismatch.wrap();
      },
      signer: (m) => m.inputs[0]?.address ?? "", // validate allows exactly one input
      exec(ctx, m) {
        const input = m.inputs[0];
        if (!input) throw ErrNoInputs.wrap();
        for (const o of m.outputs) keeper.assertNotModuleAccount(o.address);
        keeper.subtractCoins(ctx, input.address, parsePositiveCoins(input.coins));
        for (const o of m.outputs) {
          const coins = parsePositiveCoins(o.coins);
          keeper.addCoins(ctx, o.address, coins);
          emitTransfer(ctx.events, input.address, o.address, coins);
        }
        return MsgMultiSendResponse.encode({}).finish();
      },
    }),
  ];
}
