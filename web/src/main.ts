// The web interface's shell: header and navigation, the hash router (bookmarkable per market), the
// WebSocket's state, and notices.
import "./style.css";
import { errorText, syncClock } from "./api";
import type { Page, PageContext } from "./context";
import { h, replace } from "./lib/dom";
import { allMarkets, loadMarkets } from "./market";
import { accountPage } from "./pages/account";
import { marketsPage } from "./pages/markets";
import { riskPage } from "./pages/risk";
import { tradePage } from "./pages/trade";
import { transparencyPage } from "./pages/transparency";
import { Stream } from "./stream";

const pages: Record<string, Page> = {
  markets: marketsPage,
  trade: tradePage,
  risk: riskPage,
  transparency: transparencyPage,
  account: accountPage,
};

const wsState = h("span", { class: "ws connecting", "data-testid": "ws-state", title: "market data connection" }, "connecting");
const notices = h("div", { class: "notices", "data-testid": "notices", role: "status", "aria-live": "polite" });
const main = h("main", { id: "page" });
const nav = h("nav", {});

function notify(message: string, kind: "error" | "ok" = "error"): void {
  const note = h("div", { class: `notice ${kind}`, "data-testid": kind === "error" ? "error" : "notice" }, message);
  notices.prepend(note);
  while (notices.children.length > 4) notices.lastElementChild!.remove();
  setTimeout(() => note.remove(), kind === "error" ? 12000 : 5000);
}

const stream = new Stream(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/`);
stream.onState = (state, note) => {
  wsState.className = `ws ${state}`;
  wsState.textContent = state === "live" ? "live" : note;
  if (note === "reconnected to the server") notify("Reconnected to the server: data reloaded", "ok");
};
const ctx: PageContext = { stream, notify };

let stopPage: () => void = () => {};

function route(): void {
  const [, name = "markets", arg = ""] = location.hash.split("/");
  const page = pages[name] ?? marketsPage;
  const symbol = name === "trade" ? arg || allMarkets()[0]?.symbol || "" : arg;
  stopPage();
  replace(main);
  for (const a of nav.querySelectorAll("a")) a.classList.toggle("active", a.dataset.page === name);
  stopPage = page(main, ctx, decodeURIComponent(symbol));
}

async function start(): Promise<void> {
  const links: [string, string][] = [["markets", "Markets"], ["trade", "Trade"], ["risk", "Risk"], ["transparency", "Transparency"], ["account", "Account"]];
  replace(nav, ...links.map(([p, label]) => h("a", { href: `#/${p}`, "data-page": p }, label)));
  document.body.append(h("header", {}, h("a", { href: "#/markets", class: "brand" }, "Glassbook"), nav, wsState), notices, main);
  try {
    await Promise.all([loadMarkets(), syncClock()]);
  } catch (e) {
    notify(`Cannot reach the exchange: ${errorText(e)}`);
  }
  stream.onReconnect = () => route();  // the server restarted: every page reloads its snapshot
  window.addEventListener("hashchange", route);
  route();
}

void start();
