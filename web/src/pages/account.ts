// Account: the key kept in this browser (create, import a demo key, protect with a passphrase and
// unlock, forget), sign-up and the demo faucet, and balances.
import { ApiError, errorText, signed } from "../api";
import { every, type Page } from "../context";
import { faucet, FAUCET, signUp } from "../faucet";
import { createKey, currentAccount, currentPublicKey, currentSeed, forgetKey, importKey, isLocked, isRegistered, isSealed, protectKey, rememberAccount, rememberRegistered, unlockKey } from "../keys";
import { decimalsOf, formatDecimal } from "../lib/decimal";
import { h, replace, table } from "../lib/dom";

type Balances = Record<string, { available: string; locked: string }>;

export const accountPage: Page = (root, ctx) => {
  const keyBox = h("div", { class: "panel" });
  const balances = h("div", { class: "panel" });
  root.append(h("h1", {}, "Account"), keyBox, balances);

  const act = (what: string, fn: () => Promise<void> | void) => async (ev: Event) => {
    ev.preventDefault();
    try {
      await fn();
      draw();
    } catch (e) {
      ctx.notify(`${what}: ${errorText(e)}`);
    }
  };

  function draw(): void {
    const key = currentPublicKey();
    const secret = h("input", { id: "import-secret", name: "secret", autocomplete: "off", placeholder: "base64 seed, e.g. a secret from demo-data/keys.json", size: 48 });
    const importForm = h("form", { "data-testid": "import-form", onsubmit: act("Import", async () => {
      importKey(secret.value);
      ctx.notify("Key imported", "ok");
      await refreshBalances(true);
    }) },
      h("label", { for: "import-secret" }, "Import a key "), secret, " ", h("button", { type: "submit" }, "Import"));
    const passphrase = h("input", { id: "key-passphrase", name: "passphrase", type: "password", autocomplete: "off", size: 24 });
    const locked = isLocked();
    const sealForm = !key ? "" : locked
      ? h("form", { "data-testid": "unlock-form", onsubmit: act("Unlock", async () => {
        await unlockKey(passphrase.value);
        ctx.notify("Key unlocked for this page", "ok");
        await refreshBalances();
      }) }, h("label", { for: "key-passphrase" }, "Locked: passphrase "), passphrase, " ", h("button", { type: "submit" }, "Unlock"))
      : isSealed()
        ? h("p", { class: "muted", "data-testid": "key-protected" }, "Protected by a passphrase: this browser keeps only the sealed key; a new page asks for the passphrase.")
        : h("form", { "data-testid": "protect-form", onsubmit: act("Protect", async () => {
          await protectKey(passphrase.value);
          ctx.notify("Key protected by a passphrase", "ok");
        }) }, h("label", { for: "key-passphrase" }, "Protect with a passphrase "), passphrase, " ", h("button", { type: "submit" }, "Protect"));
    replace(keyBox,
      h("h2", {}, "Your key"),
      h("p", { class: "muted" }, "The key is made and kept in this browser (localStorage); requests are signed here and only the public key and signatures are sent."),
      key
        ? h("p", {}, "Public key (API key): ", h("code", { "data-testid": "public-key" }, key),
            currentAccount() !== undefined ? h("span", {}, " · account ", h("b", { "data-testid": "account-id" }, String(currentAccount()))) : "")
        : h("p", { "data-testid": "no-key" }, "No key yet."),
      h("div", { class: "row" },
        h("button", { "data-testid": "create-key", onclick: act("New key", () => { createKey(); ctx.notify("New key created", "ok"); }) }, "Create a new key"),
        key && !locked ? h("button", { "data-testid": "sign-up", onclick: act("Sign up", async () => {
          const account = await signUp(currentSeed()!);
          rememberAccount(account);
          ctx.notify(`Signed up: account ${account}`, "ok");
        }) }, "Sign up with this key") : "",
        key ? h("button", { "data-testid": "faucet", onclick: act("Faucet", async () => {
          const account = currentAccount();
          if (account === undefined) throw new Error("sign up first: the faucet credits an account");
          await faucet(account);
          ctx.notify(`Demo faucet: ${FAUCET.map((f) => f.text).join(", ")} deposited`, "ok");
        }) }, `Demo faucet (${FAUCET.map((f) => f.text).join(", ")})`) : "",
        key ? h("button", { class: "danger", onclick: act("Forget", () => { forgetKey(); }) }, "Forget this key") : ""),
      sealForm,
      importForm);
  }
  draw();

  // `probe`: ask even for a key not known to have an account (after an import), once.
  async function refreshBalances(probe = false): Promise<void> {
    if (!currentPublicKey()) return replace(balances, h("h2", {}, "Balances"), h("p", { class: "muted" }, "No key."));
    if (isLocked()) return replace(balances, h("h2", {}, "Balances"), h("p", { "data-testid": "key-locked" }, "The key is locked: unlock it with its passphrase to see balances."));
    if (!probe && !isRegistered()) return replace(balances, h("h2", {}, "Balances"), h("p", { "data-testid": "no-account" }, "This key has no account yet: sign up (or import a key that has one)."));
    try {
      const b = await signed<Balances>("GET", "/api/v1/capital", "balanceQuery");
      rememberRegistered();
      const rows = Object.entries(b).map(([asset, v]) => [asset, h("span", { class: "num", "data-testid": `balance-${asset}` }, formatDecimal(v.available, decimalsOf(v.available))), h("span", { class: "num" }, formatDecimal(v.locked, decimalsOf(v.locked)))]);
      replace(balances, h("h2", {}, "Balances"), table("balances", ["Asset", "Available", "In orders"], rows));
    } catch (e) {
      if (e instanceof ApiError && e.code === "UNAUTHORIZED") return replace(balances, h("h2", {}, "Balances"), h("p", { "data-testid": "no-account" }, "This key has no account yet: sign up (or import a key that has one)."));
      throw e;
    }
  }

  return every(2000, () => refreshBalances(), (e) => ctx.notify(`Balances: ${errorText(e)}`));
};
