// Natively signed commands (docs/journal.md: "glassbook/command/v1", the kind byte, then the fields of
// src/engine/command_fields.h, little-endian): a key's own sign-up and the demo faucet's deposits.
import { concat, toBase64, utf8 } from "./bytes";
import { publicKeyOf, sign } from "./ed25519";

const TAG = utf8("glassbook/command/v1");
const KIND_REGISTER_ACCOUNT = 0;
const KIND_DEPOSIT = 1;
const KIND_TIMED_ROLE_COMMAND = 14;

function le(value: bigint, bytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  let v = BigInt.asUintN(bytes * 8, value);
  for (let i = 0; i < bytes; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

export function registerAccountBytes(publicKey: Uint8Array): Uint8Array {
  return concat(TAG, Uint8Array.of(KIND_REGISTER_ACCOUNT), publicKey);
}

export function depositBytes(account: number, asset: number, amount: bigint, depositId: bigint): Uint8Array {
  return concat(TAG, Uint8Array.of(KIND_DEPOSIT), le(BigInt(account), 4), le(BigInt(asset), 2), le(amount, 8), le(depositId, 8));
}

// A role command as the gateway takes it: wrapped with its signer's time (µs), so that a captured
// one is refused once its window has passed or it was sequenced (TimedRoleCommand: the time, then the
// inner command's own signed bytes behind their u32 length).
export function timedRoleBytes(signedTimeUs: bigint, inner: Uint8Array): Uint8Array {
  return concat(TAG, Uint8Array.of(KIND_TIMED_ROLE_COMMAND), le(signedTimeUs, 8), le(BigInt(inner.length), 4), inner);
}

// The body of POST /api/v1/glassbook/command.
export function signedCommandBody(bytes: Uint8Array, seed: Uint8Array): string {
  return JSON.stringify({ command: toBase64(bytes), signer: toBase64(publicKeyOf(seed)), signature: toBase64(sign(bytes, seed)) });
}
