// The trade page's candles: one-minute klines from the REST endpoint, then kept current from the trade
// stream (each trade moves the current candle or opens the next). Prices become numbers here for
// drawing only; nothing is computed from them.
import { CandlestickSeries, createChart, type IChartApi, type ISeriesApi, type UTCTimestamp } from "lightweight-charts";
import { get } from "../api";

interface Kline { start: string; open: string; high: string; low: string; close: string }
interface Bar { time: UTCTimestamp; open: number; high: number; low: number; close: number }

// "2026-12-07 06:25:00" or "2026-12-07T06:25:00" (UTC) -> seconds.
export const utcSeconds = (text: string): number => Date.parse(text.replace(" ", "T").replace(/Z?$/, "Z")) / 1000;

export class CandleChart {
  private chart: IChartApi;
  private series: ISeriesApi<"Candlestick">;
  private last: Bar | null = null;

  constructor(container: HTMLElement, priceDecimals: number) {
    this.chart = createChart(container, {
      autoSize: true,
      layout: { background: { color: "#11151c" }, textColor: "#c9d1d9" },
      grid: { vertLines: { color: "#1f2630" }, horzLines: { color: "#1f2630" } },
      timeScale: { timeVisible: true, secondsVisible: false },
    });
    this.series = this.chart.addSeries(CandlestickSeries, {
      priceFormat: { type: "price", precision: priceDecimals, minMove: 10 ** -priceDecimals },
    });
  }

  async load(symbol: string, nowSeconds: number): Promise<void> {
    const klines = await get<Kline[]>("/api/v1/klines", { symbol, interval: "1m", startTime: Math.floor(nowSeconds - 6 * 3600) });
    const bars = klines.map((k) => ({ time: utcSeconds(k.start) as UTCTimestamp, open: +k.open, high: +k.high, low: +k.low, close: +k.close }));
    this.series.setData(bars);
    this.last = bars.at(-1) ?? null;
  }

  // A trade at `price` (decimal string) at `micros` since the epoch.
  onTrade(price: string, micros: number): void {
    const p = Number(price);
    const minute = (Math.floor(micros / 60e6) * 60) as UTCTimestamp;
    if (this.last && minute < this.last.time) return;  // older than the chart: already counted in its candle
    if (this.last && this.last.time === minute) this.last = { ...this.last, high: Math.max(this.last.high, p), low: Math.min(this.last.low, p), close: p };
    else this.last = { time: minute, open: p, high: p, low: p, close: p };
    this.series.update(this.last);
  }

  remove(): void {
    this.chart.remove();
  }
}
