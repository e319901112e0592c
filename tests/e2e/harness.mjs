// Starts a demo Glassbook server for one test file and stops it, plus the helpers the suites share:
// Backpack request signing (Ed25519 from a raw 32-byte seed), exact decimal arithmetic and bounded waits.
//
// Server contract: `glassbook serve --data <fresh dir> --port 0 --demo --demo-accounts N --keys-out <file>`
// listens on 127.0.0.1 and, once listening, writes the keys file atomically:
// {"url":"http://127.0.0.1:PORT","ws":"ws://127.0.0.1:PORT/","accounts":[{"account":1,"apiKey":"..","secret":".."}]}
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const START_TIMEOUT_MS = 20_000;
export const STOP_GRACE_MS = 5_000;

// The demo exchange (see src/engine/config.cpp demo_config).
export const ASSET_DECIMALS = { BTC: 8, SOL: 9, USDC: 6 };
export const MAKER_FEE_PPM = 200n; // 2 bp
export const TAKER_FEE_PPM = 500n; // 5 bp
export const INITIAL_FUNDS = { BTC: '10', SOL: '1000', USDC: '1000000' };

export function glassbookBinary() {
  const fromEnv = process.env.GLASSBOOK_BIN;
  if (fromEnv) return path.resolve(fromEnv);
  return path.join(REPO_ROOT, 'build', 'src', 'app', 'glassbook');
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `check` every 100 ms until it gives a truthy value, which it returns; fails naming `what`
// after `ms`.
export async function waitFor(what, check, ms = 45_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms: ${what}`);
    await sleep(100);
  }
}

// Resolves or rejects like `promise`, or rejects after `ms` naming `what`.
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Keeps the last `limit` bytes of a stream (server logs) for error messages.
function tail(stream, limit = 64 * 1024) {
  let chunks = [];
  let size = 0;
  stream.on('data', (chunk) => {
    chunks.push(chunk);
    size += chunk.length;
    while (size > limit && chunks.length > 1) size -= chunks.shift().length;
  });
  return () => Buffer.concat(chunks).toString('utf8').slice(-limit);
}

const running = new Set();
process.on('exit', () => {
  for (const child of running) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

// Starts the server; resolves once the keys file is there (at most START_TIMEOUT_MS).
export async function startServer({ accounts = 4, extraArgs = [] } = {}) {
  const bin = glassbookBinary();
  if (!fs.existsSync(bin)) {
    throw new Error(`glassbook binary not found at ${bin} (build it, or set GLASSBOOK_BIN)`);
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'glassbook-e2e-'));
  const dataDir = path.join(root, 'data');
  fs.mkdirSync(dataDir);
  const keysFile = path.join(root, 'keys.json');
  const args = ['serve', '--data', dataDir, '--port', '0', '--demo', '--demo-accounts', String(accounts),
    '--keys-out', keysFile, ...extraArgs];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const stdout = tail(child.stdout);
  const stderr = tail(child.stderr);
  let exited = null;
  const exit = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      running.delete(child);
      resolve(exited);
    });
  });
  let spawnError = null;
  child.on('error', (e) => { spawnError = e; });

  const server = {
    bin, args, root, dataDir, keysFile, proc: child,
    stdout, stderr,
    alive: () => exited === null && spawnError === null,
    exitStatus: () => exited,
    async stop() {
      if (exited === null && spawnError === null) {
        child.kill('SIGTERM');
        const done = await Promise.race([exit, sleep(STOP_GRACE_MS).then(() => null)]);
        if (done === null) {
          child.kill('SIGKILL');
          await Promise.race([exit, sleep(STOP_GRACE_MS)]);
        }
      }
      fs.rmSync(root, { recursive: true, force: true });
      return exited;
    },
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (spawnError) {
      await server.stop();
      throw new Error(`could not start ${bin}: ${spawnError.message}`);
    }
    if (exited !== null) {
      const text = stderr();
      fs.rmSync(root, { recursive: true, force: true });
      throw new Error(`server exited before writing ${keysFile} (code ${exited.code}, signal ${exited.signal}); ` +
        `command: ${bin} ${args.join(' ')}\n--- stderr ---\n${text}\n--- stdout ---\n${stdout()}`);
    }
    if (fs.existsSync(keysFile)) {
      try {
        const keys = JSON.parse(fs.readFileSync(keysFile, 'utf8'));
        Object.assign(server, { url: keys.url, ws: keys.ws, accounts: keys.accounts, keys });
        if (typeof keys.url !== 'string' || typeof keys.ws !== 'string' || !Array.isArray(keys.accounts) ||
            keys.accounts.length !== accounts) {
          await server.stop();
          throw new Error(`keys file does not follow the contract: ${JSON.stringify(keys)}`);
        }
        return server;
      } catch (e) {
        if (!(e instanceof SyntaxError)) throw e; // a partly written file: the write was not atomic, try again
      }
    }
    if (Date.now() > deadline) {
      const text = stderr();
      await server.stop();
      throw new Error(`server did not write ${keysFile} within ${START_TIMEOUT_MS} ms; ` +
        `command: ${bin} ${args.join(' ')}\n--- stderr ---\n${text}`);
    }
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// Ed25519 keys and Backpack signing

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function privateKeyFromSeed(seed) {
  const raw = typeof seed === 'string' ? Buffer.from(seed, 'base64') : Buffer.from(seed);
  if (raw.length !== 32) throw new Error(`an Ed25519 seed has 32 bytes, got ${raw.length}`);
  return crypto.createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, raw]), format: 'der', type: 'pkcs8' });
}

export function publicKeyBase64(privateKey) {
  const der = crypto.createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return der.subarray(der.length - 32).toString('base64');
}

// A fresh key pair nobody registered: { apiKey, secret } in the keys file's encoding.
export function freshKey() {
  const seed = crypto.randomBytes(32);
  return { apiKey: publicKeyBase64(privateKeyFromSeed(seed)), secret: seed.toString('base64') };
}

// Backpack's signing string: instruction=<name>&<params sorted by key, k=v joined by &>&timestamp=<ms>&window=<ms>
export function signingString(instruction, params, timestamp, window) {
  const query = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('&');
  return `instruction=${instruction}&${query ? query + '&' : ''}timestamp=${timestamp}&window=${window}`;
}

export function sign(secret, text) {
  return crypto.sign(null, Buffer.from(text, 'utf8'), privateKeyFromSeed(secret)).toString('base64');
}

// Distinct, increasing millisecond timestamps (two identical requests in one millisecond would
// otherwise be byte-identical and look like a replay).
let lastTs = 0;
export function nextTimestamp() {
  lastTs = Math.max(Date.now(), lastTs + 1);
  return lastTs;
}

export const INSTRUCTIONS = {
  'POST /api/v1/order': 'orderExecute',
  'DELETE /api/v1/order': 'orderCancel',
  'GET /api/v1/order': 'orderQuery',
  'DELETE /api/v1/orders': 'orderCancelAll',
  'GET /api/v1/orders': 'orderQueryAll',
  'GET /api/v1/capital': 'balanceQuery',
};

// Builds a signed Backpack request. GET carries params in the query string, POST/DELETE as a JSON
// body. Every part can be overridden to build bad requests:
//   instruction, timestamp, window, signParams (what is signed, default params),
//   body (raw body text instead of JSON of params), headers (merged last; a null value drops it).
export function buildRequest(account, method, apiPath, params = {}, opts = {}) {
  const instruction = opts.instruction ?? INSTRUCTIONS[`${method} ${apiPath}`];
  if (!instruction) throw new Error(`no instruction for ${method} ${apiPath}`);
  const timestamp = opts.timestamp ?? nextTimestamp();
  const window = opts.window ?? 5000;
  const signed = signingString(instruction, opts.signParams ?? params, timestamp, window);
  const headers = {
    'X-API-Key': account.apiKey,
    'X-Signature': sign(account.secret, signed),
    'X-Timestamp': String(timestamp),
    'X-Window': String(window),
  };
  let query = '';
  let body;
  if (method === 'GET') {
    const q = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
    if (q) query = '?' + q;
  } else {
    body = opts.body ?? JSON.stringify(params);
    headers['Content-Type'] = 'application/json';
  }
  for (const [k, v] of Object.entries(opts.headers ?? {})) {
    if (v === null) delete headers[k];
    else headers[k] = v;
  }
  return { method, path: apiPath + query, headers, body, signed };
}

// Sends a request (built by buildRequest, or unsigned) and returns { status, json, text }.
export async function send(baseUrl, req, timeoutMs = 10_000) {
  let res;
  try {
    res = await fetch(baseUrl + req.path, {
      method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const why = e.cause ? `${e.cause.code ?? ''} ${e.cause.message ?? e.cause}` : e.message;
    throw new Error(`${req.method} ${req.path.slice(0, 200)} failed: ${e.message} (${why})`);
  }
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text, headers: res.headers };
}

export function signedFetch(baseUrl, account, method, apiPath, params = {}, opts = {}) {
  return send(baseUrl, buildRequest(account, method, apiPath, params, opts));
}

// ---------------------------------------------------------------------------------------------
// Exact decimals: amounts as BigInt counts of an asset's smallest unit.

export function toUnits(text, decimals) {
  const s = String(text).trim();
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(s);
  if (!m) throw new Error(`not a decimal: ${JSON.stringify(text)}`);
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > decimals) throw new Error(`${s} has more than ${decimals} decimals`);
  const v = BigInt(m[2] + frac.padEnd(decimals, '0'));
  return m[1] === '-' ? -v : v;
}

export function fromUnits(units, decimals) {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(decimals + 1, '0');
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return (neg ? '-' : '') + int + (frac ? '.' + frac : '');
}

export const ceilDiv = (a, b) => (a + b - 1n) / b;
// A fee of `ppm` parts per million of `units`, rounded up (src/engine/engine.cpp settle_trade).
export const feeUnits = (units, ppm) => ceilDiv(units * ppm, 1_000_000n);

// Balances from GET /api/v1/capital's body ({"BTC":{"available":"..","locked":"..","staked":".."}}),
// as { BTC: { available, locked, total } } in BigInt units. Assets that are absent count as zero.
export function balanceUnits(capital) {
  const out = {};
  for (const [asset, decimals] of Object.entries(ASSET_DECIMALS)) {
    const b = capital?.[asset] ?? {};
    const available = toUnits(b.available ?? '0', decimals);
    const locked = toUnits(b.locked ?? '0', decimals);
    const staked = toUnits(b.staked ?? '0', decimals);
    out[asset] = { available, locked, total: available + locked + staked };
  }
  return out;
}

// The quote amount of `quantity` base at `price`, in quote units (exact; throws if not whole).
export function notionalUnits(price, quantity, baseDecimals, quoteDecimals) {
  const p = toUnits(price, quoteDecimals);
  const q = toUnits(quantity, baseDecimals);
  const scale = 10n ** BigInt(baseDecimals);
  if ((p * q) % scale !== 0n) throw new Error(`${price} x ${quantity} is not a whole number of quote units`);
  return (p * q) / scale;
}
