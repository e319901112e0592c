// The page signs exactly what the C++ gateway checks: the same texts, bodies, query strings, native
// command bytes and signatures as test/vectors/signing.json, which tests/api's web_signing_vector_test
// checks against the C++ builders and libsodium.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { loadLib, vector } from "./load.mjs";

const L = await loadLib();
const v = JSON.parse(readFileSync(vector("signing.json"), "utf8"));
const seed = L.fromBase64(v.seed);

test("the key derives from its seed as libsodium's does", () => {
  assert.equal(L.toBase64(L.publicKeyOf(seed)), v.publicKey);
});

test("each request's signing text, body or query and signature match the C++ side's", () => {
  for (const r of v.requests) {
    assert.equal(L.signingText(r.instruction, r.params, v.timestamp, v.window), r.text, r.instruction);
    const h = L.authHeaders(seed, r.instruction, r.params, v.timestamp, v.window);
    assert.equal(h["X-Signature"], r.signature, r.instruction);
    assert.equal(h["X-API-Key"], v.publicKey);
    assert.equal(h["X-Timestamp"], String(v.timestamp));
    assert.equal(h["X-Window"], String(v.window));
    if (r.body !== undefined) assert.equal(L.jsonBody(r.params), r.body);
    if (r.query !== undefined) assert.equal(L.queryString(r.params), r.query ? `?${r.query}` : "");
  }
});

test("a WebSocket subscription signs instruction=subscribe", () => {
  const sub = v.requests.find((r) => r.instruction === "subscribe");
  assert.deepEqual(L.subscriptionSignature(seed, v.timestamp, v.window), [v.publicKey, sub.signature, String(v.timestamp), String(v.window)]);
});

test("native commands (sign-up, the faucet's deposit) have the engine's bytes and signatures", () => {
  const [reg, dep] = v.commands;
  const regBytes = L.registerAccountBytes(L.publicKeyOf(seed));
  assert.equal(L.toBase64(regBytes), reg.bytes);
  assert.equal(JSON.parse(L.signedCommandBody(regBytes, seed)).signature, reg.signature);
  const depBytes = L.depositBytes(dep.account, dep.asset, BigInt(dep.amount), BigInt(dep.depositId));
  assert.equal(L.toBase64(depBytes), dep.bytes);
});

test("parameters outside the signing text's alphabet are refused before signing", () => {
  assert.throws(() => L.signingText("orderExecute", { symbol: "SOL USDC" }, 1, 1), /not 1-64/);
  assert.throws(() => L.signingText("orderExecute", { "bad-key": "x" }, 1, 1), /not 1-32/);
  assert.throws(() => L.signingText("orderExecute", { price: "" }, 1, 1), /not 1-64/);
});

test("decimals are exact: ticks, steps and quote sizes without floating point", () => {
  assert.equal(L.decimalsOf("0.00001"), 5);
  assert.equal(L.toUnits("150.25", 2), 15025n);
  assert.throws(() => L.toUnits("150.255", 2), /more than 2 decimals/);
  assert.equal(L.fromUnits(-5n, 3), "-0.005");
  assert.equal(L.formatDecimal("1234567.5", 2), "1,234,567.50");
  assert.equal(L.formatPercent("0.012345"), "1.23 %");
  assert.equal(L.quoteToBase("100", "150.25", 2, "0.01"), "0.66");
  assert.equal(L.quoteToBase("1000", "60000.1", 1, "0.00001"), "0.01666");
  assert.doesNotThrow(() => L.checkMultiple("price", "150.25", "0.01"));
  assert.throws(() => L.checkMultiple("price", "150.25", "0.1"), /not a multiple of 0.1|more than 1 decimals/);
  assert.throws(() => L.checkMultiple("size", "0", "0.01"), /must be positive/);
});
