// Signed checkpoints (c2sp.org/signed-note and c2sp.org/tlog-checkpoint, src/journal/checkpoint.h):
// the log's verifier key, the note's Ed25519 signature and the checkpoint body, all checked in the page.
import { sha256 } from "@noble/hashes/sha2.js";
import { concat, equalBytes, fromBase64, toBase64, utf8 } from "./bytes";
import { verify } from "./ed25519";

export interface Verifier { name: string; keyId: number; publicKey: Uint8Array }
export interface Checkpoint { origin: string; treeSize: bigint; root: Uint8Array; stateRoot: Uint8Array; text: string }

export function keyIdOf(name: string, publicKey: Uint8Array): number {
  const h = sha256(concat(utf8(name), Uint8Array.of(0x0a, 0x01), publicKey));
  return ((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0;
}

// "<name>+<8 hex key id>+<base64(0x01 || key)>". A name holds no '+'; the base64 key may.
export function parseVerifierKey(text: string): Verifier {
  const m = /^([^+]+)\+([^+]*)\+(.+)$/.exec(text.trim());
  if (!m) throw new Error("a verifier key is name+id+key");
  const [, name, idHex, keyB64] = m;
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new Error("the key id is not 8 hex digits");
  const key = fromBase64(keyB64);
  if (key.length !== 33 || key[0] !== 0x01) throw new Error("the verifier key is not an Ed25519 key");
  const publicKey = key.slice(1);
  const keyId = parseInt(idHex, 16);
  if (keyIdOf(name, publicKey) !== keyId) throw new Error("the key id does not match the name and key");
  return { name, keyId, publicKey };
}

// Checks that the note carries a valid signature by `verifier` and parses the checkpoint it signs.
// Throws with the reason otherwise.
export function verifyCheckpoint(note: string, verifier: Verifier): Checkpoint {
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new Error("the note has no signature block");
  const body = note.slice(0, split + 1);
  const sigLines = note.slice(split + 2).split("\n");
  if (sigLines.pop() !== "") throw new Error("the note does not end in a newline");
  let signed = false;
  for (const line of sigLines) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) throw new Error(`malformed signature line: ${line}`);
    if (m[1] !== verifier.name) continue;
    const sig = fromBase64(m[2]);
    if (sig.length < 5) throw new Error("a signature line is too short");
    const keyId = ((sig[0] << 24) | (sig[1] << 16) | (sig[2] << 8) | sig[3]) >>> 0;
    if (keyId !== verifier.keyId) continue;
    if (!verify(sig.slice(4), utf8(body), verifier.publicKey))
      throw new Error("the checkpoint's signature does not verify against the log's key");
    signed = true;
  }
  if (!signed) throw new Error("the checkpoint is not signed by the log's key");
  return parseCheckpointBody(body, note);
}

export function parseCheckpointBody(body: string, note: string): Checkpoint {
  const l = body.slice(0, -1).split("\n");
  if (l.length < 4) throw new Error("a checkpoint has an origin, a size, a root and a state-root line");
  const [origin, size, rootB64, stateLine] = l;
  if (!/^(0|[1-9][0-9]{0,19})$/.test(size)) throw new Error(`tree size "${size}" is not a decimal`);
  const root = fromBase64(rootB64);
  if (root.length !== 32 || toBase64(root) !== rootB64) throw new Error("the root is not base64 of 32 bytes");
  if (!stateLine.startsWith("state-root ")) throw new Error("the fourth line is not the state root");
  const stateRoot = fromBase64(stateLine.slice("state-root ".length));
  if (stateRoot.length !== 32) throw new Error("the state root is not 32 bytes");
  return { origin, treeSize: BigInt(size), root, stateRoot, text: note };
}

export const sameCheckpoint = (a: Checkpoint, b: Checkpoint): boolean =>
  a.origin === b.origin && a.treeSize === b.treeSize && equalBytes(a.root, b.root);
