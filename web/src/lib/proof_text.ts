// The text forms of inclusion and consistency proofs that the gateway serves (src/journal/proof_format.h).
import { fromHex } from "./bytes";

export interface InclusionProof { index: bigint; treeSize: bigint; leafHash: Uint8Array; path: Uint8Array[] }
export interface ConsistencyProof { oldSize: bigint; newSize: bigint; path: Uint8Array[] }

const DECIMAL = /^(0|[1-9][0-9]{0,19})$/;
const HASH = /^[0-9a-f]{64}$/;

function lines(text: string, tag: string): string[] {
  if (!text.endsWith("\n")) throw new Error("the proof does not end in a newline");
  const out = text.slice(0, -1).split("\n");
  if (out[0] !== tag) throw new Error(`the proof does not start with ${tag}`);
  return out.slice(1);
}

function field(line: string | undefined, keyword: string, pattern: RegExp): string {
  const prefix = `${keyword} `;
  if (line === undefined || !line.startsWith(prefix) || !pattern.test(line.slice(prefix.length)))
    throw new Error(`expected "${keyword} <value>", got "${line ?? "the end"}"`);
  return line.slice(prefix.length);
}

const path = (rest: string[]): Uint8Array[] => rest.map((l) => fromHex(field(l, "proof", HASH)));

export function parseInclusionProof(text: string): InclusionProof {
  const l = lines(text, "glassbook/inclusion-proof/v1");
  const index = BigInt(field(l[0], "index", DECIMAL));
  const treeSize = BigInt(field(l[1], "tree-size", DECIMAL));
  const leafHash = fromHex(field(l[2], "leaf-hash", HASH));
  return { index, treeSize, leafHash, path: path(l.slice(3)) };
}

export function parseConsistencyProof(text: string): ConsistencyProof {
  const l = lines(text, "glassbook/consistency-proof/v1");
  const oldSize = BigInt(field(l[0], "old-size", DECIMAL));
  const newSize = BigInt(field(l[1], "new-size", DECIMAL));
  return { oldSize, newSize, path: path(l.slice(2)) };
}
