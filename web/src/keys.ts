// The user's Ed25519 key, made or imported in this page and kept in this browser's localStorage,
// in the clear or sealed with a passphrase (lib/key_seal.ts; then unlocked for this page's lifetime
// only): only the public key and signatures ever leave the page.
import { fromBase64, toBase64 } from "./lib/bytes";
import { publicKeyOf, randomSeed } from "./lib/ed25519";
import { openSeed, sealSeed, type Sealed } from "./lib/key_seal";

const STORE = "glassbook.key";

// `seed` in the clear, or `sealed` with the passphrase (then `publicKey` says whose it is while
// locked). `account` once the key signed up here; `registered` once the exchange answered a private
// request signed by it (an imported key may have an account already). Until then the page sends no
// private request on its own, so a key without an account causes no error on any page.
interface Stored { seed?: string; sealed?: Sealed; publicKey?: string; account?: number; registered?: boolean }

let unlocked: Uint8Array | null = null;  // the sealed key's seed, once unlocked in this page

function load(): Stored | null {
  try {
    const s = JSON.parse(localStorage.getItem(STORE) ?? "null") as Stored | null;
    return s && (typeof s.seed === "string" || (s.sealed !== undefined && typeof s.publicKey === "string")) ? s : null;
  } catch {
    return null;
  }
}

const save = (s: Stored): void => localStorage.setItem(STORE, JSON.stringify(s));

// The seed to sign with: null without a key, or while a sealed key is locked.
export function currentSeed(): Uint8Array | null {
  const s = load();
  if (!s) return null;
  if (s.seed !== undefined) return fromBase64(s.seed);
  return unlocked;
}

export function currentPublicKey(): string | null {
  const s = load();
  if (!s) return null;
  return s.publicKey ?? toBase64(publicKeyOf(fromBase64(s.seed!)));
}

export const isSealed = (): boolean => load()?.sealed !== undefined;
export const isLocked = (): boolean => isSealed() && unlocked === null;

export const currentAccount = (): number | undefined => load()?.account;

export function rememberAccount(account: number): void {
  const s = load();
  if (s) save({ ...s, account, registered: true });
}

export const isRegistered = (): boolean => load()?.registered === true;

export function rememberRegistered(): void {
  const s = load();
  if (s && !s.registered) save({ ...s, registered: true });
}

function keep(seed: Uint8Array): string {
  unlocked = null;
  const publicKey = toBase64(publicKeyOf(seed));
  save({ seed: toBase64(seed), publicKey });
  return publicKey;
}

export const createKey = (): string => keep(randomSeed());

// A base64 32-byte seed, as the demo's keys.json "secret" holds.
export function importKey(secret: string): string {
  let seed: Uint8Array;
  try {
    seed = fromBase64(secret);
  } catch {
    throw new Error("the secret is not base64");
  }
  if (seed.length !== 32) throw new Error(`the secret is ${seed.length} bytes, not a 32-byte Ed25519 seed`);
  return keep(seed);
}

// Seals the key in the clear with a passphrase: from now on localStorage holds no usable secret,
// and each new page asks for the passphrase before it signs.
export async function protectKey(passphrase: string): Promise<void> {
  const s = load();
  if (!s || s.seed === undefined) throw new Error(s ? "the key is already protected by a passphrase" : "no key to protect");
  const seed = fromBase64(s.seed);
  const sealed = await sealSeed(seed, passphrase);
  const { seed: _clear, ...rest } = s;
  void _clear;
  save({ ...rest, sealed, publicKey: toBase64(publicKeyOf(seed)) });
  unlocked = seed;
}

export async function unlockKey(passphrase: string): Promise<void> {
  const s = load();
  if (!s?.sealed) throw new Error("the key is not protected by a passphrase");
  const seed = await openSeed(s.sealed, passphrase);
  if (toBase64(publicKeyOf(seed)) !== s.publicKey) throw new Error("the sealed key is not the kept public key's");
  unlocked = seed;
}

export function forgetKey(): void {
  unlocked = null;
  localStorage.removeItem(STORE);
}
