// RFC 6962 / RFC 9162 Merkle log verification: leaf and node hashes, inclusion and consistency proofs
// (RFC 9162 sections 2.1.3.2 and 2.1.4.2), checked in the page against roots from signed checkpoints.
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, equalBytes } from "./bytes";

export const leafHash = (leaf: Uint8Array): Uint8Array => sha256(concat(Uint8Array.of(0), leaf));
export const nodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256(concat(Uint8Array.of(1), left, right));

// The root of a whole list of leaves (the reference for tests; the page only verifies proofs).
export function rootOf(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array(0));
  if (leaves.length === 1) return leafHash(leaves[0]);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(rootOf(leaves.slice(0, k)), rootOf(leaves.slice(k)));
}

// Why a proof failed, or null when it holds.
export type Verdict = string | null;

export function verifyInclusion(index: bigint, treeSize: bigint, leaf: Uint8Array, proof: Uint8Array[], root: Uint8Array): Verdict {
  if (index >= treeSize) return `index ${index} is not below the tree size ${treeSize}`;
  let fn = index;
  let sn = treeSize - 1n;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0n) return "the proof is longer than the path from the leaf to the root";
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      if ((fn & 1n) === 0n) while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return "the proof is shorter than the path from the leaf to the root";
  if (!equalBytes(r, root)) return "the proof does not lead to the checkpoint's root";
  return null;
}

export function verifyConsistency(oldSize: bigint, newSize: bigint, oldRoot: Uint8Array, newRoot: Uint8Array, proof: Uint8Array[]): Verdict {
  if (oldSize > newSize) return `the old size ${oldSize} is above the new size ${newSize}`;
  if (oldSize === newSize) {
    if (proof.length !== 0) return "a proof between equal sizes must be empty";
    return equalBytes(oldRoot, newRoot) ? null : "the log was rewritten: two different roots for the same size";
  }
  if (oldSize === 0n) return proof.length === 0 ? null : "a proof from the empty tree must be empty";
  if (proof.length === 0) return "the proof is empty";
  let path = proof;
  if ((oldSize & (oldSize - 1n)) === 0n) path = [oldRoot, ...proof];  // the old tree is a complete subtree
  let fn = oldSize - 1n;
  let sn = newSize - 1n;
  while ((fn & 1n) === 1n) { fn >>= 1n; sn >>= 1n; }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0n) return "the proof is longer than it can be";
    if ((fn & 1n) === 1n || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if ((fn & 1n) === 0n) while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      sr = nodeHash(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return "the proof is shorter than it must be";
  if (!equalBytes(fr, oldRoot)) return "the log was rewritten: the proof does not rebuild the old checkpoint's root";
  if (!equalBytes(sr, newRoot)) return "the proof does not lead to the new checkpoint's root";
  return null;
}
