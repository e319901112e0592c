// The unmodified ccxt.pro Backpack client against a demo Glassbook server: only its URLs point here.
// Account 1 (client A) rests orders; account 2 (client B) trades against them. Every amount is
// checked exactly, in the asset's smallest unit.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ccxt from 'ccxt';

import {
  startServer, withTimeout, sleep, toUnits, fromUnits, feeUnits, notionalUnits, balanceUnits,
  ASSET_DECIMALS, MAKER_FEE_PPM, TAKER_FEE_PPM, INITIAL_FUNDS,
} from './harness.mjs';

const BTC = 'BTC/USDC';
const SOL = 'SOL/USDC';
const D = ASSET_DECIMALS;
const T = { timeout: 30_000 };
const TWS = { timeout: 60_000 };

// A value ccxt gives as a string or a number, in units of `decimals`.
function units(value, decimals) {
  assert.notEqual(value, undefined, 'value is missing');
  assert.notEqual(value, null, 'value is null');
  return typeof value === 'number' ? toUnits(value.toFixed(decimals), decimals) : toUnits(value, decimals);
}
function assertDecimal(actual, expected, decimals, what) {
  assert.equal(units(actual, decimals), toUnits(expected, decimals),
    `${what}: got ${actual}, expected ${expected}`);
}

async function makeClient(srv, account) {
  const ex = new ccxt.pro.backpack({ apiKey: account.apiKey, secret: account.secret, timeout: 10_000 });
  ex.urls.api.public = srv.url;
  ex.urls.api.private = srv.url;
  ex.urls.api.ws = { public: srv.ws, private: srv.ws };
  await ex.loadHttpProxyAgent(); // ccxt needs it for plain ws:// URLs in node
  return ex;
}

// Balances through fetchBalance, exactly: { BTC: { available, locked, total } } in units.
async function balances(ex) {
  const b = await ex.fetchBalance();
  const out = {};
  for (const [asset, decimals] of Object.entries(D)) {
    const available = units(b[asset]?.free ?? 0, decimals);
    const locked = units(b[asset]?.used ?? 0, decimals);
    out[asset] = { available, locked, total: available + locked };
    assert.equal(units(b[asset]?.total ?? 0, decimals), available + locked, `${asset} total = free + used`);
  }
  return out;
}

// A book side as plain [price, amount] pairs (ccxt's watched books are Bids/Asks objects).
const plain = (side) => Array.from(side, (level) => [level[0], level[1]]);

// Differences after - before per asset: { BTC: { total, locked, available } }.
function diff(before, after) {
  const out = {};
  for (const a of Object.keys(before)) {
    out[a] = {
      total: after[a].total - before[a].total,
      locked: after[a].locked - before[a].locked,
      available: after[a].available - before[a].available,
    };
  }
  return out;
}

function assertMoves(d, expected, who) {
  for (const [asset, want] of Object.entries(expected)) {
    for (const [field, value] of Object.entries(want)) {
      assert.equal(d[asset][field], value,
        `${who} ${asset} ${field} moved by ${fromUnits(d[asset][field], D[asset])}, expected ${fromUnits(value, D[asset])}`);
    }
  }
}

async function openIds(ex, symbol) {
  return (await ex.fetchOpenOrders(symbol)).map((o) => o.id);
}

describe('ccxt.pro backpack against Glassbook', { timeout: 300_000 }, () => {
  let srv;
  let A; // account 1
  let B; // account 2
  const btcTrades = []; // every trade in BTC_USDC, in order: { price, qty } as strings

  before(async () => {
    srv = await startServer({ accounts: 4 });
    A = await makeClient(srv, srv.accounts[0]);
    B = await makeClient(srv, srv.accounts[1]);
  });

  after(async () => {
    for (const ex of [A, B]) {
      if (ex) await withTimeout(ex.close(), 5_000, 'closing ccxt').catch(() => {});
    }
    if (srv) {
      const alive = srv.alive();
      await srv.stop();
      assert.ok(alive, `the server died during the suite:\n${srv.stderr()}`);
    }
  });

  it('loadMarkets gives the demo markets and currencies', T, async () => {
    const markets = await A.loadMarkets();
    await B.loadMarkets();
    for (const [symbol, id, base, tick, step] of [[BTC, 'BTC_USDC', 'BTC', '0.1', '0.00001'], [SOL, 'SOL_USDC', 'SOL', '0.01', '0.01']]) {
      const m = markets[symbol];
      assert.ok(m, `market ${symbol} missing; got ${Object.keys(markets).join(', ')}`);
      assert.equal(m.id, id);
      assert.equal(m.base, base);
      assert.equal(m.quote, 'USDC');
      assert.equal(m.spot, true, `${symbol} spot (marketType SPOT)`);
      assert.equal(m.active, true, `${symbol} active (orderBookState Open)`);
      assertDecimal(m.precision.price, tick, 9, `${symbol} tickSize`);
      assertDecimal(m.precision.amount, step, 9, `${symbol} stepSize`);
      assertDecimal(m.limits.amount.min, step, 9, `${symbol} minQuantity`);
    }
    for (const code of ['BTC', 'SOL', 'USDC']) assert.ok(A.currencies[code], `currency ${code} missing`);
  });

  it('fetchBalance shows the demo funding of both accounts', T, async () => {
    for (const ex of [A, B]) {
      const u = await balances(ex);
      for (const [asset, amount] of Object.entries(INITIAL_FUNDS)) {
        assert.equal(u[asset].total, toUnits(amount, D[asset]), `${asset} total`);
        assert.equal(u[asset].locked, 0n, `${asset} locked`);
      }
      const raw = await ex.privateGetApiV1Capital(); // the same, as the server wrote it
      assert.deepEqual(balanceUnits(raw), u);
    }
  });

  it('a fresh market has an empty book and no trades', T, async () => {
    const ob = await A.fetchOrderBook(BTC);
    assert.deepEqual(plain(ob.bids), []);
    assert.deepEqual(plain(ob.asks), []);
    assert.equal(typeof ob.nonce, 'number', 'lastUpdateId');
    assert.deepEqual(await A.fetchTrades(BTC), []);
    const t = await A.fetchTicker(BTC);
    assert.equal(t.symbol, BTC);
  });

  let bidId;
  it('a resting limit buy is open, locks its notional and shows in the book', T, async () => {
    const before = await balances(A);
    const o = await A.createOrder(BTC, 'limit', 'buy', 0.00123, 50000.1);
    assert.equal(typeof o.id, 'string');
    assert.equal(o.status, 'open');
    assert.equal(o.side, 'buy');
    assert.equal(o.type, 'limit');
    assertDecimal(o.price, '50000.1', 6, 'price');
    assertDecimal(o.amount, '0.00123', 8, 'amount');
    assertDecimal(o.filled, '0', 8, 'filled');
    bidId = o.id;

    const notional = notionalUnits('50000.1', '0.00123', D.BTC, D.USDC); // 61.500123 USDC
    assertMoves(diff(before, await balances(A)), {
      USDC: { total: 0n, locked: notional, available: -notional }, BTC: { total: 0n, locked: 0n },
    }, 'A');

    const ob = await A.fetchOrderBook(BTC);
    assert.deepEqual(plain(ob.bids), [[50000.1, 0.00123]]);
    assert.deepEqual(plain(ob.asks), []);
    assert.deepEqual(await openIds(A, BTC), [bidId]);
    const same = await A.fetchOpenOrder(bidId, BTC);
    assert.equal(same.id, bidId);
    assert.equal(same.status, 'open');
    assertDecimal(same.amount, '0.00123', 8, 'fetchOpenOrder amount');
  });

  it('account 2 sells into the bid: both balances move by exactly the fill minus fees', T, async () => {
    const beforeA = await balances(A);
    const beforeB = await balances(B);
    const s = await B.createOrder(BTC, 'limit', 'sell', 0.00123, 50000.0);
    assert.equal(s.status, 'closed', `taker sell status (${s.info?.status})`);
    assertDecimal(s.filled, '0.00123', 8, 'taker filled');
    assertDecimal(s.cost, '61.500123', 6, 'taker executedQuoteQuantity (at the maker price)');
    btcTrades.push({ price: '50000.1', qty: '0.00123' });

    const base = toUnits('0.00123', D.BTC);
    const quote = notionalUnits('50000.1', '0.00123', D.BTC, D.USDC);
    const makerFee = feeUnits(base, MAKER_FEE_PPM); // 24.6 sats -> 25
    const takerFee = feeUnits(quote, TAKER_FEE_PPM); // 30750.0615 -> 30751
    assert.equal(makerFee, 25n);
    assert.equal(takerFee, 30751n);

    // The fee fields the server reports.
    const [ta] = await A.fetchMyTrades(BTC);
    assert.ok(ta, 'A has a fill');
    assert.equal(ta.order, bidId);
    assert.equal(ta.side, 'buy');
    assert.equal(ta.takerOrMaker, 'maker');
    assertDecimal(ta.info.price, '50000.1', 6, 'A fill price');
    assertDecimal(ta.info.quantity, '0.00123', 8, 'A fill quantity');
    assert.equal(ta.info.feeSymbol, 'BTC');
    assertDecimal(ta.info.fee, fromUnits(makerFee, D.BTC), D.BTC, 'A maker fee = 2 bp of 0.00123 BTC rounded up');
    const [tb] = await B.fetchMyTrades(BTC);
    assert.ok(tb, 'B has a fill');
    assert.equal(tb.order, s.id);
    assert.equal(tb.side, 'sell');
    assert.equal(tb.takerOrMaker, 'taker');
    assert.equal(tb.info.feeSymbol, 'USDC');
    assertDecimal(tb.info.fee, fromUnits(takerFee, D.USDC), D.USDC, 'B taker fee = 5 bp of 61.500123 USDC rounded up');

    // Balances move by exactly the fills minus those fees; A's hold is released.
    const feeA = toUnits(ta.info.fee, D.BTC);
    const feeB = toUnits(tb.info.fee, D.USDC);
    assertMoves(diff(beforeA, await balances(A)), {
      BTC: { total: base - feeA, locked: 0n }, USDC: { total: -quote, locked: -quote, available: 0n },
    }, 'A');
    assertMoves(diff(beforeB, await balances(B)), {
      BTC: { total: -base, locked: 0n }, USDC: { total: quote - feeB, locked: 0n },
    }, 'B');

    assert.deepEqual(await openIds(A, BTC), []);
    const ob = await A.fetchOrderBook(BTC);
    assert.deepEqual(plain(ob.bids), []);
    assert.deepEqual(plain(ob.asks), []);
  });

  let askId;
  it('a market buy fills against resting liquidity at the maker price', T, async () => {
    const r = await B.createOrder(BTC, 'limit', 'sell', 0.002, 50010.0);
    assert.equal(r.status, 'open');
    askId = r.id;
    const beforeA = await balances(A);
    const beforeB = await balances(B);
    const m = await A.createOrder(BTC, 'market', 'buy', 0.001);
    assert.equal(m.status, 'closed', `market order status (${m.info?.status})`);
    assert.equal(m.type, 'market');
    assertDecimal(m.filled, '0.001', 8, 'market filled');
    assertDecimal(m.cost, '50.01', 6, 'market executedQuoteQuantity');
    btcTrades.push({ price: '50010', qty: '0.001' });

    const base = toUnits('0.001', D.BTC);
    const quote = notionalUnits('50010', '0.001', D.BTC, D.USDC);
    assertMoves(diff(beforeA, await balances(A)), {
      BTC: { total: base - feeUnits(base, TAKER_FEE_PPM), locked: 0n }, USDC: { total: -quote, locked: 0n },
    }, 'A (taker buy)');
    assertMoves(diff(beforeB, await balances(B)), {
      BTC: { total: -base, locked: -base }, USDC: { total: quote - feeUnits(quote, MAKER_FEE_PPM), locked: 0n },
    }, 'B (maker sell, half filled)');

    const ob = await A.fetchOrderBook(BTC);
    assert.deepEqual(plain(ob.asks), [[50010, 0.001]]);
    const rest = await B.fetchOpenOrder(askId, BTC);
    assert.equal(rest.status, 'open');
    assertDecimal(rest.filled, '0.001', 8, 'maker executedQuantity');
  });

  let postOnlyId;
  it('post-only rests when it does not cross and never trades when it would', T, async () => {
    const before = await balances(A);
    const fillsBefore = (await A.fetchMyTrades(BTC)).length;
    const po = await A.createOrder(BTC, 'limit', 'buy', 0.001, 49000.0, { postOnly: true });
    assert.equal(po.status, 'open');
    assert.equal(po.postOnly, true, 'postOnly echoed');
    postOnlyId = po.id;

    let crossing;
    try {
      crossing = await A.createOrder(BTC, 'limit', 'buy', 0.001, 50010.0, { postOnly: true });
    } catch (e) {
      assert.ok(e instanceof ccxt.InvalidOrder || e instanceof ccxt.BadRequest,
        `a crossing post-only is refused with an order error, got ${e.constructor.name}: ${e.message}`);
    }
    if (crossing !== undefined) {
      assert.equal(crossing.status, 'canceled', `a crossing post-only that is accepted must be expired, got ${crossing.status}`);
      assertDecimal(crossing.filled, '0', 8, 'crossing post-only filled');
    }
    assert.equal((await A.fetchMyTrades(BTC)).length, fillsBefore, 'no new fill');
    const ob = await A.fetchOrderBook(BTC);
    assert.deepEqual(plain(ob.asks), [[50010, 0.001]], 'the ask it would have hit is untouched');
    assert.deepEqual(plain(ob.bids), [[49000, 0.001]]);
    assert.deepEqual((await openIds(A, BTC)).sort(), [postOnlyId]);
    assertMoves(diff(before, await balances(A)), {
      USDC: { total: 0n, locked: toUnits('49', D.USDC) }, BTC: { total: 0n },
    }, 'A');
  });

  it('IOC fills what it can and expires the rest; a non-crossing IOC fills nothing', T, async () => {
    const beforeA = await balances(A);
    const ioc = await A.createOrder(BTC, 'limit', 'buy', 0.003, 50010.0, { timeInForce: 'IOC' });
    assert.equal(ioc.status, 'canceled', `IOC partially filled then expired (${ioc.info?.status})`);
    assertDecimal(ioc.filled, '0.001', 8, 'IOC filled');
    btcTrades.push({ price: '50010', qty: '0.001' });
    const base = toUnits('0.001', D.BTC);
    const quote = notionalUnits('50010', '0.001', D.BTC, D.USDC);
    assertMoves(diff(beforeA, await balances(A)), {
      BTC: { total: base - feeUnits(base, TAKER_FEE_PPM), locked: 0n }, USDC: { total: -quote, locked: 0n },
    }, 'A (IOC releases the unfilled reserve)');
    assert.deepEqual(await openIds(A, BTC), [postOnlyId]);
    assert.deepEqual(await openIds(B, BTC), [], 'B ask fully filled');

    const none = await A.createOrder(BTC, 'limit', 'buy', 0.001, 40000.0, { timeInForce: 'IOC' });
    assert.equal(none.status, 'canceled', `non-crossing IOC (${none.info?.status})`);
    assertDecimal(none.filled, '0', 8, 'non-crossing IOC filled');
    assert.deepEqual(await openIds(A, BTC), [postOnlyId]);
  });

  let batchIds = [];
  it('createOrders places a batch', T, async () => {
    const before = await balances(A);
    const orders = await A.createOrders([
      { symbol: BTC, type: 'limit', side: 'buy', amount: 0.001, price: 48000 },
      { symbol: BTC, type: 'limit', side: 'buy', amount: 0.002, price: 47000 },
      { symbol: BTC, type: 'limit', side: 'sell', amount: 0.001, price: 60000 },
    ]);
    assert.equal(orders.length, 3);
    for (const o of orders) assert.equal(o.status, 'open');
    batchIds = orders.map((o) => o.id);
    assert.equal(new Set(batchIds).size, 3, 'distinct ids');
    assert.deepEqual(orders.map((o) => o.side), ['buy', 'buy', 'sell']);
    assert.deepEqual((await openIds(A, BTC)).sort(), [postOnlyId, ...batchIds].sort());
    const ob = await A.fetchOrderBook(BTC);
    assert.deepEqual(plain(ob.bids), [[49000, 0.001], [48000, 0.001], [47000, 0.002]]);
    assert.deepEqual(plain(ob.asks), [[60000, 0.001]]);
    assertMoves(diff(before, await balances(A)), {
      USDC: { total: 0n, locked: toUnits('142', D.USDC) }, BTC: { total: 0n, locked: toUnits('0.001', D.BTC) },
    }, 'A');
  });

  it('cancelOrder cancels one order and releases exactly its hold', T, async () => {
    const before = await balances(A);
    const c = await A.cancelOrder(batchIds[1], BTC);
    assert.equal(c.id, batchIds[1]);
    assert.equal(c.status, 'canceled');
    assertMoves(diff(before, await balances(A)), {
      USDC: { total: 0n, locked: -toUnits('94', D.USDC) }, BTC: { total: 0n, locked: 0n },
    }, 'A');
    assert.ok(!(await openIds(A, BTC)).includes(batchIds[1]));
    const ob = await A.fetchOrderBook(BTC);
    assert.deepEqual(plain(ob.bids), [[49000, 0.001], [48000, 0.001]]);
  });

  it('cancelAllOrders cancels the rest and leaves nothing locked', T, async () => {
    const canceled = await A.cancelAllOrders(BTC);
    assert.deepEqual(canceled.map((o) => o.id).sort(), [postOnlyId, batchIds[0], batchIds[2]].sort());
    for (const o of canceled) assert.equal(o.status, 'canceled');
    assert.deepEqual(await A.fetchOpenOrders(BTC), []);
    const u = await balances(A);
    for (const asset of ['BTC', 'SOL', 'USDC']) assert.equal(u[asset].locked, 0n, `${asset} locked`);
    const ob = await A.fetchOrderBook(BTC);
    assert.deepEqual(plain(ob.bids), []);
    assert.deepEqual(plain(ob.asks), []);
  });

  it('order history (fetchOrders) has the right statuses', T, async () => {
    // ccxt's backpack has no fetchOrder (has.fetchOrder is false): open orders are read with
    // fetchOpenOrder (above) and finished ones from the history.
    const byId = new Map((await A.fetchOrders(BTC)).map((o) => [o.id, o]));
    assert.equal(byId.get(bidId)?.status, 'closed', 'the filled bid');
    assert.equal(byId.get(batchIds[1])?.status, 'canceled', 'the canceled bid');
    assert.equal(byId.get(postOnlyId)?.status, 'canceled', 'the post-only canceled by cancelAll');
  });

  it('fetchTicker, fetchTrades and fetchOHLCV agree with the trades', T, async () => {
    let volume = 0n;
    let quoteVolume = 0n;
    for (const t of btcTrades) {
      volume += toUnits(t.qty, D.BTC);
      quoteVolume += notionalUnits(t.price, t.qty, D.BTC, D.USDC);
    }
    const last = btcTrades[btcTrades.length - 1].price;

    const t = await A.fetchTicker(BTC);
    assertDecimal(t.info.lastPrice, last, 6, 'ticker lastPrice');
    assertDecimal(t.info.firstPrice, btcTrades[0].price, 6, 'ticker firstPrice');
    assertDecimal(t.info.high, '50010', 6, 'ticker high');
    assertDecimal(t.info.low, '50000.1', 6, 'ticker low');
    assert.equal(units(t.info.volume, D.BTC), volume, `ticker volume ${t.info.volume}`);
    assert.equal(units(t.info.quoteVolume, D.USDC), quoteVolume, `ticker quoteVolume ${t.info.quoteVolume}`);
    assert.equal(Number(t.info.trades), btcTrades.length, 'ticker trades');

    const trades = await A.fetchTrades(BTC);
    assert.equal(trades.length, btcTrades.length);
    const sorted = [...trades].sort((x, y) => x.timestamp - y.timestamp || Number(x.id) - Number(y.id));
    sorted.forEach((tr, i) => {
      assertDecimal(tr.info.price, btcTrades[i].price, 6, `trade ${i} price`);
      assertDecimal(tr.info.quantity, btcTrades[i].qty, 8, `trade ${i} quantity`);
      assert.ok(Number.isFinite(tr.timestamp) && Math.abs(tr.timestamp - Date.now()) < 600_000, `trade ${i} timestamp ${tr.timestamp}`);
    });
    assert.deepEqual(sorted.map((x) => x.side), ['sell', 'buy', 'buy'], 'taker sides');

    const candles = await A.fetchOHLCV(BTC, '1m');
    assert.ok(candles.length >= 1, 'at least one candle');
    let v = 0;
    for (const [ts, o, h, l, c, vol] of candles) {
      assert.ok(Number.isFinite(ts) && ts % 60_000 === 0, `candle start ${ts} on a minute`);
      assert.ok(l <= o && o <= h && l <= c && c <= h, `candle ${[o, h, l, c]}`);
      v += vol;
    }
    assert.ok(Math.abs(v - Number(fromUnits(volume, D.BTC))) < 1e-9, `candle volume ${v}`);
    assert.equal(candles[candles.length - 1][4], Number(last), 'last close');
    assert.equal(Math.max(...candles.map((c) => c[2])), 50010);
    assert.equal(Math.min(...candles.map((c) => c[3])), 50000.1);
  });

  let solBidId;
  it('watchOrderBook syncs with the book and reflects a new resting order', TWS, async () => {
    // ccxt buffers depth deltas and takes the REST snapshot after the 11th (option snapshotDelay,
    // left at its default): account 2 rests asks until the watch resolves.
    let settled = false;
    const first = A.watchOrderBook(SOL).then((ob) => { settled = true; return ob; },
      (e) => { settled = true; throw e; });
    await withTimeout(A.client(srv.ws).connected, 5_000, 'ws connect');
    await sleep(300);
    const asks = [];
    for (let i = 0; i < 40 && !settled; i++) {
      const price = (200 + i).toFixed(2);
      await B.createOrder(SOL, 'limit', 'sell', 0.1, Number(price));
      asks.push([Number(price), 0.1]);
      await sleep(50);
    }
    let ob = await withTimeout(first, 10_000, 'first watchOrderBook (needs 11 depth updates)');
    assert.deepEqual(plain(ob.asks).slice(0, asks.length), asks, 'the synced book has every ask');
    assert.deepEqual(plain(ob.bids), []);

    // Watch first, then act: an update that comes before the watch call would only be seen with the next one.
    let update = A.watchOrderBook(SOL);
    const bid = await A.createOrder(SOL, 'limit', 'buy', 1, 150);
    solBidId = bid.id;
    const deadline = Date.now() + 10_000;
    for (;;) {
      ob = await withTimeout(update, 10_000, 'watchOrderBook update with the new bid');
      if (plain(ob.bids).some(([p, q]) => p === 150 && q === 1)) break;
      assert.ok(Date.now() < deadline, `watchOrderBook never showed the bid; bids ${JSON.stringify(plain(ob.bids))}`);
      update = A.watchOrderBook(SOL);
    }
    assert.deepEqual(plain(ob.bids), [[150, 1]]);
    assert.deepEqual(plain(ob.asks)[0], [200, 0.1]);

    await B.cancelAllOrders(SOL);
    assert.deepEqual(await B.fetchOpenOrders(SOL), []);
  });

  it('watchTrades and watchOrders see account 2 trade against account 1', TWS, async () => {
    assert.ok(solBidId, 'needs the bid of the previous test');
    const beforeA = await balances(A);
    const trades = A.watchTrades(SOL);
    const orders = A.watchOrders(SOL);
    trades.catch(() => {});
    orders.catch(() => {});
    await withTimeout(A.client(srv.ws).connected, 5_000, 'ws connect');
    await sleep(500); // let the server take both subscriptions

    const s1 = await B.createOrder(SOL, 'limit', 'sell', 0.4, 150);
    assert.equal(s1.status, 'closed');
    const seenTrades = await withTimeout(trades, 10_000, 'watchTrades');
    const tr = seenTrades.find((x) => x.symbol === SOL);
    assert.ok(tr, `a SOL trade in ${JSON.stringify(seenTrades)}`);
    assertDecimal(tr.info.p, '150', 6, 'ws trade price');
    assertDecimal(tr.info.q, '0.4', 9, 'ws trade quantity');
    assert.equal(tr.side, 'sell', 'taker side (m = buyer is maker)');

    const seen = await withTimeout(orders, 10_000, 'watchOrders');
    const fill = seen.find((o) => o.id === solBidId);
    assert.ok(fill, `an update of order ${solBidId} in ${JSON.stringify(seen.map((o) => o.info))}`);
    assert.equal(fill.info.e, 'orderFill');
    assert.equal(fill.status, 'open', 'partially filled');
    assertDecimal(fill.info.l, '0.4', 9, 'fill quantity');
    assertDecimal(fill.info.L, '150', 6, 'fill price');
    assert.equal(fill.side, 'buy');

    let more = A.watchOrders(SOL);
    await B.createOrder(SOL, 'limit', 'sell', 0.6, 150);
    const deadline = Date.now() + 10_000;
    let done;
    for (;;) {
      const list = await withTimeout(more, 10_000, 'watchOrders (second fill)');
      done = list.find((o) => o.id === solBidId && o.status === 'closed');
      if (done) break;
      assert.ok(Date.now() < deadline, 'watchOrders never showed the order filled');
      more = A.watchOrders(SOL);
    }
    assert.equal(done.info.e, 'orderFill');
    assertDecimal(done.info.l, '0.6', 9, 'last fill quantity');
    assertDecimal(done.info.z, '1', 9, 'executed quantity');

    const base = toUnits('1', D.SOL);
    const quote = notionalUnits('150', '1', D.SOL, D.USDC);
    // Two fills: the maker fee is rounded up on each (0.4 and 0.6 SOL; both exact here).
    const fee = feeUnits(toUnits('0.4', D.SOL), MAKER_FEE_PPM) + feeUnits(toUnits('0.6', D.SOL), MAKER_FEE_PPM);
    assertMoves(diff(beforeA, await balances(A)), {
      SOL: { total: base - fee, locked: 0n }, USDC: { total: -quote, locked: -quote },
    }, 'A');
    assert.deepEqual(await A.fetchOpenOrders(SOL), []);
  });

  it('a market buy by cost (quoteQuantity) spends at most that cost', T, async () => {
    await B.createOrder(SOL, 'limit', 'sell', 2, 160);
    const m = await A.createOrder(SOL, 'market', 'buy', undefined, undefined, { cost: 80 });
    assert.equal(m.status, 'closed', `market order status (${m.info?.status})`);
    assert.ok(m.cost <= 80, `spent ${m.cost} of 80`);
    // Whole lots of 0.01 SOL, held at the last price reached: a little under 80, never over.
    assert.ok(m.cost > 75, `spent ${m.cost} of 80`);
    assert.ok(m.filled > 0, `filled ${m.filled}`);
  });

  it('a stop order (triggerPrice) waits outside the book, then sells when the last trade reaches it', T, async () => {
    await B.createOrder(SOL, 'limit', 'buy', 1, 150); // what the stop sells into
    const stop = await A.createOrder(SOL, 'market', 'sell', 0.5, undefined, { triggerPrice: 155 });
    assert.equal(stop.status, 'open', `a pending stop is open (${stop.info?.status})`);
    assert.equal(stop.info.status, 'TriggerPending');
    assertDecimal(stop.triggerPrice, '155', D.USDC, 'triggerPrice');
    assert.ok((await openIds(A, SOL)).includes(stop.id), 'the stop is among the open orders');
    const book = await A.fetchOrderBook(SOL);
    assert.deepEqual(plain(book.asks).filter(([price]) => price < 160), [], 'the stop is not in the book');

    await A.createOrder(SOL, 'limit', 'sell', 0.1, 150); // a trade at 150 reaches the trigger
    // ccxt's backpack has no fetchOrder: the endpoint it would call, as ccxt signs it.
    const fired = await A.privateGetApiV1Order({ symbol: 'SOL_USDC', orderId: stop.id });
    assert.equal(fired.status, 'Filled', 'the fired stop filled');
    assertDecimal(fired.executedQuantity, '0.5', D.SOL, 'stop filled');
    assert.ok(fired.triggeredAt, 'triggeredAt');
  });

  it('takeProfit and stopLoss attached to a buy wait as reduce-only orders once it fills', T, async () => {
    const buy = await A.createOrder(SOL, 'limit', 'buy', 0.2, 160, {
      takeProfit: { triggerPrice: 170 }, stopLoss: { triggerPrice: 140, price: 139 },
    });
    assert.equal(buy.status, 'closed', `the buy filled (${buy.info?.status})`);
    assertDecimal(buy.info.takeProfitTriggerPrice, '170', D.USDC, 'takeProfitTriggerPrice');
    assertDecimal(buy.info.stopLossTriggerPrice, '140', D.USDC, 'stopLossTriggerPrice');
    const pending = (await A.fetchOpenOrders(SOL)).filter((o) => o.info.relatedOrderId === buy.id);
    assert.equal(pending.length, 2, 'a take-profit and a stop-loss');
    for (const o of pending) {
      assert.equal(o.side, 'sell');
      assert.equal(o.reduceOnly, true);
      assert.equal(o.info.status, 'TriggerPending');
      assertDecimal(o.amount, '0.2', D.SOL, 'amount');
    }
    const prices = pending.map((o) => units(o.triggerPrice, D.USDC)).sort();
    assert.deepEqual(prices, [toUnits('140', D.USDC), toUnits('170', D.USDC)]);
    await A.cancelAllOrders(SOL);
    assert.deepEqual(await A.fetchOpenOrders(SOL), []);
  });
});
