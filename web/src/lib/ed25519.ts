// Ed25519 through @noble/ed25519 (audited), with SHA-512 from @noble/hashes so every call is synchronous.
import * as ed from "@noble/ed25519";
import { sha512 } from "@noble/hashes/sha2.js";

ed.hashes.sha512 = sha512;

export const publicKeyOf = (seed: Uint8Array): Uint8Array => ed.getPublicKey(seed);
export const sign = (message: Uint8Array, seed: Uint8Array): Uint8Array => ed.sign(message, seed);
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    // RFC 8032 strictness (not ZIP 215), as libsodium, which signed the checkpoints, verifies.
    return ed.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;  // a malformed key or signature is simply not a valid signature
  }
}
export const randomSeed = (): Uint8Array => ed.utils.randomSecretKey();
