// The page's Merkle verification against the RFC 6962 vectors tests/crypto uses, the proof texts the
// gateway serves, and signed checkpoints (C2SP signed notes), including tampered ones.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { loadLib, vector } from "./load.mjs";

const L = await loadLib();
const v = JSON.parse(readFileSync(vector("rfc6962.json"), "utf8"));
const leaves = v.leaves.map((x) => L.fromHex(x));
const root = (n) => L.fromHex(v.roots[n]);

test("roots of every prefix of the eight leaves", () => {
  for (let n = 0; n <= 8; n++) assert.equal(L.toHex(L.rootOf(leaves.slice(0, n))), v.roots[n], `size ${n}`);
});

test("RFC 6962 inclusion proofs verify, and any change to them fails", () => {
  for (const c of v.inclusion) {
    const proof = c.proof.map((x) => L.fromHex(x));
    const leaf = L.leafHash(leaves[c.index]);
    assert.equal(L.verifyInclusion(BigInt(c.index), BigInt(c.treeSize), leaf, proof, root(c.treeSize)), null, JSON.stringify(c));
    assert.notEqual(L.verifyInclusion(BigInt(c.index), BigInt(c.treeSize), L.leafHash(Uint8Array.of(9)), proof, root(c.treeSize)), null);
    if (proof.length) {
      const flipped = proof.map((p) => p.slice());
      flipped[0][0] ^= 1;
      assert.match(L.verifyInclusion(BigInt(c.index), BigInt(c.treeSize), leaf, flipped, root(c.treeSize)), /does not lead to the checkpoint's root/);
      assert.notEqual(L.verifyInclusion(BigInt(c.index), BigInt(c.treeSize), leaf, proof.slice(1), root(c.treeSize)), null);
    }
    assert.notEqual(L.verifyInclusion(BigInt(c.index), BigInt(c.treeSize), leaf, [...proof, leaf], root(c.treeSize)), null);
  }
});

test("RFC 6962 consistency proofs verify, and a rewritten log is caught", () => {
  for (const c of v.consistency) {
    const proof = c.proof.map((x) => L.fromHex(x));
    assert.equal(L.verifyConsistency(BigInt(c.oldSize), BigInt(c.newSize), root(c.oldSize), root(c.newSize), proof), null, JSON.stringify(c));
    if (c.oldSize !== c.newSize) {
      const rewritten = L.rootOf([Uint8Array.of(0xff), ...leaves.slice(1, c.oldSize)]);
      // A power-of-two old size puts the old root into the path itself, so the mismatch shows at the new root.
      assert.match(L.verifyConsistency(BigInt(c.oldSize), BigInt(c.newSize), rewritten, root(c.newSize), proof), /rewritten|new checkpoint/);
      assert.notEqual(L.verifyConsistency(BigInt(c.oldSize), BigInt(c.newSize), root(c.oldSize), root(c.newSize), proof.slice(0, -1)), null);
    }
  }
  assert.match(L.verifyConsistency(3n, 3n, root(3), root(2), []), /rewritten/);
});

test("proof texts parse strictly", () => {
  const text = "glassbook/inclusion-proof/v1\nindex 5\ntree-size 8\nleaf-hash " + "ab".repeat(32) + "\nproof " + "cd".repeat(32) + "\n";
  const p = L.parseInclusionProof(text);
  assert.equal(p.index, 5n);
  assert.equal(p.treeSize, 8n);
  assert.equal(p.path.length, 1);
  assert.throws(() => L.parseInclusionProof(text.replace("index 5", "index 05")), /expected "index/);
  assert.throws(() => L.parseInclusionProof(text.slice(0, -1)), /newline/);
  assert.throws(() => L.parseConsistencyProof(text), /does not start with/);
  const c = L.parseConsistencyProof("glassbook/consistency-proof/v1\nold-size 2\nnew-size 5\n");
  assert.equal(c.newSize, 5n);
});

test("a signed checkpoint verifies against the log's key; a changed byte or another key fails", () => {
  const seed = new Uint8Array(32).fill(7);
  const pub = L.publicKeyOf(seed);
  const name = "glassbook.test/log";
  const id = L.keyIdOf(name, pub);
  const verifierText = `${name}+${id.toString(16).padStart(8, "0")}+${L.toBase64(Uint8Array.of(1, ...pub))}`;
  const verifier = L.parseVerifierKey(verifierText);
  const body = `${name}\n8\n${L.toBase64(root(8))}\nstate-root ${L.toBase64(new Uint8Array(32))}\n`;
  const sig = L.sign(L.utf8(body), seed);
  const idBytes = Uint8Array.of(id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255);
  const note = `${body}\n\u2014 ${name} ${L.toBase64(Uint8Array.of(...idBytes, ...sig))}\n`;
  const cp = L.verifyCheckpoint(note, verifier);
  assert.equal(cp.treeSize, 8n);
  assert.equal(L.toHex(cp.root), v.roots[8]);
  assert.throws(() => L.verifyCheckpoint(note.replace("\n8\n", "\n9\n"), verifier), /does not verify/);
  const other = L.publicKeyOf(new Uint8Array(32).fill(8));
  assert.throws(() => L.verifyCheckpoint(note, { name, keyId: L.keyIdOf(name, other), publicKey: other }), /not signed by the log's key/);
  assert.throws(() => L.parseVerifierKey(verifierText.replace(/\+[0-9a-f]{8}\+/, "+00000000+")), /does not match/);
  // The log's real key, whose base64 holds '+' (the first format this page misread).
  const real = L.parseVerifierKey("glassbook.local/journal+cbfd1fb8+AV6geockD7tXd174K+ecJf4UBV4nahdPMiYEN+VKFTSV\n");
  assert.equal(real.name, "glassbook.local/journal");
  assert.equal(real.keyId, 0xcbfd1fb8);
});

test("a checkpoint with witnesses' cosignature lines verifies by the log's key, and a changed body fails", () => {
  const c = JSON.parse(readFileSync(vector("cosigned_checkpoint.json"), "utf8"));
  const verifier = L.parseVerifierKey(c.verifier);
  const cp = L.verifyCheckpoint(c.note, verifier);
  assert.equal(cp.origin, "glassbook.local/journal");
  assert.equal(c.note.split("\n").filter((l) => l.startsWith("— ")).length, 3);  // the log and two witnesses
  assert.throws(() => L.verifyCheckpoint(c.note.replace(/\n(\d+)\n/, (_, n) => `\n${Number(n) + 1}\n`), verifier));
});
