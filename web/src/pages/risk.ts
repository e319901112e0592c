// Risk: the oracle sources with their last prices and ages (stale ones marked), index and mark per
// perpetual with funding, the insurance fund now and over time, each market's circuit breaker, and
// the place of each of the user's positions in its side's auto-deleveraging queue.
import { errorText, get, serverNow, signed } from "../api";
import { every, type Page } from "../context";
import { formatDecimal, formatPercent } from "../lib/decimal";
import { h, replace, table } from "../lib/dom";
import { currentPublicKey, isLocked, isRegistered } from "../keys";
import { findMarket, precisionOf } from "../market";
import { FundChart, type FundHistory } from "../risk/fund_chart";

interface Source { index: number; key: string; lastReportTimestamp: number | null; stale: boolean; prices: Record<string, string> }
interface RiskOverview {
  timestamp: number;
  stalenessMs: number;
  sources: Source[];
  insuranceFund: { symbol: string; balance: string }[];
  markets: { symbol: string; paused: boolean; pausedUntil: number | null }[];
}
interface Position { symbol: string; netQuantity: string; adlRank?: number; adlQueueLength?: number }
interface MarkPrice { symbol: string; markPrice: string | null; indexPrice: string | null; fundingRate: string; nextFundingTimestamp: number }

export const riskPage: Page = (root, ctx) => {
  const sources = h("div", { class: "panel" });
  const marks = h("div", { class: "panel" });
  const fund = h("div", { class: "panel" });
  const breakers = h("div", { class: "panel" });
  const chartBox = h("div", { class: "chart", "data-testid": "fund-history" });
  const history = h("div", { class: "panel" }, h("h2", {}, "Insurance fund over time"), chartBox);
  const adl = h("div", { class: "panel" });
  root.append(h("h1", {}, "Risk"), h("div", { class: "grid2" }, sources, marks, fund, breakers, history, adl));
  const chart = new FundChart(chartBox);
  let tick = 0;
  const stop = every(1000, async () => {
    const [risk, markPrices] = await Promise.all([get<RiskOverview>("/api/v1/glassbook/risk"), get<MarkPrice[]>("/api/v1/markPrices")]);
    const assets = [...new Set(risk.sources.flatMap((s) => Object.keys(s.prices)))].sort();
    const now = serverNow();
    replace(sources, h("h2", {}, "Oracle sources"),
      h("p", { class: "muted" }, `A price older than ${risk.stalenessMs / 1000} s has no weight in the index.`),
      table("oracle-sources", ["Source", "Key", ...assets.map((a) => `${a} (USDC)`), "Age", ""], risk.sources.map((s) => {
        const age = s.lastReportTimestamp === null ? null : Math.max(0, now - s.lastReportTimestamp);
        const stale = s.stale || age === null || age > risk.stalenessMs;
        return [
          `#${s.index}`,
          h("code", { title: s.key }, s.key.slice(0, 10) + "…"),
          ...assets.map((a) => h("span", { class: "num" }, formatDecimal(s.prices[a], 2))),
          h("span", { class: "num" }, age === null ? "never" : `${(age / 1000).toFixed(1)} s`),
          stale ? h("span", { class: "badge bad", "data-testid": "stale" }, "stale") : h("span", { class: "badge good" }, "fresh"),
        ];
      })));
    replace(marks, h("h2", {}, "Index and mark"), table("mark-prices", ["Market", "Index", "Mark", "Funding / interval", "Next funding (UTC)"], markPrices.map((mp) => {
      const m = findMarket(mp.symbol);
      const d = m ? precisionOf(m).price : 2;
      return [mp.symbol, h("span", { class: "num" }, formatDecimal(mp.indexPrice, d)), h("span", { class: "num" }, formatDecimal(mp.markPrice, d)),
        h("span", { class: "num" }, formatPercent(mp.fundingRate)), new Date(mp.nextFundingTimestamp).toISOString().slice(11, 19)];
    })));
    replace(fund, h("h2", {}, "Insurance fund"), table("insurance-fund", ["Asset", "Balance"],
      risk.insuranceFund.map((f) => [f.symbol, h("span", { class: "num", "data-testid": `insurance-${f.symbol}` }, formatDecimal(f.balance, 2))])));
    replace(breakers, h("h2", {}, "Circuit breakers"), table("breakers", ["Market", "State"], risk.markets.map((b) => [
      b.symbol,
      b.paused ? h("span", { class: "badge bad" }, `paused until ${new Date(Number(b.pausedUntil) / 1000).toISOString().slice(11, 19)}`) : h("span", { class: "badge good" }, "trading"),
    ])));
    if (tick++ % 5 === 0) {  // the history and the user's queue places change slowly: every 5 s
      const points = await get<FundHistory>("/api/v1/glassbook/insurance/history");
      chart.show(points);
      chartBox.dataset.points = String(points.points.length);
      await deleveragingPlaces();
    }
  }, (e) => ctx.notify(`Risk: ${errorText(e)}`));

  async function deleveragingPlaces(): Promise<void> {
    const title = h("h2", {}, "Your auto-deleveraging rank");
    const about = h("p", { class: "muted" }, "When a liquidation leaves a loss the insurance fund cannot take, profitable positions on the other side are reduced, highest profit × leverage first. Rank 1 is reduced first.");
    if (!currentPublicKey() || !isRegistered()) return replace(adl, title, about, h("p", { class: "muted" }, "No key with an account in this browser (Account)."));
    if (isLocked()) return replace(adl, title, about, h("p", { class: "muted" }, "The key is locked: unlock it with its passphrase (Account)."));
    const positions = await signed<Position[]>("GET", "/api/v1/position", "positionQuery");
    replace(adl, title, about, table("adl-ranks", ["Market", "Position", "Rank"], positions.map((p) => [
      p.symbol, h("span", { class: "num" }, p.netQuantity),
      h("span", { class: "num", "data-testid": `adl-${p.symbol}` }, p.adlRank === undefined ? "–" : `${p.adlRank} of ${p.adlQueueLength}`),
    ]), "no open positions"));
  }

  return () => {
    stop();
    chart.remove();
  };
};
