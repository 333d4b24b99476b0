import type { ValidatorUpdate } from "cosmjs-types/tendermint/abci/types";
import type { BlockCtx, Ctx, QueryCtx } from "./context.ts";
import type { CliQuery } from "./client/cli-query.ts";
import type { RestModule } from "./client/route-table.ts";
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
  /** The genesis JSON of `gs`, as `validateGenesis` reads it (export writes it; a new chain starts from it). */
  toJson(gs: G): unknown;
}

/** What a module account may do beyond holding coins (the SDK's authtypes permissions). */
export type ModulePermission = "minter" | "burner" | "staking";

/** A module account a module declares (the SDK's maccPerms entry): bank guards it and checks its permissions. */
export interface ModuleAccountDecl {
  readonly name: string;
  readonly permissions: readonly ModulePermission[];
}

/**
 * The module's client surface, declared as data: served by the REST server and built into `trustnet query <module>`
 * by the CLI. Block execution never runs it (sdk/client/ and modules/<m>/client/ are out of the state machine's reach).
 */
export interface ModuleClient {
  readonly rest?: RestModule;
  readonly cli?: readonly CliQuery[];
}

/**
 * One module's capabilities; the app wires the list in modules.ts. The file each piece lives in is fixed
 * (docs/ARCHITECTURE.md, "Module shape"): msgs.ts, queries.ts, genesis.ts, invariants.ts, keys.ts, client/.
 */
export interface ModuleDescriptor {
  readonly name: string;
  /** Module accounts this module owns, with their permissions (bank refuses user sends to them and checks the permissions). */
  readonly moduleAccounts?: readonly ModuleAccountDecl[];
  readonly msgs?: readonly MsgHandler<never>[];
  readonly queries?: readonly QueryHandler[];
  readonly genesis?: GenesisHandler<unknown>;
  readonly invariants?: readonly Invariant[];
  /** Runs before the block's txs (rewards, evidence, liveness). */
  beginBlock?(ctx: BlockCtx): void;
  /** Runs after the block's txs; may return CometBFT validator updates (at most one per validator across modules). */
  endBlock?(ctx: BlockCtx): readonly ValidatorUpdate[] | void;
  readonly client?: ModuleClient;
}
