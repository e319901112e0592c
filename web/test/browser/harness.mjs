// The browser tests' rig: a real `glassbook serve --demo` on an ephemeral loopback port serving the
// built web/dist, Debian's chromium driven headless by playwright-core, the demo oracle's five
// sources posting signed reports (so a test moves prices when it wants), console-error capture and
// screenshots.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { loadLib } from "../unit/load.mjs";

export const WEB = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SHOTS = process.env.GLASSBOOK_WEB_SHOTS ?? join(WEB, "test-results", "screenshots");
const L = await loadLib();
export const lib = L;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Starts (or, given `dataDir` and `port`, restarts) the demo exchange. No simulated traders and no
// in-process oracle: the tests are the only traders and post the oracle's reports themselves.
export async function startServer({ dataDir, port = 0 } = {}) {
  const bin = process.env.GLASSBOOK_BIN;
  if (!bin || !existsSync(bin)) throw new Error(`set GLASSBOOK_BIN to a glassbook binary (got ${bin})`);
  const root = mkdtempSync(join(tmpdir(), "glassbook-web-"));
  const data = dataDir ?? join(root, "data");
  const keysFile = join(root, "keys.json");
  const args = ["serve", "--data", data, "--port", String(port), "--demo", "--demo-accounts", "2", "--traders", "0",
    "--oracle-sources", "0", "--checkpoint-every", "4", "--keys-out", keysFile, "--web", join(WEB, "dist")];
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stdout.on("data", (d) => { log = (log + d).slice(-20000); });
  child.stderr.on("data", (d) => { log = (log + d).slice(-20000); });
  const exited = new Promise((r) => child.on("exit", r));
  for (let i = 0; i < 600 && !existsSync(keysFile); i++) {
    if (child.exitCode !== null) throw new Error(`glassbook serve stopped: ${log}`);
    await sleep(100);
  }
  const keys = JSON.parse(readFileSync(keysFile, "utf8"));
  return {
    url: keys.url,
    port: Number(new URL(keys.url).port),
    dataDir: data,
    keys,
    log: () => log,
    // `keepData`: leave the journal for a restart (startServer({dataDir, port})).
    async stop({ keepData = false } = {}) {
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(10000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(keysFile, { force: true });
      if (!keepData) rmSync(root, { recursive: true, force: true });
      if (dataDir && !keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// The demo's oracle sources (src/app/demo_accounts.cpp: seeds from "demo/oracle/<i>") report
// `prices` ({asset id: margin-asset units}) through POST /api/v1/glassbook/command, as
// `glassbook oracle-feed` does. Each call is a newer report of every source.
let lastReportUs = 0n;
export async function oracleRound(url, prices) {
  const { sha256 } = await import("@noble/hashes/sha2.js");
  lastReportUs = BigInt(Math.max(Number(lastReportUs) + 1, Date.now() * 1000));
  const le = (v, n) => { const b = new Uint8Array(n); let x = BigInt.asUintN(n * 8, BigInt(v)); for (let i = 0; i < n; i++, x >>= 8n) b[i] = Number(x & 255n); return b; };
  const quotes = Object.entries(prices);
  for (let i = 0; i < 5; i++) {
    const seed = sha256(L.utf8(`demo/oracle/${i}`));
    const bytes = L.concat(L.utf8("glassbook/command/v1"), Uint8Array.of(12), le(lastReportUs, 8), le(quotes.length, 4),
      ...quotes.flatMap(([asset, value]) => [le(asset, 2), le(value, 8)]));
    const res = await fetch(`${url}/api/v1/glassbook/command`, { method: "POST", headers: { "Content-Type": "application/json" }, body: L.signedCommandBody(bytes, seed) });
    if (!res.ok) throw new Error(`oracle report refused: ${res.status} ${await res.text()}`);
  }
}

// Keeps the oracle fresh (a report older than 10 s has no weight) until stopped; `prices()` is read each round.
export function keepOracle(url, prices) {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await oracleRound(url, prices()).catch(() => {});
      await sleep(1500);
    }
  })();
  return async () => { stopped = true; await loop; };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    // playwright-core gives every launch a fresh temporary --user-data-dir of its own.
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

// A page in a fresh browser context, recording its console errors and uncaught exceptions.
export async function openPage(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
  const page = await context.newPage();
  page.errors = [];
  page.on("console", (m) => { if (m.type() === "error") page.errors.push(`console: ${m.text()}`); });
  page.on("pageerror", (e) => page.errors.push(`exception: ${e.message}`));
  page.setDefaultTimeout(30000);
  await page.goto(url);
  return page;
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

// Creates a key in the page, signs it up and presses the demo faucet; returns its public key.
export async function newFundedKey(page, base) {
  await page.goto(`${base}/#/account`);
  await page.getByTestId("create-key").click();
  const key = await page.getByTestId("public-key").textContent();
  await page.getByTestId("sign-up").click();
  await page.getByTestId("account-id").waitFor();
  await page.getByTestId("faucet").click();
  await page.getByTestId("balance-USDC").filter({ hasText: "100,000" }).waitFor();
  return key;
}
