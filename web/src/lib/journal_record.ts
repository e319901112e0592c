// A journal record (format v1, docs/journal.md) decoded in the page from the bytes the gateway serves
// (GET /api/v1/glassbook/record), so the page checks the record itself: its leaf hash against the
// inclusion proof, its signer and signature against the user's own key.
import { fromBase64 } from "./bytes";
import { leafHash } from "./merkle";

export interface JournalRecord {
  seq: bigint;
  timestamp: bigint;  // µs since the Unix epoch, the sequencer's
  kind: number;
  signed: Uint8Array;  // exactly what the signer signed
  signer: Uint8Array;
  signature: Uint8Array;
  prevHash: Uint8Array;
  leaf: Uint8Array;  // SHA-256(0x00 || the whole record): its leaf in the Merkle log
}

const HEADER = 12;
const FIXED = 149;   // seq, timestamp, kind, signed length, signer, signature, prev hash
const CHECKSUM = 4;
const MAX_RECORD = 64 * 1024;

// Throws with the reason when the bytes are not exactly one whole record. The CRC-32C is not checked
// here: the leaf hash, checked against a signed checkpoint through the inclusion proof, covers every byte.
export function decodeRecord(bytes: Uint8Array): JournalRecord {
  if (bytes.length < HEADER + FIXED + CHECKSUM) throw new Error(`a record is at least ${HEADER + FIXED + CHECKSUM} bytes, not ${bytes.length}`);
  if (bytes.length > MAX_RECORD) throw new Error(`a record is at most ${MAX_RECORD} bytes, not ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== "GBJR") throw new Error("no record magic GBJR");
  if (bytes[4] !== 1) throw new Error(`record version ${bytes[4]}, not 1`);
  if (bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) throw new Error("the reserved bytes are not zero");
  const payload = view.getUint32(8, true);
  if (HEADER + payload + CHECKSUM !== bytes.length) throw new Error(`the payload length ${payload} does not match the record's ${bytes.length} bytes`);
  const signedLength = view.getUint32(29, true);
  if (signedLength !== payload - FIXED) throw new Error(`the signed length ${signedLength} is not the payload length less ${FIXED}`);
  const s = 33 + signedLength;
  return {
    seq: view.getBigUint64(12, true),
    timestamp: view.getBigInt64(20, true),
    kind: bytes[28],
    signed: bytes.slice(33, s),
    signer: bytes.slice(s, s + 32),
    signature: bytes.slice(s + 32, s + 96),
    prevHash: bytes.slice(s + 96, s + 128),
    leaf: leafHash(bytes),
  };
}

// The gateway's answer: the record's bytes in base64 on one line.
export const decodeRecordText = (text: string): JournalRecord => decodeRecord(fromBase64(text));
