// Bad input against the gateway, with our own Backpack signing: each bad request gets the right
// status and code, the server stays up, and the account's open orders and balances do not change.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

import {
  startServer, buildRequest, send, signedFetch, sign, freshKey, withTimeout, sleep,
} from './harness.mjs';

const T = { timeout: 30_000 };
const ORDER = { symbol: 'BTC_USDC', side: 'Bid', orderType: 'Limit', price: '30000', quantity: '0.001' };

describe('bad input', { timeout: 300_000 }, () => {
  let srv;
  let acct; // account 3: every case but the rate limit
  let baseline; // its state with one resting order

  async function snapshot(account = acct) {
    const orders = await signedFetch(srv.url, account, 'GET', '/api/v1/orders', {});
    assert.equal(orders.status, 200, `GET /api/v1/orders: ${orders.status} ${orders.text}`);
    assert.ok(Array.isArray(orders.json), `open orders are a list: ${orders.text}`);
    const capital = await signedFetch(srv.url, account, 'GET', '/api/v1/capital', {});
    assert.equal(capital.status, 200, `GET /api/v1/capital: ${capital.status} ${capital.text}`);
    return { orders: [...orders.json].sort((a, b) => String(a.id).localeCompare(String(b.id))), capital: capital.json };
  }

  async function assertUnchanged(what) {
    let now;
    try {
      now = await snapshot();
    } catch (e) {
      await sleep(200);
      if (!srv.alive()) {
        throw new Error(`the server died after ${what} (${JSON.stringify(srv.exitStatus())}):\n${srv.stderr()}`);
      }
      throw e;
    }
    assert.ok(srv.alive(), `server died after ${what}:\n${srv.stderr()}`);
    assert.deepEqual(now, baseline, `state changed after ${what}`);
  }

  // Sends `req`, checks status and code (one of `codes`, when given), then that nothing changed.
  async function expectError(what, req, status, codes) {
    const res = await send(srv.url, req);
    const got = `${res.status} ${res.text.slice(0, 300)}`;
    assert.equal(res.status, status, `${what}: ${req.method} ${req.path} expected ${status}, got ${got}`);
    if (codes !== undefined) {
      assert.ok([].concat(codes).includes(res.json?.code), `${what}: expected code ${codes}, got ${got}`);
      assert.equal(typeof res.json?.message, 'string', `${what}: an error has a message: ${got}`);
    }
    await assertUnchanged(what);
    return res;
  }

  const order = (params = {}, opts = {}) => buildRequest(acct, 'POST', '/api/v1/order', { ...ORDER, ...params }, opts);

  before(async () => {
    srv = await startServer({ accounts: 4 });
    acct = srv.accounts[2];
    const r = await signedFetch(srv.url, acct, 'POST', '/api/v1/order', { ...ORDER, price: '25000' });
    assert.equal(r.status, 200, `resting order: ${r.status} ${r.text}`);
    baseline = await snapshot();
    assert.equal(baseline.orders.length, 1, 'one resting order');
  });

  after(async () => {
    if (srv) {
      const alive = srv.alive();
      await srv.stop();
      assert.ok(alive, `the server died during the suite:\n${srv.stderr()}`);
    }
  });

  it('malformed JSON -> 400 INVALID_CLIENT_REQUEST', T, async () => {
    await expectError('malformed JSON', order({}, { body: '{"symbol":"BTC_USDC","side":' }), 400, 'INVALID_CLIENT_REQUEST');
  });

  it('body over 64 KiB -> 413', T, async () => {
    const pad = 'x'.repeat(70 * 1024);
    await expectError('oversized body', order({ clientId: 7, pad }), 413);
  });

  it('wrong signature -> 401 INVALID_SIGNATURE', T, async () => {
    const req = order();
    req.headers['X-Signature'] = sign(acct.secret, 'instruction=orderExecute&timestamp=1&window=5000');
    await expectError('signature of other bytes', req, 401, 'INVALID_SIGNATURE');
    const flipped = order();
    const sig = Buffer.from(flipped.headers['X-Signature'], 'base64');
    sig[10] ^= 1;
    flipped.headers['X-Signature'] = sig.toString('base64');
    await expectError('one bit flipped', flipped, 401, 'INVALID_SIGNATURE');
    await expectError('not a signature', order({}, { headers: { 'X-Signature': 'AAAA' } }), 401, 'INVALID_SIGNATURE');
  });

  it('a signature for another instruction -> 401 INVALID_SIGNATURE', T, async () => {
    await expectError('signed as orderCancel', order({}, { instruction: 'orderCancel' }), 401, 'INVALID_SIGNATURE');
    const q = buildRequest(acct, 'GET', '/api/v1/capital', {}, { instruction: 'orderQueryAll' });
    await expectError('capital signed as orderQueryAll', q, 401, 'INVALID_SIGNATURE');
  });

  it('missing headers -> 401', T, async () => {
    const codes = ['INVALID_SIGNATURE', 'UNAUTHORIZED'];
    const none = { 'X-API-Key': null, 'X-Signature': null, 'X-Timestamp': null, 'X-Window': null };
    await expectError('no auth headers', order({}, { headers: none }), 401, codes);
    await expectError('no X-Signature', order({}, { headers: { 'X-Signature': null } }), 401, codes);
    await expectError('no X-API-Key', order({}, { headers: { 'X-API-Key': null } }), 401, codes);
    await expectError('GET capital without headers', { method: 'GET', path: '/api/v1/capital', headers: {} }, 401, codes);
  });

  it('stale and future timestamps -> 400 INVALID_CLIENT_REQUEST', T, async () => {
    await expectError('stale timestamp', order({}, { timestamp: Date.now() - 10_000, window: 5000 }), 400, 'INVALID_CLIENT_REQUEST');
    await expectError('timestamp 10 min ahead', order({}, { timestamp: Date.now() + 600_000 }), 400, 'INVALID_CLIENT_REQUEST');
  });

  it('window over 60000 -> 400', T, async () => {
    await expectError('window 60001', order({}, { window: 60_001 }), 400);
  });

  it('unknown key -> 401 UNAUTHORIZED', T, async () => {
    const stranger = freshKey();
    const req = buildRequest(stranger, 'POST', '/api/v1/order', ORDER);
    await expectError('unregistered key', req, 401, 'UNAUTHORIZED');
  });

  it('a replayed request -> 400 INVALID_CLIENT_REQUEST and only one order', T, async () => {
    const req = order({ price: '26000' });
    const first = await send(srv.url, req);
    assert.equal(first.status, 200, `first: ${first.status} ${first.text}`);
    const id = first.json?.id;
    assert.ok(id !== undefined, `order id in ${first.text}`);
    const second = await send(srv.url, req);
    assert.equal(second.status, 400, `replay: expected 400, got ${second.status} ${second.text}`);
    assert.equal(second.json?.code, 'INVALID_CLIENT_REQUEST', `replay code: ${second.text}`);
    const now = await snapshot();
    assert.equal(now.orders.length, baseline.orders.length + 1, 'exactly one new order');
    assert.ok(now.orders.some((o) => String(o.id) === String(id)));
    const c = await signedFetch(srv.url, acct, 'DELETE', '/api/v1/order', { orderId: String(id), symbol: 'BTC_USDC' });
    assert.equal(c.status, 200, `cancel: ${c.status} ${c.text}`);
    await assertUnchanged('replay, then cancel');
  });

  it('unknown symbol -> 400 INVALID_MARKET', T, async () => {
    await expectError('FOO_USDC', order({ symbol: 'FOO_USDC' }), 400, 'INVALID_MARKET');
  });

  it('a number where a decimal string belongs -> 400 INVALID_CLIENT_REQUEST', T, async () => {
    await expectError('price as a number', order({ price: 30000 }), 400, 'INVALID_CLIENT_REQUEST');
    await expectError('quantity as a number', order({ quantity: 0.001 }), 400, 'INVALID_CLIENT_REQUEST');
  });

  it('too many decimals -> 400 INVALID_PRICE / INVALID_QUANTITY', T, async () => {
    await expectError('price off the 0.1 tick', order({ price: '30000.05' }), 400, 'INVALID_PRICE');
    await expectError('quantity off the 0.00001 step', order({ quantity: '0.000001' }), 400, 'INVALID_QUANTITY');
  });

  it('negative and zero quantity -> 400 INVALID_QUANTITY', T, async () => {
    await expectError('negative quantity', order({ quantity: '-0.001' }), 400, 'INVALID_QUANTITY');
    await expectError('zero quantity', order({ quantity: '0' }), 400, 'INVALID_QUANTITY');
  });

  it('unknown field -> 400 INVALID_CLIENT_REQUEST', T, async () => {
    await expectError('field foo', order({ foo: 'bar' }), 400, 'INVALID_CLIENT_REQUEST');
  });

  it('an engine refusal names the rule and its limit', T, async () => {
    const res = await expectError('price over the maximum', order({ side: 'Ask', price: '5000000.1' }), 400, 'INVALID_PRICE');
    assert.equal(res.json.message, "price 5000000.1 is above the market's maximum price 5000000 USDC");
  });

  it('invalid UTF-8 in a request comes back as valid UTF-8 JSON', T, async () => {
    const res = await fetch(`${srv.url}/api/v1/depth?%FF%FE%C3(=1`); // a parameter name is echoed
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); // throws on invalid UTF-8
    assert.equal(res.status, 400, text);
    const body = JSON.parse(text);
    assert.equal(body.code, 'INVALID_CLIENT_REQUEST', text);
    assert.ok(body.message.includes('\ufffd'), text);
    await assertUnchanged('invalid UTF-8');
  });

  it('insufficient funds -> 400 INSUFFICIENT_FUNDS', T, async () => {
    // 100 BTC at 30000 = 3,000,000 USDC; the account has 1,000,000.
    await expectError('buy beyond the balance', order({ quantity: '100' }), 400, 'INSUFFICIENT_FUNDS');
    await expectError('sell beyond the balance', order({ side: 'Ask', price: '90000', quantity: '11' }), 400, 'INSUFFICIENT_FUNDS');
  });

  function openWs() {
    const ws = new WebSocket(srv.ws);
    const messages = [];
    let waiter = null;
    ws.on('message', (data) => {
      let json;
      try { json = JSON.parse(data.toString()); } catch { json = { unparsable: data.toString() }; }
      messages.push(json);
      if (waiter) waiter();
    });
    ws.on('error', () => {}); // surfaced through 'close'
    const closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    // Resolves with the first message (from now on, or already received) that `pred` accepts.
    async function next(pred, ms, what) {
      const deadline = Date.now() + ms;
      for (;;) {
        const i = messages.findIndex(pred);
        if (i >= 0) return messages.splice(i, 1)[0];
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no WebSocket message ${what} within ${ms} ms; got ${JSON.stringify(messages)}`);
        await new Promise((resolve) => { waiter = resolve; setTimeout(resolve, Math.min(left, 100)); });
        waiter = null;
      }
    }
    const opened = new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('close', () => reject(new Error('closed before open'))); });
    return { ws, messages, next, closed, opened };
  }

  it('an oversized WebSocket frame closes the connection', T, async () => {
    const c = openWs();
    await withTimeout(c.opened, 5_000, 'ws open');
    c.ws.send(`{"method":"SUBSCRIBE","params":["${'a'.repeat(1 << 20)}"]}`); // 1 MiB text frame
    const why = await withTimeout(c.closed, 10_000, 'server closes after a 1 MiB frame');
    assert.ok(why.code !== undefined);
    await assertUnchanged('oversized frame');
  });

  it('a garbage SUBSCRIBE gets an error message and the connection survives', T, async () => {
    const c = openWs();
    await withTimeout(c.opened, 5_000, 'ws open');
    let closedEarly = null;
    c.closed.then((why) => { closedEarly = why; });
    const isError = (m) => m && typeof m.error === 'object' && m.error !== null;
    for (const garbage of ['{"method":"SUBSCRIBE","params":["nonsense.NOPE_USDC"]}',
      '{"method":"SUBSCRIBE","params":"depth.SOL_USDC"}', 'not json {{', '{"method":"FLY"}']) {
      c.ws.send(garbage);
      const m = await c.next(isError, 5_000, `answering ${garbage}`);
      assert.equal(typeof m.error.message, 'string', `error message for ${garbage}: ${JSON.stringify(m)}`);
      assert.equal(closedEarly, null, `connection closed after ${garbage}: ${JSON.stringify(closedEarly)}`);
    }
    // Still a working connection: a ping is answered and a real subscription delivers.
    const pong = new Promise((resolve) => c.ws.once('pong', resolve));
    c.ws.ping();
    await withTimeout(pong, 5_000, 'pong');
    c.ws.send('{"method":"SUBSCRIBE","params":["depth.SOL_USDC"]}');
    await sleep(300);
    const placed = await signedFetch(srv.url, acct, 'POST', '/api/v1/order',
      { symbol: 'SOL_USDC', side: 'Bid', orderType: 'Limit', price: '10', quantity: '1' });
    assert.equal(placed.status, 200, `SOL order: ${placed.status} ${placed.text}`);
    const depth = await c.next((m) => m?.stream === 'depth.SOL_USDC', 5_000, 'on depth.SOL_USDC');
    assert.equal(depth.data?.e, 'depth');
    assert.equal(depth.data?.s, 'SOL_USDC');
    const cancel = await signedFetch(srv.url, acct, 'DELETE', '/api/v1/order', { orderId: String(placed.json.id), symbol: 'SOL_USDC' });
    assert.equal(cancel.status, 200, `cancel: ${cancel.status} ${cancel.text}`);
    assert.equal(closedEarly, null);
    c.ws.close();
    await assertUnchanged('garbage SUBSCRIBE');
  });

  it('a burst over the per-key limit -> some 429 TOO_MANY_REQUESTS, then service again', { timeout: 60_000 }, async () => {
    // A server of its own with a per-key limit of 20/s (burst 40): at the default 100/s a loaded
    // 2-core machine may not answer 500 requests faster than the limit refills.
    const limited = await startServer({ accounts: 1, extraArgs: ['--rate-per-key', '20'] });
    try {
      await burst(limited);
    } finally {
      const alive = limited.alive();
      await limited.stop();
      assert.ok(alive, `the rate-limited server died:\n${limited.stderr()}`);
    }
    await assertUnchanged('the burst on another server');
  });

  async function burst(srv) {
    const burster = srv.accounts[0];
    const N = 500;
    const CONCURRENCY = 50;
    const now = Date.now();
    const statuses = new Map();
    let tooMany = 0;
    let next = 0;
    async function worker() {
      while (next < N) {
        const i = next++;
        // Distinct timestamps (within the window) so no two requests are byte-identical.
        const req = buildRequest(burster, 'GET', '/api/v1/capital', {}, { timestamp: now - i, window: 10_000 });
        const r = await send(srv.url, req);
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 429) {
          tooMany++;
          assert.equal(r.json?.code, 'TOO_MANY_REQUESTS', `429 body: ${r.text}`);
        }
      }
    }
    await withTimeout(Promise.all(Array.from({ length: CONCURRENCY }, worker)), 45_000, `${N} requests`);
    const summary = JSON.stringify(Object.fromEntries(statuses));
    assert.ok(tooMany > 0, `no 429 in ${N} quick requests: ${summary}`);
    assert.equal((statuses.get(200) ?? 0) + tooMany, N, `only 200 and 429: ${summary}`);
    assert.ok(srv.alive(), 'server alive after the burst');

    const deadline = Date.now() + 15_000;
    let last;
    for (;;) {
      last = await signedFetch(srv.url, burster, 'GET', '/api/v1/capital', {});
      if (last.status === 200) break;
      assert.ok(Date.now() < deadline, `still limited 15 s after the burst: ${last.status} ${last.text}`);
      await sleep(500);
    }
  }
});
