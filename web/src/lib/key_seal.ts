// A key's seed sealed with a passphrase for keeping in the browser: PBKDF2-SHA-256 stretches the
// passphrase into an AES-256-GCM key (both WebCrypto), so what localStorage holds is useless
// without the passphrase, and a wrong passphrase or a changed byte fails GCM's tag check.
import { fromBase64, toBase64, utf8 } from "./bytes";

export interface Sealed { kdf: "PBKDF2-SHA-256"; iterations: number; salt: string; iv: string; ciphertext: string }

// OWASP's 2023 figure for PBKDF2-HMAC-SHA-256: about 0.3 s in a browser on a laptop, once per unlock.
export const SEAL_ITERATIONS = 600_000;

// WebCrypto takes ArrayBuffer-backed views only: a copy is one.
const own = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

async function aesKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  if (passphrase.length === 0) throw new Error("the passphrase is empty");
  const material = await crypto.subtle.importKey("raw", own(utf8(passphrase)), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt: own(salt), iterations }, material, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

export async function sealSeed(seed: Uint8Array, passphrase: string, iterations = SEAL_ITERATIONS): Promise<Sealed> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await aesKey(passphrase, salt, iterations);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, own(seed)));
  return { kdf: "PBKDF2-SHA-256", iterations, salt: toBase64(salt), iv: toBase64(iv), ciphertext: toBase64(ciphertext) };
}

// The seed, or an Error saying the passphrase is wrong (or the sealed key was changed).
export async function openSeed(sealed: Sealed, passphrase: string): Promise<Uint8Array> {
  if (sealed.kdf !== "PBKDF2-SHA-256") throw new Error(`unknown key derivation ${sealed.kdf}`);
  if (!Number.isSafeInteger(sealed.iterations) || sealed.iterations < 1) throw new Error(`bad iteration count ${sealed.iterations}`);
  const key = await aesKey(passphrase, fromBase64(sealed.salt), sealed.iterations);
  let seed: Uint8Array;
  try {
    seed = new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv: own(fromBase64(sealed.iv)) }, key, own(fromBase64(sealed.ciphertext))));
  } catch {
    throw new Error("wrong passphrase (or the kept key was changed)");
  }
  if (seed.length !== 32) throw new Error(`the sealed key is ${seed.length} bytes, not a 32-byte seed`);
  return seed;
}
