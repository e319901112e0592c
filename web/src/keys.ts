// The user's Ed25519 key, made or imported in this page and kept in this browser's localStorage:
// only the public key and signatures ever leave the page.
import { fromBase64, toBase64 } from "./lib/bytes";
import { publicKeyOf, randomSeed } from "./lib/ed25519";

const STORE = "glassbook.key";

// `account` once the key signed up here; `registered` once the exchange answered a private request
// signed by it (an imported key may have an account already). Until then the page sends no private
// request on its own, so a key without an account causes no error on any page.
interface Stored { seed: string; account?: number; registered?: boolean }

function load(): Stored | null {
  try {
    const s = JSON.parse(localStorage.getItem(STORE) ?? "null") as Stored | null;
    return s && typeof s.seed === "string" ? s : null;
  } catch {
    return null;
  }
}

export function currentSeed(): Uint8Array | null {
  const s = load();
  return s ? fromBase64(s.seed) : null;
}

export function currentPublicKey(): string | null {
  const seed = currentSeed();
  return seed ? toBase64(publicKeyOf(seed)) : null;
}

export const currentAccount = (): number | undefined => load()?.account;

export function rememberAccount(account: number): void {
  const s = load();
  if (s) localStorage.setItem(STORE, JSON.stringify({ ...s, account, registered: true }));
}

export const isRegistered = (): boolean => load()?.registered === true;

export function rememberRegistered(): void {
  const s = load();
  if (s && !s.registered) localStorage.setItem(STORE, JSON.stringify({ ...s, registered: true }));
}

export function createKey(): string {
  localStorage.setItem(STORE, JSON.stringify({ seed: toBase64(randomSeed()) }));
  return currentPublicKey()!;
}

// A base64 32-byte seed, as the demo's keys.json "secret" holds.
export function importKey(secret: string): string {
  let seed: Uint8Array;
  try {
    seed = fromBase64(secret);
  } catch {
    throw new Error("the secret is not base64");
  }
  if (seed.length !== 32) throw new Error(`the secret is ${seed.length} bytes, not a 32-byte Ed25519 seed`);
  localStorage.setItem(STORE, JSON.stringify({ seed: toBase64(seed) }));
  return currentPublicKey()!;
}

export function forgetKey(): void {
  localStorage.removeItem(STORE);
}
