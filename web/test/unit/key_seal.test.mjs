// A seed sealed with a passphrase opens with that passphrase only, and a changed sealed key fails.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadLib } from "./load.mjs";

const L = await loadLib();
const seed = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
const ITERATIONS = 1000;  // the page uses SEAL_ITERATIONS; the scheme is the same at any count

test("a sealed seed opens with its passphrase and keeps no clear copy", async () => {
  const sealed = await L.sealSeed(seed, "correct horse", ITERATIONS);
  assert.equal(sealed.kdf, "PBKDF2-SHA-256");
  assert.equal(sealed.iterations, ITERATIONS);
  assert.ok(!JSON.stringify(sealed).includes(L.toBase64(seed)), "the seed is not in the sealed key");
  assert.deepEqual(await L.openSeed(sealed, "correct horse"), seed);
  assert.ok(L.SEAL_ITERATIONS >= 600000);
  const again = await L.sealSeed(seed, "correct horse", ITERATIONS);
  assert.notEqual(again.salt, sealed.salt);  // a fresh salt and nonce each time
  assert.notEqual(again.ciphertext, sealed.ciphertext);
});

test("a wrong passphrase, a changed byte or an empty passphrase is refused", async () => {
  const sealed = await L.sealSeed(seed, "correct horse", ITERATIONS);
  await assert.rejects(L.openSeed(sealed, "wrong horse"), /wrong passphrase/);
  const bytes = L.fromBase64(sealed.ciphertext);
  bytes[3] ^= 1;
  await assert.rejects(L.openSeed({ ...sealed, ciphertext: L.toBase64(bytes) }, "correct horse"), /wrong passphrase/);
  await assert.rejects(L.openSeed({ ...sealed, iterations: ITERATIONS + 1 }, "correct horse"), /wrong passphrase/);
  await assert.rejects(L.openSeed({ ...sealed, kdf: "MD5" }, "correct horse"), /unknown key derivation/);
  await assert.rejects(L.sealSeed(seed, "", ITERATIONS), /passphrase is empty/);
});
