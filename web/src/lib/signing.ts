// Backpack's request signing, exactly as src/engine/request_text.cpp builds the text the gateway checks:
// "instruction=<name>" + "&k=v" per parameter sorted by key + "&timestamp=<ms>&window=<ms>".
import { toBase64, utf8 } from "./bytes";
import { publicKeyOf, sign } from "./ed25519";

export type ParamValue = string | number | boolean;
export type Params = Record<string, ParamValue | undefined>;

// Keys are [A-Za-z0-9]{1,32} and values [A-Za-z0-9._-]{1,64} (docs/api.md): anything else the
// gateway refuses, so it is refused here first, with the same reason.
const KEY = /^[A-Za-z0-9]{1,32}$/;
const VALUE = /^[A-Za-z0-9._-]{1,64}$/;

export function definedParams(params: Params): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    const value = String(v);
    if (!KEY.test(k)) throw new Error(`parameter name ${k} is not 1-32 letters or digits`);
    if (!VALUE.test(value)) throw new Error(`parameter ${k}: "${value}" is not 1-64 of A-Z a-z 0-9 . _ -`);
    out.push([k, value]);
  }
  // Keys are ASCII, so sorting by UTF-16 code units is the C++ side's bytewise order.
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function signingText(instruction: string, params: Params, timestampMs: number, windowMs: number): string {
  let text = `instruction=${instruction}`;
  for (const [k, v] of definedParams(params)) text += `&${k}=${v}`;
  return `${text}&timestamp=${timestampMs}&window=${windowMs}`;
}

// A private GET's query string ("?k=v&..." or ""); the values need no escaping (see VALUE).
export function queryString(params: Params): string {
  const pairs = definedParams(params);
  return pairs.length ? "?" + pairs.map(([k, v]) => `${k}=${v}`).join("&") : "";
}

// A POST or DELETE body: the parameters as a JSON object, booleans and integers as JSON scalars
// (the gateway signs them as true/false and digits), decimals as strings.
export function jsonBody(params: Params): string {
  definedParams(params);  // the same checks as the signing text
  return JSON.stringify(Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)));
}

export interface AuthHeaders {
  "X-API-Key": string;
  "X-Signature": string;
  "X-Timestamp": string;
  "X-Window": string;
}

export function authHeaders(seed: Uint8Array, instruction: string, params: Params, timestampMs: number, windowMs: number): AuthHeaders {
  const text = signingText(instruction, params, timestampMs, windowMs);
  return {
    "X-API-Key": toBase64(publicKeyOf(seed)),
    "X-Signature": toBase64(sign(utf8(text), seed)),
    "X-Timestamp": String(timestampMs),
    "X-Window": String(windowMs),
  };
}

// A private WebSocket subscription's "signature" array: instruction=subscribe&timestamp=..&window=..
export function subscriptionSignature(seed: Uint8Array, timestampMs: number, windowMs: number): string[] {
  const text = signingText("subscribe", {}, timestampMs, windowMs);
  return [toBase64(publicKeyOf(seed)), toBase64(sign(utf8(text), seed)), String(timestampMs), String(windowMs)];
}
