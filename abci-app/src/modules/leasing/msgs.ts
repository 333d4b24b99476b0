import { addressBytes } from "../../sdk/address.ts";
import type { Ctx } from "../../sdk/context.ts";
import { ErrInvalidRequest } from "../../sdk/errors.ts";
import type { MsgHandler } from "../../sdk/module.ts";
import type { MessageCodec } from "../../sdk/proto-codec.ts";
import { emitCreated, emitDeposit, emitDeregistered, emitProvider, emitReady, emitWithdraw } from "./events.ts";
import type { LeasingKeeper } from "./keeper.ts";
import { ModuleName } from "./keys.ts";
import { validateHostKey } from "./ssh-keys.ts";
import {
  EmptyResponse, MsgCloseLease, MsgCreateLease, MsgCreateLeaseResponse, MsgDepositLease, MsgDeregisterProvider, MsgLeaseReady, MsgRegisterProvider,
  MsgUpdateProvider, MsgWithdrawLease, MsgWithdrawLeaseResponse,
} from "./types.ts";
import { pausedAfter, utrustAmount, validateImage, validateProviderFields, validateResources, validateSshEndpoint, validateSshKeys, validateWholeVcpus } from "./validate.ts";

interface Response { readonly typeUrl: string; readonly value: Uint8Array }

function handler<M>(codec: MessageCodec<M>, o: { validate(m: M): void; signer(m: M): string; exec(ctx: Ctx, m: M): Response | void }): MsgHandler<never> {
  const empty = EmptyResponse(`${codec.typeUrl.split(".").pop() ?? ""}Response`);
  const h: MsgHandler<M> = {
    typeUrl: codec.typeUrl,
    schema: codec.schema,
    decode: (b) => codec.decode(b),
    validateBasic: (m) => o.validate(m),
    signers: (m) => [o.signer(m)],
    handle(ctx, m) {
      ctx.events.emit("message", { action: codec.typeUrl, sender: o.signer(m), module: ModuleName });
      return o.exec(ctx, m) ?? { typeUrl: empty.typeUrl, value: new Uint8Array() };
    },
  };
  return h as MsgHandler<never>;
}

function validateLeaseId(id: bigint): void {
  if (id === 0n) throw ErrInvalidRequest.wrap("lease_id must be set");
}

/** Message servers: stateless checks, the keeper (which checks who may do what), events. Authority: docs/leasing.md. */
export function leasingMsgs(k: LeasingKeeper): MsgHandler<never>[] {
  return [
    handler(MsgRegisterProvider, {
      validate: (m) => (validateProviderFields(m), utrustAmount(m.bond, "bond", true)),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.registerProvider(ctx, m, utrustAmount(m.bond, "bond", true));
        emitProvider(ctx.events, "registered", m.owner);
      },
    }),
    handler(MsgUpdateProvider, {
      validate: (m) => (validateProviderFields(m), pausedAfter(m.pause, false)),
      signer: (m) => m.owner,
      exec(ctx, m) {
        k.updateProvider(ctx, m);
        emitProvider(ctx.events, "updated", m.owner);
      },
    }),
    handler(MsgDeregisterProvider, {
      validate: (m) => addressBytes(m.owner, "owner"),
      signer: (m) => m.owner,
      exec(ctx, m) {
        emitDeregistered(ctx.events, m.owner, k.deregisterProvider(ctx, m.owner));
      },
    }),
    handler(MsgCreateLease, {
      validate(m) {
        addressBytes(m.tenant, "tenant");
        addressBytes(m.provider, "provider");
        validateResources(m, "lease", false);
        validateWholeVcpus(m.cpuMillis, "lease");
        validateImage(m.image);
        validateSshKeys(m.sshPubkeys);
        // a cap of 0 (a 0 coin, or none) takes a free offer only
        utrustAmount(m.maxPricePerBlock, "max_price_per_block", true);
        utrustAmount(m.deposit, "deposit");
      },
      signer: (m) => m.tenant,
      exec(ctx, m) {
        const l = k.createLease(ctx, { ...m, maxPricePerBlock: utrustAmount(m.maxPricePerBlock, "max_price_per_block", true), deposit: utrustAmount(m.deposit, "deposit") });
        emitCreated(ctx.events, l);
        return { typeUrl: MsgCreateLeaseResponse.typeUrl, value: MsgCreateLeaseResponse.encode({ leaseId: l.id }).finish() };
      },
    }),
    handler(MsgLeaseReady, {
      validate(m) {
        addressBytes(m.provider, "provider");
        validateLeaseId(m.leaseId);
        validateSshEndpoint(m.sshHost, m.sshPort);
        validateHostKey(m.hostKeyFingerprint, m.hostPublicKey);
      },
      signer: (m) => m.provider,
      exec(ctx, m) {
        emitReady(ctx.events, k.leaseReady(ctx, m.provider, m.leaseId, m));
      },
    }),
    handler(MsgDepositLease, {
      validate: (m) => (addressBytes(m.depositor, "depositor"), validateLeaseId(m.leaseId), utrustAmount(m.amount, "amount")),
      signer: (m) => m.depositor,
      exec(ctx, m) {
        const amount = utrustAmount(m.amount, "amount");
        emitDeposit(ctx.events, k.deposit(ctx, m.depositor, m.leaseId, amount), m.depositor, amount);
      },
    }),
    handler(MsgWithdrawLease, {
      validate: (m) => (addressBytes(m.provider, "provider"), validateLeaseId(m.leaseId)),
      signer: (m) => m.provider,
      exec(ctx, m) {
        const { paid, rewards, take } = k.withdraw(ctx, m.provider, m.leaseId);
        emitWithdraw(ctx.events, m.leaseId, m.provider, paid, rewards, take);
        const answer = { paid: paid.toString(), rewards: rewards.toString(), take: take.toString() };
        return { typeUrl: MsgWithdrawLeaseResponse.typeUrl, value: MsgWithdrawLeaseResponse.encode(answer).finish() };
      },
    }),
    handler(MsgCloseLease, {
      validate: (m) => (addressBytes(m.sender, "sender"), validateLeaseId(m.leaseId)),
      signer: (m) => m.sender,
      exec(ctx, m) {
        k.closeBy(ctx, m.sender, m.leaseId);
      },
    }),
  ];
}
