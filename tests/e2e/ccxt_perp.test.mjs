// The unmodified ccxt Backpack client against the demo's perpetuals (BTC_PERP, SOL_PERP): markets, oracle, funding, open interest, positions, PnL and fees, exactly.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ccxt from 'ccxt';

import { startServer, send, signedFetch, sleep, toUnits, fromUnits, feeUnits, notionalUnits, ASSET_DECIMALS } from './harness.mjs';

// Account 1 (client A) goes long BTC_PERP against account 2 (client B), then both close in two steps.
const BTC = 'BTC/USDC:USDC';
const SOL = 'SOL/USDC:USDC';
const D = ASSET_DECIMALS;
const PX = D.USDC; // prices, notionals, PnL, fees and funding are in USDC units
const QTY = D.BTC; // BTC_PERP quantities are in BTC units
const BTC_UNIT = 10n ** BigInt(D.BTC);
const PPM = 1_000_000n;
const MAKER_PPM = 200n; // src/app/demo_perpetuals.cpp: 2 bp maker, 5 bp taker, on the fill's notional
const TAKER_PPM = 500n;
const INITIAL_USDC = toUnits('1000000', PX);
const T = { timeout: 30_000 };
const ORACLE_WAIT_MS = 20_000;
// The demo's perpetuals as docs/api.md and demo_perpetuals.cpp describe them.
const PERPS = {
  BTC_PERP: { symbol: BTC, base: 'BTC', tick: '0.1', step: '0.001', index: [30_000, 120_000] }, // walk around 60,000
  SOL_PERP: { symbol: SOL, base: 'SOL', tick: '0.01', step: '0.01', index: [75, 300] }, // walk around 150
};

// ---------------------------------------------------------------------------------------------
// Exact helpers

// A value ccxt gives as a string or a number, in units of `decimals`.
function units(value, decimals, what = 'value') {
  assert.notEqual(value, undefined, `${what} is missing`);
  assert.notEqual(value, null, `${what} is null`);
  return typeof value === 'number' ? toUnits(value.toFixed(decimals), decimals) : toUnits(value, decimals);
}
function assertDecimal(actual, expected, decimals, what) {
  const want = typeof expected === 'bigint' ? expected : toUnits(expected, decimals);
  assert.equal(units(actual, decimals, what), want, `${what}: got ${actual}, expected ${fromUnits(want, decimals)}`);
}
const abs = (v) => (v < 0n ? -v : v);
// Floor division of BigInts (b > 0), as the engine rounds values toward negative infinity.
function floorDiv(a, b) {
  const q = a / b;
  return a < 0n && q * b !== a ? q - 1n : q;
}
// A margin-tier fraction ("0.1") as ppm.
const ppmOf = (text) => toUnits(text, 6);
// Fractions the gateway writes: num / den to 6 decimals, truncated (src/api/perp_json.cpp fraction).
const fraction = (num, den) => (den === 0n ? 0n : (num * PPM) / den);
// The tiered margin of a notional (src/risk/margin_tiers.h: bracket sum, rounded up once).
function tierMargin(tiers, notional, key) {
  let prevMax = 0n;
  let prevRate = 0n;
  let deduction = 0n;
  let k = 0;
  for (; k < tiers.length; k++) {
    const rate = ppmOf(tiers[k][key]);
    deduction += (prevMax * (rate - prevRate));
    const max = toUnits(tiers[k].maxNotional, PX);
    if (notional <= max || k === tiers.length - 1) {
      const num = rate * notional - deduction; // over 1e6
      return (num + PPM - 1n) / PPM;
    }
    prevMax = max;
    prevRate = rate;
  }
  throw new Error('no tier');
}

// Rounds a price (USDC units) down to a multiple of the tick and adds `offset` ticks.
function onTick(priceUnits, tick, offsetTicks = 0n) {
  const t = toUnits(tick, PX);
  return (priceUnits / t + offsetTicks) * t;
}

// ---------------------------------------------------------------------------------------------
// Clients and reads

function makeClient(srv, account) {
  const ex = new ccxt.backpack({ apiKey: account.apiKey, secret: account.secret, timeout: 10_000 });
  ex.urls.api.public = srv.url;
  ex.urls.api.private = srv.url;
  return ex;
}

// A consistent view of one account: nothing that moves balances or values (a funding, an oracle
// update) happened between the first and the last read, because markPrices (every perpetual's
// index and mark) and the account's funding payments are the same before and after. Raw JSON
// (ccxt's implicit API methods return the server's body as parsed JSON: decimals stay strings).
async function snapshot(ex, what) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const marks0 = JSON.stringify(await ex.publicGetApiV1MarkPrices());
    const funding0 = JSON.stringify(await ex.privateGetWapiV1HistoryFunding({ symbol: 'BTC_PERP' }));
    const capital = await ex.privateGetApiV1Capital();
    const positions = await ex.privateGetApiV1Position();
    const collateral = await ex.privateGetApiV1CapitalCollateral();
    const marksText = JSON.stringify(await ex.publicGetApiV1MarkPrices());
    const fundingText = JSON.stringify(await ex.privateGetWapiV1HistoryFunding({ symbol: 'BTC_PERP' }));
    if (marks0 !== marksText || funding0 !== fundingText) continue; // the oracle spoke meanwhile: read again
    const marks = Object.fromEntries(JSON.parse(marksText).map((m) => [m.symbol, m]));
    const funding = JSON.parse(fundingText);
    const fundingSum = funding.reduce((s, f) => s + toUnits(f.quantity, PX), 0n);
    return { marks, capital, positions, collateral, funding, fundingSum };
  }
  throw new Error(`${what}: no consistent snapshot in 20 attempts`);
}

// Exact identities inside one snapshot's collateral (src/api/view_perp.cpp collateral,
// src/engine/risk_prices.cpp margin_of), with the positions and marks of the same snapshot.
function checkCollateral(snap, market, who) {
  const c = snap.collateral;
  const lines = Object.fromEntries(c.collateral.map((l) => [l.symbol, l]));
  assert.deepEqual(Object.keys(lines).sort(), ['BTC', 'SOL', 'USDC'], `${who}: a collateral line per asset`);
  let weighted = 0n;
  let assets = 0n;
  for (const [sym, l] of Object.entries(lines)) {
    const d = D[sym];
    const cap = snap.capital[sym];
    assertDecimal(l.totalQuantity, toUnits(cap.available, d) + toUnits(cap.locked, d), d, `${who} ${sym} collateral totalQuantity = capital`);
    assertDecimal(l.availableQuantity, toUnits(cap.available, d), d, `${who} ${sym} collateral availableQuantity = capital available`);
    const price = units(l.assetMarkPrice, PX, `${who} ${sym} assetMarkPrice`);
    if (sym === 'USDC') {
      assertDecimal(l.assetMarkPrice, '1', PX, `${who} USDC is the margin asset`);
    } else {
      assertDecimal(l.assetMarkPrice, snap.marks[`${sym}_PERP`].indexPrice, PX, `${who} ${sym} assetMarkPrice = the ${sym}_PERP index`);
    }
    const total = toUnits(l.totalQuantity, d);
    const free = toUnits(l.availableQuantity, d);
    const unit = 10n ** BigInt(d);
    const notional = floorDiv(total * price, unit);
    assertDecimal(l.balanceNotional, notional, PX, `${who} ${sym} balanceNotional`);
    const value = sym === 'USDC' ? free : (free > 0n ? (floorDiv(free * price, unit) * ppmOf(l.collateralWeight)) / PPM : 0n);
    assertDecimal(l.collateralValue, value, PX, `${who} ${sym} collateralValue`);
    weighted += value;
    if (notional > 0n) assets += notional;
  }
  assertDecimal(lines.BTC.collateralWeight, '0.95', 6, `${who} BTC collateral weight`);
  assertDecimal(lines.SOL.collateralWeight, '0.9', 6, `${who} SOL collateral weight`);
  assertDecimal(c.assetsValue, assets, PX, `${who} assetsValue`);
  assertDecimal(c.liabilitiesValue, '0', PX, `${who} liabilitiesValue`);

  // Positions at the same marks: unrealized PnL, gross notional, margins.
  let unrealized = 0n;
  let gross = 0n;
  let maintenance = 0n;
  for (const p of snap.positions) {
    const mark = units(p.markPrice, PX, 'position markPrice');
    assertDecimal(p.markPrice, snap.marks[p.symbol].markPrice, PX, `${who} position markPrice = markPrices`);
    const value = floorDiv(units(p.netQuantity, QTY) * mark, BTC_UNIT);
    unrealized += value - units(p.netCost, PX);
    gross += abs(value);
    maintenance += tierMargin(market.marginTiers, abs(value), 'maintenanceMarginFraction');
  }
  assertDecimal(c.pnlUnrealized, unrealized, PX, `${who} collateral pnlUnrealized = the positions' at mark`);
  assertDecimal(c.unsettledEquity, unrealized, PX, `${who} unsettledEquity = pnlUnrealized`);
  assertDecimal(c.netEquity, weighted + unrealized, PX, `${who} netEquity = weighted collateral + unrealized PnL`);
  assertDecimal(c.netExposureFutures, gross, PX, `${who} netExposureFutures = gross notional at mark`);
  assertDecimal(c.maintenanceMargin, maintenance, PX, `${who} maintenanceMargin = the tiers' margin of each position`);
  assertDecimal(c.netEquityLocked, units(c.initialMargin, PX), PX, `${who} netEquityLocked = initialMargin`);
  assertDecimal(c.netEquityAvailable, units(c.netEquity, PX) - units(c.initialMargin, PX), PX, `${who} netEquityAvailable`);
  const equity = units(c.netEquity, PX);
  if (gross === 0n) {
    assert.equal(c.marginFraction, null, `${who} marginFraction is null without positions`);
    assertDecimal(c.imf, '0', 6, `${who} imf without positions`);
    assertDecimal(c.mmf, '0', 6, `${who} mmf without positions`);
  } else {
    assertDecimal(c.marginFraction, fraction(equity, gross), 6, `${who} marginFraction = equity / notional`);
    assertDecimal(c.imf, fraction(units(c.initialMargin, PX), gross), 6, `${who} imf = initial margin / notional`);
    assertDecimal(c.mmf, fraction(maintenance, gross), 6, `${who} mmf = maintenance margin / notional`);
  }
  assert.equal(c.frozen, false, `${who} collateral is not frozen`);
  assertDecimal(c.borrowLiability, '0', PX, `${who} borrowLiability`);
}

// Checks one raw position (GET /api/v1/position) against what the trades imply, with the exact
// formulas of src/api/view_perp.cpp position_figures (everything at the position's own markPrice).
function checkRawPosition(raw, want, market, who) {
  const q = units(raw.netQuantity, QTY, `${who} netQuantity`);
  const cost = units(raw.netCost, PX, `${who} netCost`);
  const mark = units(raw.markPrice, PX, `${who} markPrice`);
  assert.equal(raw.symbol, 'BTC_PERP', `${who} position symbol`);
  assert.equal(q, want.quantity, `${who} netQuantity ${raw.netQuantity}, expected ${fromUnits(want.quantity, QTY)}`);
  assertDecimal(raw.netExposureQuantity, abs(want.quantity), QTY, `${who} netExposureQuantity (no open orders)`);
  assert.equal(cost, want.cost, `${who} netCost ${raw.netCost}, expected ${fromUnits(want.cost, PX)}`);
  assertDecimal(raw.entryPrice, want.entryPrice, PX, `${who} entryPrice = the opening fill's price`);
  assertDecimal(raw.entryPrice, (abs(cost) * BTC_UNIT) / abs(q), PX, `${who} entryPrice = |netCost| / |netQuantity|`);
  assertDecimal(raw.pnlRealized, want.realized, PX, `${who} pnlRealized`);
  assertDecimal(raw.feesPaid, want.fees, PX, `${who} feesPaid (Glassbook) = the fills' fees since it opened`);
  assertDecimal(raw.cumulativeFundingPayment, want.funding, PX, `${who} cumulativeFundingPayment = the funding payments since it opened`);
  assertDecimal(raw.cumulativeInterest, '0', PX, `${who} cumulativeInterest`);
  const value = floorDiv(q * mark, BTC_UNIT);
  assertDecimal(raw.pnlUnrealized, value - cost, PX, `${who} pnlUnrealized = value at mark - netCost`);
  assertDecimal(raw.netExposureNotional, (abs(q) * mark) / BTC_UNIT, PX, `${who} netExposureNotional at mark`);
  // Break-even: where closing it all nets realized PnL, fees and funding to zero.
  const net = want.realized - want.fees + want.funding;
  const breakEven = ((cost - net) * BTC_UNIT) / q; // truncated, as the gateway does (both signs agree)
  assertDecimal(raw.breakEvenPrice, breakEven < 0n ? 0n : breakEven, PX, `${who} breakEvenPrice`);
  // Tier 1 of BTC_PERP (notional below 100,000 USDC): the fractions are exact.
  assertDecimal(raw.imf, ppmOf(market.marginTiers[0].initialMarginFraction), 6, `${who} imf (tier 1)`);
  assertDecimal(raw.mmf, ppmOf(market.marginTiers[0].maintenanceMarginFraction), 6, `${who} mmf (tier 1)`);
  assert.equal(raw.imfFunction, null, `${who} imfFunction (tiers instead)`);
  assert.equal(raw.mmfFunction, null, `${who} mmfFunction (tiers instead)`);
  const liq = units(raw.estLiquidationPrice, PX, `${who} estLiquidationPrice`);
  if (q > 0n) {
    assert.equal(liq, 0n, `${who}: a small long on a 1.7M USDC account cannot be liquidated (got ${raw.estLiquidationPrice})`);
  } else {
    assert.ok(liq > mark, `${who}: a short is liquidated above the mark (got ${raw.estLiquidationPrice}, mark ${raw.markPrice})`);
  }
  assert.equal(raw.positionId, want.positionId, `${who} positionId = journal seq of the opening command`);
  assert.equal(Number(raw.userId), want.userId, `${who} userId`);
}

// ccxt's fetchPositions entry: its info checked as above, and ccxt's fields read from it.
function checkPosition(parsed, want, market, who) {
  const raw = parsed.info;
  checkRawPosition(raw, want, market, `${who} (ccxt info)`);
  const q = units(raw.netQuantity, QTY);
  const cost = units(raw.netCost, PX);
  assert.equal(parsed.symbol, BTC, `${who} ccxt symbol`);
  assert.equal(parsed.id, want.positionId, `${who} ccxt id`);
  assert.equal(parsed.side, q > 0n ? 'long' : 'short', `${who} ccxt side (from the sign of netCost)`);
  assertDecimal(parsed.contracts, abs(q), QTY, `${who} ccxt contracts`);
  assertDecimal(parsed.entryPrice, want.entryPrice, PX, `${who} ccxt entryPrice`);
  assertDecimal(parsed.notional, abs(cost), PX, `${who} ccxt notional = |netCost|`);
  assertDecimal(parsed.markPrice, raw.markPrice, PX, `${who} ccxt markPrice`);
  assertDecimal(parsed.realizedPnl, want.realized, PX, `${who} ccxt realizedPnl`);
  assertDecimal(parsed.unrealizedPnl, raw.pnlUnrealized, PX, `${who} ccxt unrealizedPnl`);
  assertDecimal(parsed.initialMarginPercentage, raw.imf, 6, `${who} ccxt initialMarginPercentage`);
  assertDecimal(parsed.maintenanceMarginPercentage, raw.mmf, 6, `${who} ccxt maintenanceMarginPercentage`);
  assertDecimal(parsed.liquidationPrice, raw.estLiquidationPrice, PX, `${who} ccxt liquidationPrice`);
}

describe('ccxt backpack perpetuals against Glassbook', { timeout: 300_000 }, () => {
  let srv;
  let A; // account 1: goes long
  let B; // account 2: goes short
  let rawMarkets; // GET /api/v1/markets, by symbol
  // What the trades imply, per client: fills (by trade: price, qty, fee, maker), realized PnL.
  const book = { A: { fills: [], realized: 0n, userId: 0 }, B: { fills: [], realized: 0n, userId: 0 } };
  let positionId; // the journal seq of the order that opened both positions
  let entry; // the opening fill's price (USDC units)

  const rawGet = async (path) => {
    const r = await send(srv.url, { method: 'GET', path, headers: {} });
    assert.equal(r.status, 200, `GET ${path}: ${r.status} ${r.text}`);
    return r.json;
  };
  // The current mark of BTC_PERP (USDC units), from the raw endpoint.
  const btcMark = async () => units((await rawGet('/api/v1/markPrices?symbol=BTC_PERP'))[0].markPrice, PX, 'BTC_PERP markPrice');

  // One trade between A and B: `maker` rests a limit at `price`, `taker` crosses it with a limit
  // `through` ticks beyond; both orders are answered exactly and the fills are recorded.
  async function trade(maker, taker, makerSide, qty, price) {
    const makerEx = maker === 'A' ? A : B;
    const takerEx = taker === 'A' ? A : B;
    const p = fromUnits(price, PX);
    const r = await makerEx.createOrder(BTC, 'limit', makerSide, Number(qty), Number(p));
    assert.equal(r.status, 'open', `${maker} resting ${makerSide} ${qty} @ ${p}: ${r.info?.status}`);
    assertDecimal(r.price, p, PX, `${maker} resting price`);
    assertDecimal(r.amount, qty, QTY, `${maker} resting amount`);
    assertDecimal(r.filled, '0', QTY, `${maker} resting filled`);
    assert.equal(r.info.symbol, 'BTC_PERP');
    const tick = toUnits(PERPS.BTC_PERP.tick, PX);
    const through = makerSide === 'buy' ? price - 5n * tick : price + 5n * tick;
    const takerSide = makerSide === 'buy' ? 'sell' : 'buy';
    const t = await takerEx.createOrder(BTC, 'limit', takerSide, Number(qty), Number(fromUnits(through, PX)));
    const notional = notionalUnits(p, qty, QTY, PX);
    assert.equal(t.status, 'closed', `${taker} crossing ${takerSide} ${qty} @ ${fromUnits(through, PX)}: ${t.info?.status}`);
    assertDecimal(t.filled, qty, QTY, `${taker} taker filled`);
    assertDecimal(t.cost, notional, PX, `${taker} taker executedQuoteQuantity (at the maker's price)`);
    assert.equal(t.info.symbol, 'BTC_PERP');
    book[maker].fills.push({ order: r.id, side: makerSide, price, qty, notional, maker: true, fee: feeUnits(notional, MAKER_PPM) });
    book[taker].fills.push({ order: t.id, side: takerSide, price, qty, notional, maker: false, fee: feeUnits(notional, TAKER_PPM) });
    return { maker: r, taker: t };
  }

  // fetchMyTrades of BTC_PERP against the recorded fills: each fill, its fee in USDC (2 bp maker,
  // 5 bp taker of the notional, rounded up); returns the sum of the fees as the server reports them.
  async function checkFills(who) {
    const ex = who === 'A' ? A : B;
    const want = book[who].fills;
    const got = await ex.fetchMyTrades(BTC);
    assert.equal(got.length, want.length, `${who}: ${want.length} fills, got ${got.length}`);
    const raw = await ex.privateGetWapiV1HistoryFills({ symbol: 'BTC_PERP', fillType: 'User' });
    assert.equal(raw.length, want.length, `${who}: raw fills`);
    let fees = 0n;
    for (const w of want) {
      const f = got.find((x) => x.order === w.order);
      assert.ok(f, `${who}: a fill of order ${w.order} in ${JSON.stringify(got.map((x) => x.info))}`);
      assert.equal(f.symbol, BTC, `${who} fill symbol`);
      assert.equal(f.side, w.side, `${who} fill side`);
      assert.equal(f.takerOrMaker, w.maker ? 'maker' : 'taker', `${who} fill takerOrMaker`);
      assertDecimal(f.info.price, w.price, PX, `${who} fill price`);
      assertDecimal(f.info.quantity, w.qty, QTY, `${who} fill quantity`);
      assertDecimal(f.price, w.price, PX, `${who} ccxt fill price`);
      assertDecimal(f.amount, w.qty, QTY, `${who} ccxt fill amount`);
      assert.equal(f.info.feeSymbol, 'USDC', `${who} perpetual fees are in the margin asset`);
      assert.equal(f.fee?.currency, 'USDC', `${who} ccxt fee currency`);
      assertDecimal(f.info.fee, w.fee, PX, `${who} ${w.maker ? 'maker' : 'taker'} fee of ${fromUnits(w.notional, PX)} USDC`);
      assertDecimal(f.fee.cost, w.fee, PX, `${who} ccxt fee cost`);
      assert.equal(f.info.systemOrderType, null, `${who} an own order's fill`);
      const r = raw.find((x) => String(x.orderId) === w.order);
      assert.ok(r, `${who}: raw fill of ${w.order}`);
      assert.equal(r.fee, f.info.fee, `${who}: ccxt's info is the raw fill`);
      fees += toUnits(r.fee, PX);
    }
    return fees;
  }

  // Balances (fetchBalance and the raw capital) against the recorded fills: USDC moved by exactly
  // realized PnL - fees + funding; BTC and SOL untouched; nothing locked.
  async function checkBalances(who, snap, fees) {
    const ex = who === 'A' ? A : B;
    const want = INITIAL_USDC - fees + book[who].realized + snap.fundingSum;
    const cap = snap.capital;
    assertDecimal(cap.USDC.available, want, PX,
      `${who} USDC = 1,000,000 - fees ${fromUnits(fees, PX)} + realized ${fromUnits(book[who].realized, PX)} + funding ${fromUnits(snap.fundingSum, PX)}`);
    assertDecimal(cap.USDC.locked, '0', PX, `${who} USDC locked`);
    assertDecimal(cap.BTC.available, '10', D.BTC, `${who} BTC untouched by perpetual trading`);
    assertDecimal(cap.SOL.available, '1000', D.SOL, `${who} SOL untouched`);
    // ccxt's fetchBalance (floats, read to the asset's decimals), with the funding paid by then.
    const fundingSum = async () => (await ex.privateGetWapiV1HistoryFunding({ symbol: 'BTC_PERP' }))
      .reduce((sum, f) => sum + toUnits(f.quantity, PX), 0n);
    let b;
    let funding;
    for (let attempt = 0; attempt < 5 && b === undefined; attempt++) {
      const f0 = await fundingSum();
      const read = await ex.fetchBalance();
      funding = await fundingSum();
      if (f0 === funding) b = read;
    }
    assert.ok(b, `${who}: a fetchBalance between two equal funding histories`);
    const wantNow = want - snap.fundingSum + funding;
    assertDecimal(b.USDC.total, wantNow, PX, `${who} ccxt fetchBalance USDC total`);
    assertDecimal(b.USDC.free, wantNow, PX, `${who} ccxt fetchBalance USDC free`);
    assertDecimal(b.USDC.used, '0', PX, `${who} ccxt fetchBalance USDC used`);
    assertDecimal(b.BTC.total, '10', D.BTC, `${who} ccxt BTC total`);
  }

  // fetchFundingRateHistory of one perpetual against the raw list: the fundings the market applied,
  // each at an interval's end and within the cap. Returns ccxt's list (oldest first).
  async function fundingRateHistory(id) {
    const want = PERPS[id];
    const raw = await rawGet(`/api/v1/fundingRates?symbol=${id}`);
    assert.ok(Array.isArray(raw), `${id} fundingRates is a list: ${JSON.stringify(raw)}`);
    const hist = await A.fetchFundingRateHistory(want.symbol);
    assert.ok(Array.isArray(hist));
    // A funding can only be added between the two reads at an interval boundary.
    assert.ok(hist.length === raw.length || hist.length === raw.length + 1, `${id}: ${hist.length} vs ${raw.length} entries`);
    for (const h of hist) {
      assert.equal(h.symbol, want.symbol);
      assert.equal(h.info.symbol, id);
      assert.match(h.info.intervalEndTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, 'naive ISO-8601 UTC');
      assert.equal(h.timestamp, Date.parse(h.info.intervalEndTimestamp + 'Z'), `${id} ccxt reads the time as UTC`);
      assert.equal(h.timestamp % rawMarkets[id].fundingInterval, 0, `${id} funding at ${h.datetime} ends an interval`);
      const rate = units(h.info.fundingRate, 9, 'fundingRate');
      assert.ok(rate >= -toUnits('0.0075', 9) && rate <= toUnits('0.0075', 9), `${id} funding rate ${h.info.fundingRate} within the cap`);
      assertDecimal(h.fundingRate, rate, 9, `${id} ccxt fundingRate`);
    }
    for (let i = 1; i < hist.length; i++) assert.ok(hist[i - 1].timestamp < hist[i].timestamp, 'ccxt sorts oldest first');
    for (let i = 1; i < raw.length; i++) assert.ok(raw[i - 1].intervalEndTimestamp > raw[i].intervalEndTimestamp, 'the server lists newest first');
    return hist;
  }

  before(async () => {
    srv = await startServer({ accounts: 4 });
    A = makeClient(srv, srv.accounts[0]);
    B = makeClient(srv, srv.accounts[1]);
    book.A.userId = srv.accounts[0].account;
    book.B.userId = srv.accounts[1].account;
    rawMarkets = Object.fromEntries((await rawGet('/api/v1/markets')).map((m) => [m.symbol, m]));
  });

  after(async () => {
    if (srv) {
      const alive = srv.alive();
      await srv.stop();
      assert.ok(alive, `the server died during the suite:\n${srv.stderr()}`);
    }
  });

  it('loadMarkets gives both perpetuals as linear swaps settled in USDC, as /api/v1/markets has them', T, async () => {
    const markets = await A.loadMarkets();
    await B.loadMarkets();
    const swaps = Object.values(markets).filter((m) => m.swap).map((m) => m.symbol).sort();
    assert.deepEqual(swaps, [BTC, SOL], 'the swap markets');
    assert.equal(markets['BTC/USDC'].spot, true, 'the spot BTC_USDC stays spot');
    for (const [id, want] of Object.entries(PERPS)) {
      const raw = rawMarkets[id];
      assert.ok(raw, `${id} in /api/v1/markets`);
      assert.equal(raw.marketType, 'PERP', `${id} marketType`);
      const m = markets[want.symbol];
      assert.ok(m, `${want.symbol} missing; got ${Object.keys(markets).join(', ')}`);
      assert.equal(m.id, id);
      assert.equal(m.type, 'swap');
      assert.equal(m.swap, true);
      assert.equal(m.spot, false);
      assert.equal(m.contract, true);
      assert.equal(m.linear, true);
      assert.equal(m.inverse, false);
      assert.equal(m.base, want.base);
      assert.equal(m.quote, 'USDC');
      assert.equal(m.settle, 'USDC');
      assert.equal(m.settleId, 'USDC');
      assert.equal(m.contractSize, 1);
      assert.equal(m.active, true, `${id} active (orderBookState ${raw.orderBookState})`);
      // ccxt's numbers against the server's strings, and the demo's values.
      const pf = raw.filters.price;
      const qf = raw.filters.quantity;
      assertDecimal(pf.tickSize, want.tick, 9, `${id} tickSize`);
      assertDecimal(qf.stepSize, want.step, 9, `${id} stepSize`);
      assertDecimal(m.precision.price, pf.tickSize, 9, `${id} precision.price`);
      assertDecimal(m.precision.amount, qf.stepSize, 9, `${id} precision.amount`);
      assertDecimal(m.limits.amount.min, qf.minQuantity, 9, `${id} limits.amount.min`);
      assert.equal(qf.maxQuantity, null);
      assert.equal(m.limits.amount.max, undefined);
      assertDecimal(m.limits.price.min, pf.minPrice, 9, `${id} limits.price.min`);
      assertDecimal(m.limits.price.max, pf.maxPrice, 9, `${id} limits.price.max`);
      // Perpetual fields (docs/api.md "Perpetuals").
      assert.equal(raw.fundingInterval, 3_600_000, `${id} fundingInterval (ms, an integer)`);
      assertDecimal(raw.fundingRateUpperBound, '75', 6, `${id} funding cap (bp)`);
      assertDecimal(raw.fundingRateLowerBound, '-75', 6, `${id} funding floor (bp)`);
      assert.deepEqual(pf.meanMarkPriceBand, { maxMultiplier: '1.1', minMultiplier: '0.9' }, `${id} price band`);
      assert.equal(raw.imfFunction, null);
      assert.equal(raw.mmfFunction, null);
      assert.equal(raw.marginTiers.length, 3, `${id} margin tiers`);
      assert.deepEqual(raw.marginTiers.map((t) => [t.initialMarginFraction, t.maintenanceMarginFraction]),
        [['0.1', '0.05'], ['0.2', '0.1'], ['0.5', '0.25']], `${id} tier fractions`);
      assert.equal(raw.openInterestLimit, '0');
      assert.deepEqual(m.info, raw, `${id}: ccxt's info is the market as served`);
      const one = await rawGet(`/api/v1/market?symbol=${id}`);
      assert.deepEqual(one, raw, `${id}: /api/v1/market = its entry in /api/v1/markets`);
    }
  });

  it('the oracle feeder makes the index available: fetchFundingRate', T, async () => {
    // Poll until both perpetuals have an index and a mark (null until the feeder's first round).
    const deadline = Date.now() + ORACLE_WAIT_MS;
    let rates;
    for (;;) {
      rates = [await A.fetchFundingRate(BTC), await A.fetchFundingRate(SOL)];
      if (rates.every((r) => r.markPrice !== undefined && r.indexPrice !== undefined)) break;
      assert.ok(Date.now() < deadline, `no index after ${ORACLE_WAIT_MS} ms: ${JSON.stringify(rates.map((r) => r.info))}`);
      await sleep(200);
    }
    for (const r of rates) {
      const id = r.info.symbol;
      const want = PERPS[id];
      assert.ok(want, `markPrices symbol ${id}`);
      assert.equal(r.symbol, want.symbol);
      const index = units(r.info.indexPrice, PX, `${id} indexPrice`);
      const mark = units(r.info.markPrice, PX, `${id} markPrice`);
      assertDecimal(r.indexPrice, index, PX, `${id} ccxt indexPrice`);
      assertDecimal(r.markPrice, mark, PX, `${id} ccxt markPrice`);
      const [lo, hi] = want.index;
      assert.ok(index > toUnits(String(lo), PX) && index < toUnits(String(hi), PX), `${id} index ${r.info.indexPrice} around the demo's walk`);
      // Without trades the mark is the index moved by at most the funding basis: within the band.
      assert.ok(mark * 10n >= index * 9n && mark * 10n <= index * 11n, `${id} mark ${r.info.markPrice} near index ${r.info.indexPrice}`);
      // The rate per interval is within the cap (75 bp = 0.0075).
      const rate = units(r.info.fundingRate, 9, `${id} fundingRate`);
      assert.ok(rate >= -toUnits('0.0075', 9) && rate <= toUnits('0.0075', 9), `${id} fundingRate ${r.info.fundingRate} within the cap`);
      assertDecimal(r.fundingRate, rate, 9, `${id} ccxt fundingRate`);
      // The next funding is an interval boundary.
      assert.equal(typeof r.info.nextFundingTimestamp, 'number', `${id} nextFundingTimestamp is an integer (ms)`);
      assert.equal(r.nextFundingTimestamp, r.info.nextFundingTimestamp);
      assert.equal(r.nextFundingTimestamp % rawMarkets[id].fundingInterval, 0, `${id} nextFundingTimestamp ${r.nextFundingTimestamp} on an interval boundary`);
      assert.equal(r.nextFundingDatetime, new Date(r.nextFundingTimestamp).toISOString());
      assert.ok(Math.abs(r.nextFundingTimestamp - Date.now()) <= 2 * rawMarkets[id].fundingInterval,
        `${id} nextFundingTimestamp ${r.nextFundingDatetime} within an interval or two of now`);
      assert.equal(r.interval, '1h', 'ccxt assumes 1 h, the demo interval');
    }
    // The raw list without a symbol: every perpetual, nothing else.
    const all = await rawGet('/api/v1/markPrices');
    assert.deepEqual(all.map((m) => m.symbol).sort(), ['BTC_PERP', 'SOL_PERP']);
    for (const m of all) {
      assert.deepEqual(Object.keys(m).sort(), ['fundingRate', 'indexPrice', 'markPrice', 'nextFundingTimestamp', 'symbol']);
    }
  });

  it('fetchFundingRateHistory and fetchOpenInterest before any trade', T, async () => {
    for (const [id, want] of Object.entries(PERPS)) {
      await fundingRateHistory(id);

      const oi = await A.fetchOpenInterest(want.symbol);
      assert.equal(oi.symbol, want.symbol);
      assert.equal(oi.info.symbol, id);
      assert.equal(oi.info.openInterest, '0', `${id}: no position anywhere yet`);
      assert.equal(oi.openInterestValue, 0);
      assert.equal(typeof oi.timestamp, 'number');
      assert.ok(Math.abs(oi.timestamp - Date.now()) < 600_000, `${id} open interest timestamp ${oi.datetime} is the server's now`);
    }
    const all = await rawGet('/api/v1/openInterest');
    assert.deepEqual(all.map((o) => [o.symbol, o.openInterest]).sort(), [['BTC_PERP', '0'], ['SOL_PERP', '0']]);
  });

  it('a resting perpetual bid is no position yet, but reserves initial margin', T, async () => {
    const before = await snapshot(A, 'A before');
    assert.deepEqual(before.positions, []);
    assertDecimal(before.collateral.initialMargin, '0', PX, 'A initial margin before');
    checkCollateral(before, rawMarkets.BTC_PERP, 'A before');
    assert.deepEqual(await A.fetchPositions(), []);

    entry = onTick(await btcMark(), PERPS.BTC_PERP.tick);
    const p = fromUnits(entry, PX);
    const r = await A.createOrder(BTC, 'limit', 'buy', 0.01, Number(p));
    assert.equal(r.status, 'open', `resting bid: ${r.info?.status}`);
    assert.equal(r.symbol, BTC);
    assertDecimal(r.price, p, PX, 'resting bid price');
    assertDecimal(r.amount, '0.01', QTY, 'resting bid amount');
    assert.deepEqual((await A.fetchOpenOrders(BTC)).map((o) => o.id), [r.id]);
    book.A.resting = r.id;

    const s = await snapshot(A, 'A resting');
    assert.deepEqual(s.positions, [], 'an open order is not a position');
    assertDecimal(s.capital.USDC.available, INITIAL_USDC, PX, 'perpetual orders hold no USDC: they reserve margin');
    // Initial margin of the worst case (0.01 BTC long) at the mark: tier 1, 10%, rounded up.
    const mark = units(s.marks.BTC_PERP.markPrice, PX);
    const worst = (toUnits('0.01', QTY) * mark) / BTC_UNIT;
    assertDecimal(s.collateral.initialMargin, tierMargin(rawMarkets.BTC_PERP.marginTiers, worst, 'initialMarginFraction'), PX,
      'initial margin of the open bid');
    assertDecimal(s.collateral.maintenanceMargin, '0', PX, 'no maintenance margin without a position');
    checkCollateral(s, rawMarkets.BTC_PERP, 'A resting');
    const oi = await A.fetchOpenInterest(BTC);
    assert.equal(oi.info.openInterest, '0');
  });

  it('account 2 sells into it: opposite positions at the fill price, balances moved by exactly the fees', T, async () => {
    assert.ok(book.A.resting, 'needs the resting bid of the previous test');
    const qty = '0.01';
    const p = fromUnits(entry, PX);
    const tick = toUnits(PERPS.BTC_PERP.tick, PX);
    const t = await B.createOrder(BTC, 'limit', 'sell', 0.01, Number(fromUnits(entry - 5n * tick, PX)));
    assert.equal(t.status, 'closed', `crossing sell: ${t.info?.status}`);
    assertDecimal(t.filled, qty, QTY, 'taker filled');
    const notional = notionalUnits(p, qty, QTY, PX);
    assertDecimal(t.cost, notional, PX, 'taker executedQuoteQuantity at the maker price');
    assert.equal(typeof t.info.journalSeq, 'number', 'the order answer carries its journal seq');
    positionId = String(t.info.journalSeq);
    book.A.fills.push({ order: book.A.resting, side: 'buy', price: entry, qty, notional, maker: true, fee: feeUnits(notional, MAKER_PPM) });
    book.B.fills.push({ order: t.id, side: 'sell', price: entry, qty, notional, maker: false, fee: feeUnits(notional, TAKER_PPM) });
    assert.deepEqual(await A.fetchOpenOrders(BTC), [], 'the bid is filled');

    for (const [who, ex, sign] of [['A', A, 1n], ['B', B, -1n]]) {
      const fees = await checkFills(who);
      assert.equal(fees, book[who].fills[0].fee, `${who} fee`);
      const s = await snapshot(ex, `${who} open`);
      assert.equal(s.positions.length, 1, `${who} has one position: ${JSON.stringify(s.positions)}`);
      const parsed = await ex.fetchPositions([BTC]);
      assert.equal(parsed.length, 1, `${who} ccxt fetchPositions`);
      // The mark may have moved between the snapshot and ccxt's read: compare what does not depend on it.
      assert.equal(parsed[0].info.netQuantity, s.positions[0].netQuantity);
      assert.equal(parsed[0].info.netCost, s.positions[0].netCost);
      const want = {
        quantity: sign * toUnits(qty, QTY), cost: sign * notional, entryPrice: entry, realized: 0n, fees,
        funding: s.fundingSum, positionId, userId: book[who].userId,
      };
      checkRawPosition(s.positions[0], want, rawMarkets.BTC_PERP, who);
      // ccxt's read: a funding between the two reads would show in its cumulativeFundingPayment.
      checkPosition(parsed[0], { ...want, funding: units(parsed[0].info.cumulativeFundingPayment, PX) }, rawMarkets.BTC_PERP, who);
      await checkBalances(who, s, fees);
      checkCollateral(s, rawMarkets.BTC_PERP, `${who} open`);
      assert.deepEqual(await ex.fetchPositions([SOL]), [], `${who}: no SOL_PERP position`);
    }
    const oi = await A.fetchOpenInterest(BTC);
    assert.equal(oi.info.openInterest, '0.01', 'open interest = the long side');
    assert.equal(oi.openInterestValue, 0.01);
    assert.equal((await A.fetchOpenInterest(SOL)).info.openInterest, '0');
  });

  it('a partial close realizes PnL exactly and keeps the entry price', T, async () => {
    assert.ok(positionId, 'needs the positions of the previous test');
    // A sells 0.004 (resting, maker) above both the mark and the entry; B buys it back (taker).
    const mark = await btcMark();
    const price = onTick(mark > entry ? mark : entry, PERPS.BTC_PERP.tick, 253n);
    const qty = '0.004';
    await trade('A', 'B', 'sell', qty, price);
    // The engine's closing rule (src/engine/risk_positions.cpp apply_fill): the closed part's share of
    // the entry cost, rounded toward zero, leaves; realized = the closing fill's value - that share.
    const open = toUnits('0.01', QTY);
    const closed = toUnits(qty, QTY);
    const openCost = notionalUnits(fromUnits(entry, PX), '0.01', QTY, PX);
    const removed = (openCost * closed) / open; // BigInt division truncates toward zero
    const closeValue = notionalUnits(fromUnits(price, PX), qty, QTY, PX);
    book.A.realized = closeValue - removed; // long: sold above entry, a gain
    book.B.realized = -closeValue + removed; // short: bought back above entry, a loss
    assert.equal(book.A.realized + book.B.realized, 0n, 'PnL is zero-sum between the two');
    assert.ok(book.A.realized > 0n, 'A gains');

    for (const [who, ex, sign] of [['A', A, 1n], ['B', B, -1n]]) {
      const fees = await checkFills(who);
      assert.equal(fees, book[who].fills.reduce((s, f) => s + f.fee, 0n), `${who} fees`);
      const s = await snapshot(ex, `${who} partly closed`);
      assert.equal(s.positions.length, 1, `${who} still has a position`);
      const [parsed] = await ex.fetchPositions([BTC]);
      assert.ok(parsed, `${who} ccxt position`);
      const want = {
        quantity: sign * (open - closed), cost: sign * (openCost - removed), entryPrice: entry, realized: book[who].realized,
        fees, funding: s.fundingSum, positionId, userId: book[who].userId,
      };
      checkRawPosition(s.positions[0], want, rawMarkets.BTC_PERP, who);
      checkPosition(parsed, { ...want, funding: units(parsed.info.cumulativeFundingPayment, PX) }, rawMarkets.BTC_PERP, who);
      await checkBalances(who, s, fees);
      checkCollateral(s, rawMarkets.BTC_PERP, `${who} partly closed`);
    }
    const oi = await A.fetchOpenInterest(BTC);
    assert.equal(oi.info.openInterest, '0.006');
  });

  it('closing the rest leaves no position, and balances = 1,000,000 + realized PnL - fees + funding, exactly', T, async () => {
    assert.ok(book.A.realized !== 0n, 'needs the partial close of the previous test');
    // B rests a buy of 0.006 below the mark (maker); A sells into it (taker): a loss for A on this part.
    const price = onTick(await btcMark(), PERPS.BTC_PERP.tick, -127n);
    const qty = '0.006';
    await trade('B', 'A', 'buy', qty, price);
    const openCost = notionalUnits(fromUnits(entry, PX), '0.01', QTY, PX);
    const restCost = openCost - (openCost * toUnits('0.004', QTY)) / toUnits('0.01', QTY);
    const closeValue = notionalUnits(fromUnits(price, PX), qty, QTY, PX);
    book.A.realized += closeValue - restCost;
    book.B.realized += -closeValue + restCost;
    // The whole round trip: A bought 0.01 at the entry and sold 0.004 + 0.006 at the two prices.
    const [f1, f2, f3] = book.A.fills;
    assert.equal(book.A.realized, f2.notional + f3.notional - f1.notional, 'A realized = sells - buys');
    assert.equal(book.B.realized, -book.A.realized, 'B realized = -A realized');

    for (const [who, ex] of [['A', A], ['B', B]]) {
      const fees = await checkFills(who);
      assert.equal(fees, book[who].fills.reduce((s, f) => s + f.fee, 0n), `${who} fees of the three fills`);
      const s = await snapshot(ex, `${who} closed`);
      assert.deepEqual(s.positions, [], `${who}: the closed position is gone`);
      assert.deepEqual(await ex.fetchPositions(), [], `${who} ccxt fetchPositions is empty`);
      assert.deepEqual(await ex.fetchPositions([BTC]), []);
      await checkBalances(who, s, fees);
      checkCollateral(s, rawMarkets.BTC_PERP, `${who} closed`);
      assertDecimal(s.collateral.initialMargin, '0', PX, `${who} no margin left`);
      assertDecimal(s.collateral.netExposureFutures, '0', PX, `${who} no exposure left`);
      assert.deepEqual(await ex.fetchOpenOrders(BTC), [], `${who} no open order`);
    }
    const oi = await A.fetchOpenInterest(BTC);
    assert.equal(oi.info.openInterest, '0', 'open interest back to zero');
    assert.equal(oi.openInterestValue, 0);
    const trades = await A.fetchTrades(BTC);
    assert.equal(trades.length, 3, 'three public BTC_PERP trades');
  });

  it('fetchFundingHistory returns the funding payments (an array; usually empty in a short run)', T, async () => {
    for (const [who, ex] of [['A', A], ['B', B]]) {
      const raw = await ex.privateGetWapiV1HistoryFunding({ symbol: 'BTC_PERP' });
      assert.ok(Array.isArray(raw), `${who} raw funding history is a list`);
      const hist = await ex.fetchFundingHistory(BTC);
      assert.ok(Array.isArray(hist), `${who} fetchFundingHistory is a list`);
      // Payments only while a position is open, and it is closed now: both reads agree.
      assert.equal(hist.length, raw.length, `${who} ccxt and raw funding history`);
      const all = await ex.fetchFundingHistory();
      assert.equal(all.length, raw.length, `${who}: no other market paid funding`);
      for (const h of hist) {
        assert.equal(h.symbol, BTC);
        assert.equal(h.info.symbol, 'BTC_PERP');
        assert.equal(Number(h.info.userId), book[who].userId, `${who} userId`);
        assert.equal(h.timestamp % rawMarkets.BTC_PERP.fundingInterval, 0, `${who} payment at ${h.datetime} ends an interval`);
        const amount = units(h.info.quantity, PX, 'funding quantity');
        assertDecimal(h.amount, amount, PX, `${who} ccxt funding amount`);
        assertDecimal(h.rate, units(h.info.fundingRate, 9), 9, `${who} ccxt funding rate`);
      }
    }
    // Usually no funding falls in the run (the sums are zero); if one did, the long and the short paid
    // each other lots x the same amount per lot (src/engine/risk_oracle.cpp): the sums are opposite.
    const rawA = await A.privateGetWapiV1HistoryFunding({ symbol: 'BTC_PERP' });
    const rawB = await B.privateGetWapiV1HistoryFunding({ symbol: 'BTC_PERP' });
    const a = rawA.reduce((s, f) => s + toUnits(f.quantity, PX), 0n);
    const b = rawB.reduce((s, f) => s + toUnits(f.quantity, PX), 0n);
    assert.equal(a + b, 0n, `funding between equal and opposite positions nets out (A ${fromUnits(a, PX)}, B ${fromUnits(b, PX)})`);
    // Each payment is one of the market's fundings, and the long pays a positive rate.
    const rates = await fundingRateHistory('BTC_PERP');
    assert.equal(rawA.length, rawB.length, 'A and B were paid the same fundings');
    for (const f of rawA) {
      const r = rates.find((x) => x.info.intervalEndTimestamp === f.intervalEndTimestamp);
      assert.ok(r, `the funding of ${f.intervalEndTimestamp} is in fetchFundingRateHistory`);
      assert.equal(f.fundingRate, r.info.fundingRate, 'the payment carries the market funding rate');
      const rate = toUnits(f.fundingRate, 9);
      const q = toUnits(f.quantity, PX);
      assert.ok(rate === 0n || (rate > 0n) === (q < 0n), `A (long) pays a positive rate: rate ${f.fundingRate}, quantity ${f.quantity}`);
    }
  });

  it('bad input on the perpetual endpoints: spot and unknown symbols -> 400 INVALID_MARKET, the server stays up', T, async () => {
    const expectError = async (what, req, status, code, message) => {
      const res = await send(srv.url, req);
      const got = `${res.status} ${res.text.slice(0, 300)}`;
      assert.equal(res.status, status, `${what}: ${req.method} ${req.path} expected ${status}, got ${got}`);
      assert.equal(res.json?.code, code, `${what}: expected ${code}, got ${got}`);
      if (message !== undefined) assert.equal(res.json?.message, message, `${what}: message, got ${got}`);
      assert.ok(srv.alive(), `the server died after ${what}:\n${srv.stderr()}`);
      const ok = await rawGet('/api/v1/markPrices');
      assert.equal(ok.length, 2, `after ${what}: markPrices still answers every perpetual`);
    };
    const get = (path) => ({ method: 'GET', path, headers: {} });
    for (const ep of ['markPrices', 'fundingRates', 'openInterest']) {
      await expectError(`${ep} of a spot market`, get(`/api/v1/${ep}?symbol=BTC_USDC`), 400, 'INVALID_MARKET', 'BTC_USDC is not a perpetual market');
      await expectError(`${ep} of SOL_USDC`, get(`/api/v1/${ep}?symbol=SOL_USDC`), 400, 'INVALID_MARKET', 'SOL_USDC is not a perpetual market');
      await expectError(`${ep} of an unknown symbol`, get(`/api/v1/${ep}?symbol=DOGE_PERP`), 400, 'INVALID_MARKET', 'unknown symbol DOGE_PERP');
      await expectError(`${ep} of a lower-case symbol`, get(`/api/v1/${ep}?symbol=btc_perp`), 400, 'INVALID_MARKET', 'unknown symbol btc_perp');
      await expectError(`${ep} with an empty symbol`, get(`/api/v1/${ep}?symbol=`), 400, 'INVALID_CLIENT_REQUEST');
      await expectError(`${ep} with the symbol twice`, get(`/api/v1/${ep}?symbol=BTC_PERP&symbol=BTC_USDC`), 400, 'INVALID_CLIENT_REQUEST');
    }
    await expectError('fundingRates without a symbol', get('/api/v1/fundingRates'), 400, 'INVALID_CLIENT_REQUEST');
    await expectError('fundingRates with a bad limit', get('/api/v1/fundingRates?symbol=BTC_PERP&limit=abc'), 400, 'INVALID_CLIENT_REQUEST');
    await expectError('fundingRates with a negative offset', get('/api/v1/fundingRates?symbol=BTC_PERP&offset=-1'), 400, 'INVALID_CLIENT_REQUEST');

    // The private perpetual endpoint, signed (positionQuery) by account 3.
    const acct = srv.accounts[2];
    const position = (symbol) => signedFetch(srv.url, acct, 'GET', '/api/v1/position', { symbol }, { instruction: 'positionQuery' });
    let r = await position('BTC_USDC');
    assert.equal(r.status, 400, `position of a spot market: ${r.status} ${r.text}`);
    assert.equal(r.json?.code, 'INVALID_MARKET', r.text);
    assert.equal(r.json?.message, 'BTC_USDC is not a perpetual market');
    r = await position('DOGE_PERP');
    assert.equal(r.status, 400, `position of an unknown symbol: ${r.status} ${r.text}`);
    assert.equal(r.json?.code, 'INVALID_MARKET', r.text);
    r = await position('BTC_PERP');
    assert.equal(r.status, 200, `position of a perpetual: ${r.status} ${r.text}`);
    assert.deepEqual(r.json, [], 'account 3 has no position');

    // ccxt maps the code to its BadSymbol.
    await assert.rejects(A.publicGetApiV1MarkPrices({ symbol: 'BTC_USDC' }), (e) => e instanceof ccxt.BadSymbol,
      'ccxt raises BadSymbol for INVALID_MARKET');
    await assert.rejects(A.fetchPositions(undefined, { symbol: 'SOL_USDC' }), (e) => e instanceof ccxt.BadSymbol);
    assert.ok(srv.alive(), `the server died:\n${srv.stderr()}`);
    assert.equal((await A.fetchFundingRate(BTC)).symbol, BTC, 'the gateway still answers ccxt');
  });
});
