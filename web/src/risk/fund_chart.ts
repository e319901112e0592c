// The Risk page's line of the insurance fund's balance over time, from
// GET /api/v1/glassbook/insurance/history (a point each time the balance changed). Balances become
// numbers here for drawing only; the table beside it shows the exact decimals.
import { createChart, LineSeries, type IChartApi, type ISeriesApi, type UTCTimestamp } from "lightweight-charts";

export interface FundHistory { symbol: string; points: { timestamp: number | null; balance: string }[] }

export class FundChart {
  private chart: IChartApi;
  private series: ISeriesApi<"Line">;

  constructor(container: HTMLElement) {
    this.chart = createChart(container, {
      autoSize: true,
      layout: { background: { color: "#11151c" }, textColor: "#c9d1d9" },
      grid: { vertLines: { color: "#1f2630" }, horzLines: { color: "#1f2630" } },
      timeScale: { timeVisible: true, secondsVisible: true },
    });
    this.series = this.chart.addSeries(LineSeries, { color: "#58a6ff", lineWidth: 2 });
  }

  // The chart's time is in whole seconds and must rise strictly: a second's last balance stands for
  // it. The genesis state's point (no time) is left out.
  show(history: FundHistory): void {
    const bySecond = new Map<number, number>();
    for (const p of history.points) if (p.timestamp !== null) bySecond.set(Math.floor(p.timestamp / 1000), Number(p.balance));
    this.series.setData([...bySecond].map(([time, value]) => ({ time: time as UTCTimestamp, value })));
  }

  remove(): void {
    this.chart.remove();
  }
}
