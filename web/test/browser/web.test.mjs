// The web interface in a real browser (Debian's chromium, headless) against a real demo exchange:
// keys made in the page, sign-up and the demo faucet, spot orders placed, crossed from a second
// browser and cancelled; a perpetual position whose liquidation price and margin ratio follow the
// oracle; the Transparency page's checks (and a tampered proof shown failed, in red, with the
// reason); every page free of console errors, with a screenshot each; the reconnect after a restart.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { keepOracle, launch, newFundedKey, openPage, oracleRound, screenshot, startServer } from "./harness.mjs";

const USDC = 1_000_000;
let btcPrice = 60_000;
const prices = () => ({ 0: btcPrice * USDC, 1: 150 * USDC });  // BTC and SOL in USDC units

let server;
let browser;
let alice;  // a key made in the page
let bob;    // another browser context: another key
let stopOracle = async () => {};

before(async () => {
  server = await startServer();
  browser = await launch();
  stopOracle = keepOracle(server.url, prices);
});

after(async () => {
  await stopOracle();
  await browser?.close();
  await server?.stop();
});

async function placeOrder(page, { side = "Bid", type = "Limit", price, size, unit = "base", ioc = false }) {
  await page.getByTestId("side").selectOption(side);
  await page.getByTestId("order-type").selectOption(type);
  if (price !== undefined) await page.getByTestId("price").fill(price);
  await page.getByTestId("size").fill(size);
  await page.getByTestId("size-unit").selectOption(unit);
  if (ioc) await page.getByTestId("ioc").check();
  else await page.getByTestId("ioc").uncheck();
  const before = await page.getByTestId("order-result").textContent();
  await page.getByTestId("place-order").click();
  await page.waitForFunction((b) => { const t = document.querySelector('[data-testid="order-result"]').textContent; return t && t !== b; }, before);
  const text = await page.getByTestId("order-result").textContent();
  const m = /^Order (\d+): (\w+)/.exec(text);
  assert.ok(m, `the order was refused: ${text}`);
  return { id: m[1], status: m[2] };
}

test("a key made in the page signs up, gets demo funds, places, sees, cancels and is filled on a spot market", async () => {
  alice = await openPage(browser, server.url);
  await newFundedKey(alice, server.url);
  await screenshot(alice, "account");

  await alice.goto(`${server.url}/#/trade/SOL_USDC`);
  const resting = await placeOrder(alice, { price: "140", size: "1" });
  assert.equal(resting.status, "New");
  await alice.getByTestId(`open-order-${resting.id}`).waitFor();
  await alice.getByTestId("bids").getByText("140.00").waitFor();

  const other = await placeOrder(alice, { price: "139.5", size: "2" });
  await alice.getByTestId(`cancel-${other.id}`).click();
  await alice.getByTestId(`open-order-${other.id}`).waitFor({ state: "detached" });
  await alice.getByTestId("bids").getByText("139.50").waitFor({ state: "detached" });

  // Size in the quote asset: 100 USDC at 139.9 is 0.71 SOL (cut to the step).
  const quoteSized = await placeOrder(alice, { price: "139.9", size: "100", unit: "quote" });
  assert.equal(quoteSized.status, "New");
  await alice.getByTestId(`open-order-${quoteSized.id}`).waitFor();

  bob = await openPage(browser, server.url);
  await newFundedKey(bob, server.url);
  await bob.goto(`${server.url}/#/trade/SOL_USDC`);
  const cross = await placeOrder(bob, { side: "Ask", price: "140", size: "1", ioc: true });
  assert.equal(cross.status, "Filled");

  await alice.getByTestId(`open-order-${resting.id}`).waitFor({ state: "detached" });
  await alice.getByTestId("fills").getByText("140.00").waitFor();
  await alice.getByTestId("recent-trades").getByText("140.00").first().waitFor();
  await screenshot(alice, "trade-spot");

  // Bad input gets a clear message: off the tick (checked in the page), more than the balance (the API's
  // error code and message, shown as they came).
  await alice.getByTestId("price").fill("140.001");
  await alice.getByTestId("size").fill("1");
  await alice.getByTestId("place-order").click();
  await alice.getByTestId("order-result").getByText("more than 2 decimals").waitFor();
  await alice.getByTestId("price").fill("140");
  await alice.getByTestId("size").fill("100000");
  await alice.getByTestId("place-order").click();
  await alice.getByTestId("order-result").getByText("INSUFFICIENT_FUNDS").waitFor();
});

test("on a perpetual, the position's liquidation price and margin ratio follow the oracle", async () => {
  // Bob trades as one of the demo's accounts, imported into his page from keys.json.
  await bob.goto(`${server.url}/#/account`);
  await bob.getByTestId("import-form").locator("input").fill(server.keys.accounts[0].secret);
  await bob.getByTestId("import-form").locator("button").click();
  await bob.getByTestId("balance-BTC").waitFor();

  await alice.goto(`${server.url}/#/trade/BTC_PERP`);
  await alice.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="mark-price"]')?.textContent ?? ""));
  await bob.goto(`${server.url}/#/trade/BTC_PERP`);
  await placeOrder(bob, { side: "Bid", price: "60000", size: "1" });
  const short = await placeOrder(alice, { side: "Ask", type: "Market", size: "1" });
  assert.equal(short.status, "Filled");
  await alice.getByTestId("position-size").getByText("-1.000").waitFor();
  await alice.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="margin-ratio"]')?.textContent ?? ""));
  const liq = await alice.getByTestId("liquidation-price").textContent();
  const ratio = await alice.getByTestId("margin-ratio").textContent();
  assert.match(liq, /\d/);
  assert.match(await alice.getByTestId("funding-countdown").textContent(), /^\d\d:\d\d$/);
  await screenshot(alice, "trade-perp");

  btcPrice = 50_000;  // the oracle moves: Alice's 1 BTC of collateral is worth less, her short gains
  await oracleRound(server.url, prices());
  await alice.waitForFunction(([l, r]) =>
    document.querySelector('[data-testid="liquidation-price"]')?.textContent !== l &&
    document.querySelector('[data-testid="margin-ratio"]')?.textContent !== r, [liq, ratio], { timeout: 30000 });
  await screenshot(alice, "trade-perp-after-oracle-move");
});

test("the risk page shows the insurance fund over time and the position's place in the deleveraging queue", async () => {
  await alice.goto(`${server.url}/#/risk`);
  await alice.getByTestId("adl-BTC_PERP").getByText(/^\d+ of \d+$/).waitFor();  // Alice's short from the test before
  const [rank, of] = (await alice.getByTestId("adl-BTC_PERP").textContent()).split(" of ").map(Number);
  assert.ok(rank >= 1 && rank <= of, `rank ${rank} of ${of}`);
  await alice.waitForFunction(() => Number(document.querySelector('[data-testid="fund-history"]')?.dataset.points ?? 0) >= 1);
  assert.equal(await alice.getByTestId("fund-history").locator("canvas").count() > 0, true);
  await screenshot(alice, "risk-fund-and-adl");
});

test("the transparency page verifies the checkpoint, a consistency proof and the inclusion of each order", async () => {
  await alice.goto(`${server.url}/#/transparency`);
  await alice.getByTestId("checkpoint-verdict").and(alice.locator(".good")).waitFor();
  await alice.getByTestId("consistency-verdict").waitFor();  // the first checkpoint this browser keeps
  await oracleRound(server.url, prices());  // more records: a newer checkpoint
  await alice.waitForTimeout(500);
  await alice.getByTestId("check-again").click();
  await alice.getByTestId("consistency-verdict").and(alice.locator(".good")).waitFor();
  assert.match(await alice.getByTestId("consistency-verdict").textContent(), /nothing was rewritten/);
  await alice.getByTestId("inclusion-ok").first().waitFor();
  assert.ok(await alice.getByTestId("inclusion-ok").count() >= 3);
  assert.equal(await alice.getByTestId("inclusion-failed").count(), 0);
  await screenshot(alice, "transparency");
});

// The test double: the gateway's answer with one hash of the proof changed on its way to the page.
const flipFirstProofHash = (text) => text.replace(/\nproof ([0-9a-f])/, (_, c) => `\nproof ${c === "0" ? "1" : "0"}`);

test("a tampered inclusion or consistency proof is shown failed, in red, with the reason", async () => {
  await alice.route("**/api/v1/glassbook/proof/inclusion**", async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: flipFirstProofHash(await res.text()) });
  });
  await alice.getByTestId("check-again").click();
  const failed = alice.getByTestId("inclusion-failed").first();
  await failed.waitFor();
  assert.match(await failed.textContent(), /does not lead to the checkpoint's root/);
  assert.equal(await failed.evaluate((e) => getComputedStyle(e).backgroundColor), "rgb(58, 16, 22)");
  await alice.unroute("**/api/v1/glassbook/proof/inclusion**");

  // A record changed on its way (one byte of its signed text): its signature no longer verifies.
  await alice.route("**/api/v1/glassbook/record**", async (route) => {
    const res = await route.fetch();
    const bytes = Buffer.from((await res.text()).trim(), "base64");
    bytes[40] ^= 1;
    await route.fulfill({ response: res, body: bytes.toString("base64") + "\n" });
  });
  await alice.getByTestId("check-again").click();
  const forged = alice.getByTestId("inclusion-failed").filter({ hasText: /signature does not verify/ }).first();
  await forged.waitFor();
  assert.match(await forged.textContent(), /record \d+'s signature does not verify/);
  await alice.unroute("**/api/v1/glassbook/record**");

  await alice.route("**/api/v1/glassbook/proof/consistency**", async (route) => {
    const res = await route.fetch();
    await route.fulfill({ response: res, body: flipFirstProofHash(await res.text()) });
  });
  await oracleRound(server.url, prices());
  await alice.waitForTimeout(500);
  await alice.getByTestId("check-again").click();
  const rewritten = alice.getByTestId("consistency-verdict").and(alice.locator(".bad"));
  await rewritten.waitFor();
  assert.match(await rewritten.textContent(), /LOG REWRITTEN\?.*(rewritten|new checkpoint)/);
  await screenshot(alice, "transparency-tampered");
  await alice.unroute("**/api/v1/glassbook/proof/consistency**");
});

test("a key protected by a passphrase is kept sealed and signs again only once unlocked", async () => {
  const carol = await openPage(browser, server.url);
  const key = await newFundedKey(carol, server.url);
  await carol.getByTestId("protect-form").locator("input").fill("correct horse battery");
  await carol.getByTestId("protect-form").locator("button").click();
  await carol.getByTestId("key-protected").waitFor();
  const kept = await carol.evaluate(() => localStorage.getItem("glassbook.key"));
  assert.ok(!JSON.parse(kept).seed, "no seed in the clear");
  assert.equal(JSON.parse(kept).publicKey, key);

  await carol.reload();  // a new page: locked until the passphrase is given
  await carol.getByTestId("key-locked").waitFor();
  assert.equal(await carol.getByTestId("public-key").textContent(), key);
  await carol.getByTestId("unlock-form").locator("input").fill("wrong horse");
  await carol.getByTestId("unlock-form").locator("button").click();
  await carol.getByTestId("error").getByText(/wrong passphrase/).waitFor();
  await carol.getByTestId("unlock-form").locator("input").fill("correct horse battery");
  await carol.getByTestId("unlock-form").locator("button").click();
  await carol.getByTestId("balance-USDC").filter({ hasText: "100,000" }).waitFor();  // signed requests again
  await screenshot(carol, "account-passphrase");
  await carol.context().close();
});

test("every page loads with no console error", async () => {
  const pages = [["markets", "/#/markets"], ["trade-sol", "/#/trade/SOL_USDC"], ["trade-btc-perp", "/#/trade/BTC_PERP"], ["risk", "/#/risk"],
    ["transparency-ok", "/#/transparency"], ["account-page", "/#/account"]];
  for (const [name, path] of pages) {
    alice.errors.length = 0;
    await alice.goto(`${server.url}${path}`);
    await alice.reload();
    await alice.waitForTimeout(2500);
    assert.deepEqual(alice.errors, [], `${path}: ${alice.errors.join("; ")}`);
    await screenshot(alice, name);
  }
  await alice.goto(`${server.url}/#/markets`);
  await alice.getByTestId("market-BTC_PERP").waitFor();
  // A figure, not a check (tests assert behaviour, never timing): the first paint on loopback.
  const paint = await alice.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
  console.log(`web: first contentful paint ${paint === null ? "?" : paint.toFixed(0)} ms (Markets, loopback, ASan build)`);
  assert.equal(await alice.getByTestId("markets-table").locator("tbody tr").count(), 4);
  await alice.goto(`${server.url}/#/risk`);
  await alice.getByTestId("oracle-sources").waitFor();
  assert.equal(await alice.getByTestId("oracle-sources").locator("tbody tr").count(), 5);
  assert.equal(await alice.getByTestId("stale").count(), 0);  // the test's oracle keeps every source fresh
});

test("the page says so and reloads when the server restarts", async () => {
  await alice.goto(`${server.url}/#/trade/SOL_USDC`);
  await alice.getByTestId("ws-state").getByText("live").waitFor();
  await stopOracle();
  const { dataDir, port } = server;
  await server.stop({ keepData: true });
  await alice.getByTestId("ws-state").getByText(/reconnecting/).waitFor();
  server = await startServer({ dataDir, port });
  stopOracle = keepOracle(server.url, prices);
  await alice.getByTestId("notice").getByText("Reconnected to the server").waitFor({ timeout: 30000 });
  await alice.getByTestId("ws-state").getByText("live").waitFor();
  await alice.getByTestId("bids").waitFor();
});
