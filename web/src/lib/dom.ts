// A tiny DOM builder (no framework): h("div", {class: "x"}, children...), and helpers for tables.
type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | EventListener | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

// A table with a header row and one row per item; `testid` names it for the browser tests.
export function table(testid: string, headers: string[], rows: Child[][], empty = "none"): HTMLTableElement {
  const body = rows.length
    ? rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))))
    : [h("tr", {}, h("td", { colspan: headers.length, class: "muted" }, empty))];
  return h("table", { "data-testid": testid }, h("thead", {}, h("tr", {}, ...headers.map((x) => h("th", {}, x)))), h("tbody", {}, ...body));
}
