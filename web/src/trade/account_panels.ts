// The trade page's account panels: open orders (cancel, cancel all), fills, balances, and for a
// perpetual the position (entry, mark, unrealized PnL, margin ratio, estimated liquidation price).
import { ApiError, errorText, signed } from "../api";
import { currentPublicKey, isLocked, isRegistered } from "../keys";
import { decimalsOf, formatDecimal, formatPercent } from "../lib/decimal";
import { h, replace, table } from "../lib/dom";
import { isPerp, precisionOf, type Market } from "../market";

interface Order { id: string; side: string; orderType: string; price: string | null; quantity: string; executedQuantity: string; status: string; timeInForce: string; postOnly: boolean }
interface Fill { tradeId: number | null; orderId: string | null; side: string; price: string; quantity: string; fee: string; feeSymbol: string; isMaker: boolean; timestamp: string }
interface Position { symbol: string; netQuantity: string; entryPrice: string; markPrice: string; pnlUnrealized: string; estLiquidationPrice: string | null; mmf: string; imf: string }
interface Collateral { netEquity: string; marginFraction: string | null; maintenanceMargin?: string; initialMargin?: string; mmf: string; imf: string }

export class AccountPanels {
  readonly el = h("div", { class: "account-panels" });
  private orders = h("div", { class: "panel" });
  private fills = h("div", { class: "panel" });
  private balances = h("div", { class: "panel" });
  private position = h("div", { class: "panel" });

  constructor(private readonly m: Market, private readonly notify: (msg: string, kind?: "error" | "ok") => void) {
    this.el.append(this.orders, ...(isPerp(m) ? [this.position] : []), this.fills, this.balances);
  }

  async refresh(): Promise<void> {
    if (!currentPublicKey() || !isRegistered()) {
      replace(this.orders, h("p", { class: "muted", "data-testid": "no-account" }, "Create or import a key and sign up (Account) to trade."));
      return;
    }
    if (isLocked()) {
      replace(this.orders, h("p", { class: "muted", "data-testid": "key-locked" }, "The key is locked: unlock it with its passphrase (Account) to trade."));
      return;
    }
    try {
      await Promise.all([this.drawOrders(), this.drawFills(), this.drawBalances(), isPerp(this.m) ? this.drawPosition() : null]);
    } catch (e) {
      if (e instanceof ApiError && e.code === "UNAUTHORIZED") replace(this.orders, h("p", { "data-testid": "no-account" }, "This key has no account: sign up on the Account page."));
      else throw e;
    }
  }

  private cancel(params: Record<string, string>, all: boolean) {
    return async () => {
      try {
        await signed("DELETE", all ? "/api/v1/orders" : "/api/v1/order", all ? "orderCancelAll" : "orderCancel", { symbol: this.m.symbol, ...params });
        this.notify(all ? "All orders cancelled" : `Order ${params.orderId} cancelled`, "ok");
        await this.refresh();
      } catch (e) {
        this.notify(`Cancel: ${errorText(e)}`);
      }
    };
  }

  private async drawOrders(): Promise<void> {
    const p = precisionOf(this.m);
    const open = await signed<Order[]>("GET", "/api/v1/orders", "orderQueryAll", { symbol: this.m.symbol });
    const rows = open.map((o) => [
      h("span", { "data-testid": `open-order-${o.id}` }, o.id),
      h("span", { class: o.side === "Bid" ? "up" : "down" }, o.side === "Bid" ? "Buy" : "Sell"),
      o.orderType + (o.postOnly ? " post-only" : ""),
      h("span", { class: "num" }, formatDecimal(o.price, p.price)),
      h("span", { class: "num" }, formatDecimal(o.quantity, p.quantity)),
      h("span", { class: "num" }, formatDecimal(o.executedQuantity, p.quantity)),
      h("button", { class: "small", "data-testid": `cancel-${o.id}`, onclick: this.cancel({ orderId: o.id }, false) }, "Cancel"),
    ]);
    replace(this.orders, h("h2", {}, "Open orders ", open.length ? h("button", { class: "small danger", "data-testid": "cancel-all", onclick: this.cancel({}, true) }, "Cancel all") : ""),
      table("open-orders", ["Order", "Side", "Type", "Price", "Size", "Filled", ""], rows));
  }

  private async drawFills(): Promise<void> {
    const p = precisionOf(this.m);
    const fills = await signed<Fill[]>("GET", "/wapi/v1/history/fills", "fillHistoryQueryAll", { symbol: this.m.symbol, limit: 20 });
    const rows = fills.map((f) => [
      f.timestamp.replace("T", " ").slice(0, 19),
      h("span", { class: f.side === "Bid" ? "up" : "down" }, f.side === "Bid" ? "Buy" : "Sell"),
      h("span", { class: "num" }, formatDecimal(f.price, p.price)),
      h("span", { class: "num" }, formatDecimal(f.quantity, p.quantity)),
      h("span", { class: "num" }, `${f.fee} ${f.feeSymbol}`),
      f.isMaker ? "maker" : "taker",
      f.orderId ?? "",
    ]);
    replace(this.fills, h("h2", {}, "Fills"), table("fills", ["Time (UTC)", "Side", "Price", "Size", "Fee", "Role", "Order"], rows));
  }

  private async drawBalances(): Promise<void> {
    const b = await signed<Record<string, { available: string; locked: string }>>("GET", "/api/v1/capital", "balanceQuery");
    const rows = Object.entries(b)
      .filter(([asset]) => asset === this.m.baseSymbol || asset === this.m.quoteSymbol)
      .map(([asset, v]) => [asset, h("span", { class: "num" }, formatDecimal(v.available, decimalsOf(v.available))), h("span", { class: "num" }, formatDecimal(v.locked, decimalsOf(v.locked)))]);
    replace(this.balances, h("h2", {}, "Balances"), table("trade-balances", ["Asset", "Available", "In orders"], rows));
  }

  private async drawPosition(): Promise<void> {
    const p = precisionOf(this.m);
    const [positions, c] = await Promise.all([
      signed<Position[]>("GET", "/api/v1/position", "positionQuery", { symbol: this.m.symbol }),
      signed<Collateral>("GET", "/api/v1/capital/collateral", "collateralQuery"),
    ]);
    const rows = positions.map((x) => [
      h("span", { class: `num ${x.netQuantity.startsWith("-") ? "down" : "up"}`, "data-testid": "position-size" }, formatDecimal(x.netQuantity, p.quantity)),
      h("span", { class: "num" }, formatDecimal(x.entryPrice, p.price)),
      h("span", { class: "num", "data-testid": "position-mark" }, formatDecimal(x.markPrice, p.price)),
      h("span", { class: `num ${x.pnlUnrealized.startsWith("-") ? "down" : "up"}` }, formatDecimal(x.pnlUnrealized, 2)),
      h("span", { class: "num", "data-testid": "liquidation-price" }, formatDecimal(x.estLiquidationPrice, p.price)),
    ]);
    // Margin ratio: maintenance margin over equity (100 % is liquidation), from the collateral summary.
    const ratio = c.maintenanceMargin && c.netEquity && !c.netEquity.startsWith("-") && c.netEquity !== "0" ? marginRatio(c.maintenanceMargin, c.netEquity) : "–";
    replace(this.position,
      h("h2", {}, "Position"),
      table("positions", ["Size", "Entry", "Mark", "Unrealized PnL", "Est. liquidation"], rows, "no position"),
      h("p", {}, "Margin ratio (maintenance / equity): ", h("b", { "data-testid": "margin-ratio" }, ratio),
        " · equity ", h("span", { class: "num" }, formatDecimal(c.netEquity, 2)), " USDC",
        " · margin fraction ", h("span", { class: "num" }, formatPercent(c.marginFraction))));
  }
}

// maintenance / equity as a percentage with two decimals, exactly (both decimal strings).
export function marginRatio(maintenance: string, equity: string): string {
  const d = 12;
  const scale = (s: string) => {
    const [w, f = ""] = s.replace("-", "").split(".");
    return BigInt(w + f.padEnd(d, "0").slice(0, d));
  };
  const e = scale(equity);
  if (e === 0n) return "–";
  const bp = (scale(maintenance) * 10000n) / e;  // hundredths of a percent
  return `${bp / 100n}.${(bp % 100n).toString().padStart(2, "0")} %`;
}
