// Markets: every spot and perpetual market with its last price, 24 h change and volume, and for
// perpetuals the funding rate and open interest; each links to its trade page.
import { errorText, get } from "../api";
import { every, type Page } from "../context";
import { formatDecimal, formatPercent } from "../lib/decimal";
import { h, replace, table } from "../lib/dom";
import { allMarkets, isPerp, precisionOf } from "../market";

interface Ticker { symbol: string; lastPrice: string | null; priceChangePercent: string; volume: string; quoteVolume: string }
interface MarkPrice { symbol: string; fundingRate: string; markPrice: string | null; indexPrice: string | null }
interface OpenInterest { symbol: string; openInterest: string }

export const marketsPage: Page = (root, ctx) => {
  const body = h("div", {});
  root.append(h("h1", {}, "Markets"), body);
  return every(2000, async () => {
    const [tickers, marks, interest] = await Promise.all([
      get<Ticker[]>("/api/v1/tickers"),
      get<MarkPrice[]>("/api/v1/markPrices"),
      get<OpenInterest[]>("/api/v1/openInterest"),
    ]);
    const rows = allMarkets().map((m) => {
      const p = precisionOf(m);
      const t = tickers.find((x) => x.symbol === m.symbol);
      const mark = marks.find((x) => x.symbol === m.symbol);
      const oi = interest.find((x) => x.symbol === m.symbol);
      const change = t?.priceChangePercent ?? null;
      return [
        h("a", { href: `#/trade/${m.symbol}`, "data-testid": `market-${m.symbol}` }, m.symbol),
        m.marketType === "PERP" ? "Perpetual" : "Spot",
        h("span", { class: "num", "data-testid": `last-${m.symbol}` }, formatDecimal(t?.lastPrice, p.price)),
        h("span", { class: `num ${change?.startsWith("-") ? "down" : "up"}` }, formatPercent(change)),
        h("span", { class: "num" }, `${formatDecimal(t?.volume, p.quantity)} ${m.baseSymbol}`),
        h("span", { class: "num" }, `${formatDecimal(t?.quoteVolume, 2)} ${m.quoteSymbol}`),
        isPerp(m) ? h("span", { class: "num" }, formatPercent(mark?.fundingRate)) : "",
        isPerp(m) ? h("span", { class: "num" }, `${formatDecimal(oi?.openInterest, p.quantity)} ${m.baseSymbol}`) : "",
      ];
    });
    replace(body, table("markets-table", ["Market", "Type", "Last", "24 h change", "24 h volume", "24 h quote volume", "Funding / interval", "Open interest"], rows));
  }, (e) => ctx.notify(`Markets: ${errorText(e)}`));
};
