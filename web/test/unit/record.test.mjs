// The page decodes a journal record exactly as the journal encodes it (the vector's bytes are checked
// against journal::encode by tests/api/web_signing_vector_test.cpp), and refuses damaged ones.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { loadLib, vector } from "./load.mjs";

const L = await loadLib();
const v = JSON.parse(readFileSync(vector("record.json"), "utf8"));

test("a record decodes to its fields and its leaf hash", () => {
  const r = L.decodeRecordText(v.record);
  assert.equal(r.seq, BigInt(v.seq));
  assert.equal(r.timestamp, BigInt(v.timestamp));
  assert.equal(r.kind, v.kind);
  assert.equal(new TextDecoder().decode(r.signed), v.signedText);
  assert.equal(L.toBase64(r.signer), v.signer);
  assert.equal(L.toBase64(r.signature), v.signature);
  assert.equal(L.toHex(r.prevHash), v.prevHash);
  assert.equal(L.toHex(r.leaf), v.leafHash);
  assert.ok(L.verify(r.signature, r.signed, r.signer), "the record's signature verifies over its signed text");
});

test("damaged records are refused with the reason", () => {
  const good = L.fromBase64(v.record);
  const changed = (at, value) => { const b = good.slice(); b[at] = value; return b; };
  assert.throws(() => L.decodeRecord(good.subarray(0, 100)), /at least/);
  assert.throws(() => L.decodeRecord(changed(0, 0x58)), /magic/);
  assert.throws(() => L.decodeRecord(changed(4, 2)), /version 2/);
  assert.throws(() => L.decodeRecord(changed(6, 1)), /reserved/);
  assert.throws(() => L.decodeRecord(good.subarray(0, good.length - 1)), /payload length/);
  assert.throws(() => L.decodeRecord(changed(29, good[29] + 1)), /signed length/);
  // One byte changed anywhere else still decodes, but its leaf is another: the inclusion proof fails.
  const flipped = changed(40, good[40] ^ 1);
  assert.notEqual(L.toHex(L.decodeRecord(flipped).leaf), v.leafHash);
});
