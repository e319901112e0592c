// Trade (one market, bookmarkable as #/trade/<symbol>): candles, the live order book, recent trades,
// the order form, the account's orders, fills and balances, and for a perpetual its position, mark,
// index and the funding countdown.
import { errorText, get, serverNow } from "../api";
import { every, type Page } from "../context";
import { formatDecimal, formatPercent } from "../lib/decimal";
import { h, replace, table } from "../lib/dom";
import { allMarkets, findMarket, isPerp, precisionOf } from "../market";
import { AccountPanels } from "../trade/account_panels";
import { CandleChart } from "../trade/chart";
import { OrderBook, type DepthUpdate } from "../trade/order_book";
import { orderForm } from "../trade/order_form";

interface Trade { price: string; quantity: string; timestamp: number; isBuyerMaker: boolean }
interface MarkPrice { markPrice: string | null; indexPrice: string | null; fundingRate: string; nextFundingTimestamp: number }

export const tradePage: Page = (root, ctx, symbol) => {
  const m = findMarket(symbol);
  const picker = h("select", { "data-testid": "market-picker", "aria-label": "market", onchange: (e: Event) => { location.hash = `#/trade/${(e.target as HTMLSelectElement).value}`; } },
    ...allMarkets().map((x) => h("option", { value: x.symbol, selected: x.symbol === symbol }, x.symbol)));
  if (!m) {
    root.append(h("h1", {}, "Trade"), picker, h("p", { "data-testid": "error" }, `Unknown market ${symbol}`));
    return () => {};
  }
  const p = precisionOf(m);
  const stops: (() => void)[] = [];

  const chartBox = h("div", { class: "chart", "data-testid": "chart" });
  const bookBox = h("div", { class: "panel book" });
  const tradesBox = h("div", { class: "panel trades" });
  const perpBox = h("div", { class: "perp-info", "data-testid": "perp-info" });
  const panels = new AccountPanels(m, ctx.notify);
  const book = new OrderBook(m.symbol, p.price);
  const bestPrice = (side: "Bid" | "Ask") => (side === "Ask" ? book.bestAsks(1) : book.bestBids(1))[0]?.[0];
  const form = orderForm(m, bestPrice, ctx.notify, () => void panels.refresh().catch((e) => ctx.notify(errorText(e))));

  root.append(
    h("div", { class: "title" }, h("h1", {}, m.symbol), picker, h("span", { class: "muted" }, isPerp(m) ? `Perpetual, settled in ${m.quoteSymbol}` : "Spot"), perpBox),
    h("div", { class: "trade-grid" },
      h("div", { class: "left" }, chartBox, panels.el),
      h("div", { class: "middle" }, bookBox, tradesBox),
      h("div", { class: "right" }, form)));

  const chart = new CandleChart(chartBox, p.price);
  stops.push(() => chart.remove());
  chart.load(m.symbol, serverNow() / 1000).catch((e) => ctx.notify(`Candles: ${errorText(e)}`));

  const drawBook = () => {
    const row = (cls: string) => ([price, qty]: [string, string]) => [h("span", { class: `num ${cls}` }, formatDecimal(price, p.price)), h("span", { class: "num" }, formatDecimal(qty, p.quantity))];
    replace(bookBox, h("h2", {}, "Order book"),
      table("asks", ["Ask", "Size"], book.bestAsks(12).reverse().map(row("down"))),
      table("bids", ["Bid", "Size"], book.bestBids(12).map(row("up"))));
  };
  const reloadBook = () => book.load().then(drawBook).catch((e) => ctx.notify(`Book: ${errorText(e)}`));
  void reloadBook();
  stops.push(ctx.stream.on(`depth.${m.symbol}`, (d) => (book.apply(d as unknown as DepthUpdate) ? drawBook() : void reloadBook())));

  let trades: Trade[] = [];
  const drawTrades = () => replace(tradesBox, h("h2", {}, "Recent trades"), table("recent-trades", ["Price", "Size", "Time"],
    trades.slice(0, 25).map((t) => [h("span", { class: `num ${t.isBuyerMaker ? "down" : "up"}` }, formatDecimal(t.price, p.price)), h("span", { class: "num" }, formatDecimal(t.quantity, p.quantity)), new Date(t.timestamp).toISOString().slice(11, 19)])));
  get<Trade[]>("/api/v1/trades", { symbol: m.symbol, limit: 25 }).then((t) => { trades = [...t].sort((a, b) => b.timestamp - a.timestamp); drawTrades(); }).catch((e) => ctx.notify(`Trades: ${errorText(e)}`));
  stops.push(ctx.stream.on(`trade.${m.symbol}`, (d) => {
    const micros = Number(d.T);
    trades.unshift({ price: String(d.p), quantity: String(d.q), timestamp: Math.floor(micros / 1000), isBuyerMaker: Boolean(d.m) });
    trades.length = Math.min(trades.length, 50);
    drawTrades();
    chart.onTrade(String(d.p), micros);
  }));

  // The account: on each of its order events, and every 2 s for what changes without one (marks, funding).
  stops.push(ctx.stream.on(`account.orderUpdate.${m.symbol}`, () => void panels.refresh().catch(() => {})));
  stops.push(every(2000, () => panels.refresh(), (e) => ctx.notify(`Account: ${errorText(e)}`)));

  if (isPerp(m)) {
    let mark: MarkPrice | null = null;
    stops.push(every(2000, async () => { mark = (await get<MarkPrice[]>("/api/v1/markPrices", { symbol: m.symbol }))[0] ?? null; }, (e) => ctx.notify(`Mark: ${errorText(e)}`)));
    const tick = setInterval(() => {
      if (!mark) return;
      const left = Math.max(0, Math.floor((mark.nextFundingTimestamp - serverNow()) / 1000));
      const mmss = `${String(Math.floor(left / 60)).padStart(2, "0")}:${String(left % 60).padStart(2, "0")}`;
      replace(perpBox,
        h("span", {}, "Mark ", h("b", { "data-testid": "mark-price" }, formatDecimal(mark.markPrice, p.price))),
        h("span", {}, "Index ", h("b", {}, formatDecimal(mark.indexPrice, p.price))),
        h("span", {}, "Funding ", h("b", {}, formatPercent(mark.fundingRate))),
        h("span", {}, "Next funding in ", h("b", { "data-testid": "funding-countdown" }, mmss)));
    }, 500);
    stops.push(() => clearInterval(tick));
  }
  return () => stops.forEach((s) => s());
};
