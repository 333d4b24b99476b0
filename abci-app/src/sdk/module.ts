import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import type { BlockCtx, Ctx, QueryCtx } from "./context.ts";
import type { MessageSchema } from "./proto-scan.ts";

/** A message type a module handles, routed by its type URL. */
export interface MsgHandler<M = unknown> {
  readonly typeUrl: string;
  /** The strict-scan schema its Any value is checked against before `decode` (the app refuses a handler without). */
  readonly schema?: MessageSchema;
  decode(bytes: Uint8Array): M;
  /** Stateless checks (addresses, amounts); throws an AppError. */
  validateBasic(msg: M): void;
  /** Bech32 addresses that must sign, in order. */
  signers(msg: M): readonly string[];
  /** Executes the message; returns the encoded response, packed in TxMsgData.msg_responses. */
  handle(ctx: Ctx, msg: M): { readonly typeUrl: string; readonly value: Uint8Array };
}

/** A gRPC-style query, `/<package>.Query/<Method>`, answering protobuf bytes. */
export interface QueryHandler {
  readonly path: string;
  /** The strict-scan schema of the request data, checked before `handle` (the router refuses a handler without). */
  readonly request?: MessageSchema;
  handle(ctx: QueryCtx, data: Uint8Array): Uint8Array;
}

export interface Invariant {
  readonly name: string;
  check(ctx: QueryCtx): { readonly broken: boolean; readonly msg: string };
}

export interface GenesisHandler<G = unknown> {
  defaultGenesis(): G;
  /** Pure: parses and validates the module's `app_state` section; throws an AppError or Error with a clear message. */
  validateGenesis(raw: unknown): G;
  /** Writes the section; a module that owns the validator set returns the genesis validators. */
  initGenesis(ctx: Ctx, gs: G): readonly ValidatorUpdate[] | void;
  exportGenesis(ctx: QueryCtx): G;
}

/** One module's capabilities; the app wires the list in modules.ts. */
export interface ModuleDescriptor {
  readonly name: string;
  readonly msgs?: readonly MsgHandler<never>[];
  readonly queries?: readonly QueryHandler[];
  readonly genesis?: GenesisHandler<unknown>;
  readonly invariants?: readonly Invariant[];
  /** Runs before the block's txs (rewards, evidence, liveness). */
  beginBlock?(ctx: BlockCtx): void;
  /** Runs after the block's txs; may return CometBFT validator updates (at most one per validator across modules). */
  endBlock?(ctx: BlockCtx): readonly ValidatorUpdate[] | void;
}
