// The gateway's REST API from the page: public reads, and private requests signed here with the key
// kept in this browser (the key never leaves it: only its public half and signatures are sent).
import { authHeaders, jsonBody, queryString, type Params } from "./lib/signing";
import { currentSeed, isLocked } from "./keys";

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message ? `${code}: ${message}` : code);
  }
}

const WINDOW_MS = 5000;
let clockOffsetMs = 0;  // server time minus this browser's, so that a skewed clock still signs valid windows

async function answer(res: Response): Promise<unknown> {
  const text = await res.text();
  const json = res.headers.get("content-type")?.startsWith("application/json");
  if (!res.ok) {
    let code = `HTTP ${res.status}`;
    let message = text;
    if (json) {
      try {
        const e = JSON.parse(text) as { code?: string; message?: string };
        code = e.code ?? code;
        message = e.message ?? "";
      } catch { /* the body as it is */ }
    }
    throw new ApiError(res.status, code, message);
  }
  return json ? JSON.parse(text) : text;
}

export async function get<T>(path: string, params: Params = {}): Promise<T> {
  return (await answer(await fetch(path + queryString(params)))) as T;
}

export async function syncClock(): Promise<void> {
  const before = Date.now();
  const server = Number(await get<string>("/api/v1/time"));
  if (Number.isFinite(server)) clockOffsetMs = server - Math.round((before + Date.now()) / 2);
}

export const serverNow = (): number => Date.now() + clockOffsetMs;

// A signed request: GET parameters go in the query, others in a JSON body; both are signed as text.
export async function signed<T>(method: "GET" | "POST" | "DELETE", path: string, instruction: string, params: Params = {}): Promise<T> {
  const seed = currentSeed();
  if (!seed && isLocked()) throw new ApiError(401, "KEY_LOCKED", "the key is protected by a passphrase: unlock it first (Account)");
  if (!seed) throw new ApiError(401, "NO_KEY", "create or import a key first (Account)");
  const headers: Record<string, string> = { ...authHeaders(seed, instruction, params, serverNow(), WINDOW_MS) };
  if (method === "GET") return (await answer(await fetch(path + queryString(params), { headers }))) as T;
  headers["Content-Type"] = "application/json";
  return (await answer(await fetch(path, { method, headers, body: jsonBody(params) }))) as T;
}

export async function postCommand(body: string): Promise<{ journalSeq: number; events: number; account?: number }> {
  const res = await fetch("/api/v1/glassbook/command", { method: "POST", headers: { "Content-Type": "application/json" }, body });
  return (await answer(res)) as { journalSeq: number; events: number; account?: number };
}

export const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
