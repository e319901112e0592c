// The order book kept from a REST depth snapshot and the depth stream's changes (U/u continue the
// snapshot's lastUpdateId; a gap reloads the snapshot).
import { get } from "../api";
import { toUnits } from "../lib/decimal";

interface Depth { asks: [string, string][]; bids: [string, string][]; lastUpdateId: string }
export interface DepthUpdate { a: [string, string][]; b: [string, string][]; U: number; u: number }

export class OrderBook {
  asks = new Map<string, string>();
  bids = new Map<string, string>();
  private lastId = -1;
  private pending: DepthUpdate[] = [];
  private loading = false;

  constructor(private readonly symbol: string, private readonly priceDecimals: number) {}

  async load(): Promise<void> {
    this.loading = true;
    try {
      const d = await get<Depth>("/api/v1/depth", { symbol: this.symbol, limit: 200 });
      this.asks = new Map(d.asks);
      this.bids = new Map(d.bids);
      this.lastId = Number(d.lastUpdateId);
    } finally {
      this.loading = false;
    }
    const queued = this.pending;
    this.pending = [];
    for (const u of queued) this.apply(u);
  }

  // False when the update does not follow on: the caller reloads.
  apply(u: DepthUpdate): boolean {
    if (this.loading) {
      this.pending.push(u);
      return true;
    }
    if (u.u <= this.lastId) return true;  // already in the snapshot
    if (u.U > this.lastId + 1) return false;
    for (const [p, q] of u.a) q === "0" || /^0(\.0*)?$/.test(q) ? this.asks.delete(p) : this.asks.set(p, q);
    for (const [p, q] of u.b) q === "0" || /^0(\.0*)?$/.test(q) ? this.bids.delete(p) : this.bids.set(p, q);
    this.lastId = u.u;
    return true;
  }

  private sorted(side: Map<string, string>, descending: boolean): [string, string][] {
    const d = this.priceDecimals;
    return [...side].sort(([a], [b]) => {
      const x = toUnits(a, d);
      const y = toUnits(b, d);
      return (x < y ? -1 : x > y ? 1 : 0) * (descending ? -1 : 1);
    });
  }

  bestAsks(n: number): [string, string][] { return this.sorted(this.asks, false).slice(0, n); }
  bestBids(n: number): [string, string][] { return this.sorted(this.bids, true).slice(0, n); }
}
