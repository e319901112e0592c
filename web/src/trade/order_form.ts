// The order form: buy or sell, limit or market, post-only, IOC, reduce-only (perpetuals), size in the
// base asset or in the quote asset (converted at the limit price, or at the best opposite price for a
// market order, cut down to the step). Checked against the market's tick and step before it is signed.
import { errorText, signed } from "../api";
import { currentPublicKey, rememberRegistered } from "../keys";
import { rememberOrder } from "../ledger_store";
import { checkMultiple, quoteToBase } from "../lib/decimal";
import { h } from "../lib/dom";
import { isPerp, precisionOf, type Market } from "../market";

interface OrderAnswer { id: string; status: string; journalSeq?: number; executedQuantity?: string }

export function orderForm(m: Market, bestPrice: (side: "Bid" | "Ask") => string | undefined, notify: (msg: string, kind?: "error" | "ok") => void, placed: () => void): HTMLElement {
  const p = precisionOf(m);
  const side = h("select", { id: "side", name: "side", "data-testid": "side" }, h("option", { value: "Bid" }, "Buy"), h("option", { value: "Ask" }, "Sell"));
  const type = h("select", { id: "order-type", name: "orderType", "data-testid": "order-type" }, h("option", { value: "Limit" }, "Limit"), h("option", { value: "Market" }, "Market"));
  const price = h("input", { id: "price", name: "price", inputmode: "decimal", autocomplete: "off", placeholder: `tick ${m.filters.price.tickSize}`, "data-testid": "price" });
  const size = h("input", { id: "size", name: "size", inputmode: "decimal", autocomplete: "off", placeholder: `step ${m.filters.quantity.stepSize}`, "data-testid": "size" });
  const unit = h("select", { id: "size-unit", name: "sizeUnit", "data-testid": "size-unit" }, h("option", { value: "base" }, m.baseSymbol), h("option", { value: "quote" }, m.quoteSymbol));
  const postOnly = h("input", { type: "checkbox", id: "post-only", "data-testid": "post-only" });
  const ioc = h("input", { type: "checkbox", id: "ioc", "data-testid": "ioc" });
  const reduceOnly = h("input", { type: "checkbox", id: "reduce-only", "data-testid": "reduce-only" });
  const submit = h("button", { type: "submit", "data-testid": "place-order" }, "Place order");
  const result = h("div", { class: "muted", "data-testid": "order-result", role: "status" });

  type.addEventListener("change", () => { price.disabled = type.value === "Market"; });

  async function place(ev: Event): Promise<void> {
    ev.preventDefault();
    if (!currentPublicKey()) return notify("Create or import a key first (Account)");
    try {
      const limit = type.value === "Limit";
      if (limit) checkMultiple("price", price.value, m.filters.price.tickSize);
      let quantity = size.value.trim();
      if (unit.value === "quote") {
        const at = limit ? price.value : bestPrice(side.value === "Bid" ? "Ask" : "Bid");
        if (!at) throw new Error("no opposite order to price a market order sized in the quote asset");
        quantity = quoteToBase(quantity, at, p.price, m.filters.quantity.stepSize);
      }
      checkMultiple("size", quantity, m.filters.quantity.stepSize);
      submit.disabled = true;
      const order = await signed<OrderAnswer>("POST", "/api/v1/order", "orderExecute", {
        symbol: m.symbol,
        side: side.value,
        orderType: type.value,
        quantity,
        price: limit ? price.value.trim() : undefined,
        timeInForce: ioc.checked ? "IOC" : undefined,
        postOnly: limit && postOnly.checked ? true : undefined,
        reduceOnly: isPerp(m) && reduceOnly.checked ? true : undefined,
      });
      const text = `Order ${order.id}: ${order.status}${order.journalSeq !== undefined ? ` (journal record ${order.journalSeq})` : ""}`;
      rememberRegistered();
      result.textContent = text;
      notify(text, "ok");
      if (order.journalSeq !== undefined)
        rememberOrder({ key: currentPublicKey()!, seq: order.journalSeq, orderId: order.id, symbol: m.symbol, what: `${side.value === "Bid" ? "buy" : "sell"} ${quantity} ${type.value.toLowerCase()}` });
      placed();
    } catch (e) {
      result.textContent = errorText(e);
      notify(`Order: ${errorText(e)}`);
    } finally {
      submit.disabled = false;
    }
  }

  const field = (label: string, id: string, ...input: HTMLElement[]) => h("div", { class: "field" }, h("label", { for: id }, label), ...input);
  return h("form", { class: "order-form", "data-testid": "order-form", onsubmit: (e: Event) => void place(e) },
    h("h2", {}, "Order"),
    field("Side", "side", side),
    field("Type", "order-type", type),
    field(`Price (${m.quoteSymbol})`, "price", price),
    field("Size", "size", size, unit),
    h("div", { class: "checks" },
      h("label", {}, postOnly, " Post-only"),
      h("label", {}, ioc, " IOC"),
      isPerp(m) ? h("label", {}, reduceOnly, " Reduce-only") : ""),
    submit, result);
}
