import { SignMode } from "cosmjs-types/cosmos/tx/signing/v1beta1/signing";
import { PubKey } from "cosmjs-types/cosmos/crypto/secp256k1/keys";
import type { AuthKeeper } from "./keeper.ts";
import type { AuthParams } from "./types.ts";
import { PUBKEY_TYPE_SECP256K1 } from "./keeper.ts";
import { requiredFee } from "./types.ts";
import type { BankKeeper } from "./expected-keepers.ts";
import { addressFromPubkey } from "../../sdk/address.ts";
import type { Timestamp } from "cosmjs-types/google/protobuf/timestamp";
import { type BlockTime, formatTimestamp, fromDate, isAfter } from "../../sdk/block-time.ts";
import { formatCoins, parseFeeCoins } from "../../sdk/coins.ts";
import type { Ctx } from "../../sdk/context.ts";
import { type AppError, ErrInvalidRequest, ErrNotSupported } from "../../sdk/errors.ts";
import {
  ErrInsufficientFee, ErrInvalidGasLimit, ErrInvalidPubKey, ErrMemoTooLarge, ErrNoSignatures, ErrTooManySignatures, ErrTxTimeout,
  ErrTxTimeoutHeight, ErrUnauthorized, ErrUnknownAddress, ErrWrongSequence,
} from "./errors.ts";
import { type DecodedTx, txSigners } from "../../sdk/tx/decode.ts";
import { verifySecp256k1 } from "./sig-verify.ts";
import { markVerified, verifiedBefore } from "./verified-signers.ts";
import { directSignHash } from "./sign-doc.ts";
import { emitAccSeq, emitSignature, emitTxFee } from "./events.ts";

export interface AnteDeps {
  readonly auth: AuthKeeper;
  readonly bank: BankKeeper;
  readonly feeCollector: string;
  /** Block max gas from the consensus params; ≤ 0 means unlimited. */
  readonly maxBlockGas: bigint;
}

export interface AnteOptions {
  /** false on RECHECK (verified once already) and in simulation. */
  readonly verifySignatures: boolean;
  readonly simulate: boolean;
}

/** A secp256k1 signature in a TxRaw: r ‖ s. */
const SIGNATURE_BYTES = 64;

/** The tx's deadline, when it has one: a timeout_timestamp other than the zero Timestamp (1970-01-01T00:00:00Z). */
export function txDeadline(tx: DecodedTx): Timestamp | undefined {
  const tts = tx.body.timeoutTimestamp;
  return tts !== undefined && (tts.seconds !== 0n || tts.nanos !== 0) ? tts : undefined;
}

/**
 * Why `tx` cannot run in a block of `height` and `time`: past its timeout_height (code 30) or its deadline (code
 * 42); undefined when it can. The ante's check, and PrepareProposal's and ProcessProposal's, so that no proposal
 * carries a tx that would fail it (it would fail before paying its fee).
 */
export function expiryError(tx: DecodedTx, height: bigint, time: BlockTime): AppError | undefined {
  if (tx.body.timeoutHeight > 0n && height > tx.body.timeoutHeight) {
    return ErrTxTimeoutHeight.wrap(`block height: ${height}, timeout height: ${tx.body.timeoutHeight}`);
  }
  const deadline = txDeadline(tx);
  if (deadline !== undefined && isAfter(time, deadline)) {
    return ErrTxTimeout.wrap(`block time: ${formatTimestamp(time)}, timeout timestamp: ${formatTimestamp(deadline)}`);
  }
  return undefined;
}

/**
 * The ante checks, identical in CheckTx and FinalizeBlock (the SDK's decorator chain, in its order):
 * basic limits → timeout → tx-size gas → fee (floor, deduction) → pubkey → sequence → signature → sequence increment.
 * Runs on a branch: when it throws, none of its writes survive.
 */
export function runAnte(ctx: Ctx, tx: DecodedTx, deps: AnteDeps, opts: AnteOptions): void {
  const params: AuthParams = deps.auth.getParams(ctx.store);
  const signers = txSigners(tx);
  const infos = tx.authInfo.signerInfos;
  const fee = tx.authInfo.fee;
  if (!fee) throw ErrInvalidRequest.wrap("tx has no fee");

  // Basic limits.
  if (infos.length === 0 || (!opts.simulate && tx.raw.signatures.length === 0)) throw ErrNoSignatures.wrap();
  if (BigInt(infos.length) > params.txSigLimit) throw ErrTooManySignatures.wrap(`signatures: ${infos.length}, limit: ${params.txSigLimit}`);
  if (infos.length !== signers.length) throw ErrUnauthorized.wrap(`wrong number of signers; expected ${signers.length}, got ${infos.length}`);
  if (!opts.simulate && tx.raw.signatures.length !== signers.length) throw ErrUnauthorized.wrap(`invalid number of signatures; expected ${signers.length}, got ${tx.raw.signatures.length}`);
  // The SDK's ValidateMemoDecorator counts len(memo): bytes of UTF-8, not characters.
  const memoBytes = Buffer.byteLength(tx.body.memo, "utf8");
  if (BigInt(memoBytes) > params.maxMemoCharacters) throw ErrMemoTooLarge.wrap(`maximum number of characters is ${params.maxMemoCharacters} but received ${memoBytes} characters`);
  if (fee.payer !== "" && fee.payer !== signers[0]) throw ErrNotSupported.wrap("a fee payer other than the first signer is not supported");
  if (fee.granter !== "") throw ErrNotSupported.wrap("fee grants are not supported");
  if (!opts.simulate) {
    if (fee.gasLimit === 0n) throw ErrInvalidGasLimit.wrap("gas limit must be positive");
    if (deps.maxBlockGas > 0n && fee.gasLimit > deps.maxBlockGas) throw ErrInvalidGasLimit.wrap(`tx gas limit ${fee.gasLimit} exceeds block max gas ${deps.maxBlockGas}`);
  }

  // Expiry.
  const expired = expiryError(tx, ctx.height, ctx.blockTime ?? fromDate(ctx.time));
  if (expired !== undefined) throw expired;

  // A simulated tx is charged the size of its signed form: each missing or empty signature as a 64-byte one.
  let sizeBytes = BigInt(tx.bytes.length);
  if (opts.simulate) {
    for (let i = 0; i < signers.length; i++) {
      const sig = tx.raw.signatures[i];
      sizeBytes += sig === undefined ? BigInt(SIGNATURE_BYTES + 2) : BigInt(Math.max(0, SIGNATURE_BYTES - sig.length));
    }
  }
  ctx.gas.consume(params.txSizeCostPerByte * sizeBytes, "txSize");

  // Fee: floor (a consensus rule here, so CheckTx and FinalizeBlock agree), then deduction from the first signer.
  const feeCoins = parseFeeCoins(fee.amount);
  const payer = signers[0] as string;
  if (!opts.simulate) {
    const need = requiredFee(params.minGasPrice, fee.gasLimit);
    const got = feeCoins.find((c) => c.denom === params.minGasPrice.denom)?.amount ?? 0n;
    if (got < need) throw ErrInsufficientFee.wrap(`insufficient fees; got: ${formatCoins(feeCoins) || "0" + params.minGasPrice.denom} required: ${need}${params.minGasPrice.denom}`);
  }
  if (!deps.auth.hasAccount(ctx.store, payer)) throw ErrUnknownAddress.wrap(`fee payer address: ${payer} does not exist`);
  if (feeCoins.length > 0) deps.bank.sendCoins(ctx, payer, deps.feeCollector, feeCoins);
  // cosmjs simulates with an empty fee; charge the gas of a real fee transfer so "auto" gas estimates hold.
  else if (opts.simulate) deps.bank.sendCoins(ctx, payer, deps.feeCollector, [{ denom: params.minGasPrice.denom, amount: 1n }]);
  emitTxFee(ctx.events, feeCoins, payer);

  // Per signer: pubkey, sequence, signature, increment.
  signers.forEach((signer, i) => {
    const info = infos[i];
    if (!info) throw ErrUnauthorized.wrap(`missing signer info ${i}`);
    let acc = deps.auth.getAccount(ctx.store, signer);
    if (!acc) throw ErrUnknownAddress.wrap(`account ${signer} does not exist`);
    let pubkey = deps.auth.pubkeyOf(acc);
    if (info.publicKey) {
      if (info.publicKey.typeUrl !== PUBKEY_TYPE_SECP256K1) throw ErrInvalidPubKey.wrap(`unsupported public key type ${info.publicKey.typeUrl}`);
      let offered: Uint8Array;
      try {
        offered = PubKey.decode(info.publicKey.value).key;
      } catch {
        throw ErrInvalidPubKey.wrap("cannot decode public key");
      }
      if (offered.length !== 33) throw ErrInvalidPubKey.wrap(`public key must be 33 bytes, got ${offered.length}`);
      if (addressFromPubkey(offered) !== signer) throw ErrInvalidPubKey.wrap(`pubKey does not match signer address ${signer} with signer index: ${i}`);
      if (!pubkey) {
        acc = deps.auth.setPubkey(ctx.store, acc, offered);
        pubkey = offered;
      }
    }
    if (!pubkey) throw ErrInvalidPubKey.wrap(`pubkey on account ${signer} is not set`);
    if (info.sequence !== acc.sequence) {
      throw ErrWrongSequence.wrap(`account sequence mismatch, expected ${acc.sequence}, got ${info.sequence}`);
    }
    ctx.gas.consume(params.sigVerifyCostSecp256k1, "ante verify: secp256k1");
    const mode = info.modeInfo?.single?.mode;
    if (!opts.simulate && mode !== SignMode.SIGN_MODE_DIRECT) throw ErrNotSupported.wrap(`signature mode ${mode ?? "multi"} is not supported; use SIGN_MODE_DIRECT`);
    const sig = tx.raw.signatures[i] ?? new Uint8Array();
    if (opts.verifySignatures && !opts.simulate && !verifiedBefore(tx, i, ctx.chainId, acc.accountNumber, pubkey)) {
      if (!verifySecp256k1(sig, directSignHash(tx.raw, ctx.chainId, acc.accountNumber), pubkey)) {
        throw ErrUnauthorized.wrap(`signature verification failed; please verify account number (${acc.accountNumber}), sequence (${acc.sequence}) and chain-id (${ctx.chainId})`);
      }
      markVerified(tx, i, ctx.chainId, acc.accountNumber, pubkey);
    }
    emitAccSeq(ctx.events, signer, acc.sequence);
    if (sig.length > 0) emitSignature(ctx.events, sig);
    deps.auth.incrementSequence(ctx.store, acc);
  });
}
