// An independent C2SP tlog-tiles client, written from the specs (c2sp.org/tlog-tiles, tlog-checkpoint,
// signed-note) with node:crypto only: it checks the log's signed checkpoint, recomputes the root from
// the hash tiles, checks every tile against the level above, every entry bundle against the level-0
// tiles, and a few inclusion proofs (its own and the exchange's). Exit 0 when all hold, 1 otherwise.
//
//   node verify_tiles.mjs --prefix http://127.0.0.1:PORT/log/ --vkey NAME+ID+KEY [--proofs URL] [--min-size N]
import { createHash, createPublicKey, verify } from 'node:crypto';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const prefix = args.prefix.endsWith('/') ? args.prefix : args.prefix + '/';
const fail = (msg) => { console.error(`FAIL: ${msg}`); process.exit(1); };
const sha256 = (...parts) => createHash('sha256').update(Buffer.concat(parts.map((p) => Buffer.from(p)))).digest();
const leafHash = (entry) => sha256([0x00], entry);          // RFC 6962 2.1
const nodeHash = (l, r) => sha256([0x01], l, r);

// ---- signed-note verifier key: <name>+<hex key id>+<base64(0x01 || ed25519 public key)> ----
function parseVkey(vkey) {
  // The name holds no '+'; the base64 key may.
  const m = /^([^+]+)\+([0-9a-f]{8})\+(.+)$/.exec(vkey.trim());
  if (!m) fail('verifier key is not <name>+<key id>+<key>');
  const [, name, idHex, keyB64] = m;
  const raw = Buffer.from(keyB64, 'base64');
  if (raw.length !== 33 || raw[0] !== 0x01) fail('verifier key is not an Ed25519 key');
  const pub = raw.subarray(1);
  const id = sha256(Buffer.from(name), [0x0a, 0x01], pub).subarray(0, 4);
  if (id.toString('hex') !== idHex) fail('verifier key id does not match its name and key');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: pub.toString('base64url') }, format: 'jwk' });
  return { name, id, key };
}

// ---- signed note: text, a blank line, then "— <name> <base64(key id || signature)>" lines ----
function openNote(note, vkey) {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) fail('checkpoint: no signature block');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2).split('\n').filter((l) => l !== '');
  let verified = false;
  for (const line of lines) {
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) fail(`checkpoint: bad signature line ${JSON.stringify(line)}`);
    const blob = Buffer.from(m[2], 'base64');
    if (m[1] !== vkey.name || !blob.subarray(0, 4).equals(vkey.id)) continue;  // another key (a witness)
    if (!verify(null, Buffer.from(text), vkey.key, blob.subarray(4))) fail('checkpoint: the log\'s signature does not verify');
    verified = true;
  }
  if (!verified) fail('checkpoint: not signed by the log key');
  return text;
}

// ---- tlog-checkpoint body: origin, size, base64 root, extension lines ----
function parseCheckpoint(text, vkey) {
  const lines = text.split('\n');
  const [origin, sizeText, rootB64] = lines;
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) fail(`checkpoint: bad size ${sizeText}`);
  const root = Buffer.from(rootB64, 'base64');
  if (root.length !== 32) fail('checkpoint: root is not 32 bytes');
  if (origin !== vkey.name) fail(`checkpoint: origin ${origin} is not the key's name ${vkey.name}`);
  return { origin, size: BigInt(sizeText), root };
}

// ---- tile paths: <N> in 3-digit elements, all but the last prefixed with x ----
function encodeIndex(n) {
  let s = (n % 1000n).toString().padStart(3, '0');
  for (n /= 1000n; n > 0n; n /= 1000n) s = `x${(n % 1000n).toString().padStart(3, '0')}/${s}`;
  return s;
}
const tilePath = (level, n, width) => `tile/${level}/${encodeIndex(n)}${width === 256 ? '' : `.p/${width}`}`;

async function fetchBytes(path, expectType) {
  const res = await fetch(prefix + path);
  if (res.status !== 200) fail(`GET ${path}: ${res.status} ${await res.text()}`);
  const type = res.headers.get('content-type');
  if (expectType && type !== expectType) fail(`GET ${path}: content type ${type}, not ${expectType}`);
  return Buffer.from(await res.arrayBuffer());
}
const hashesOf = (bytes, path) => {
  if (bytes.length % 32 !== 0) fail(`${path}: not a whole number of hashes`);
  return Array.from({ length: bytes.length / 32 }, (_, i) => bytes.subarray(32 * i, 32 * i + 32));
};

// MTH of a list of hashes (RFC 6962 2.1: split at the largest power of two below n).
function mth(hashes) {
  if (hashes.length === 1) return hashes[0];
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return nodeHash(mth(hashes.slice(0, k)), mth(hashes.slice(k)));
}

// RFC 6962 PATH(m, D[n]) over leaf hashes.
function path(m, leaves) {
  if (leaves.length === 1) return [];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return m < k ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))] : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

// RFC 9162 2.1.3.2 inclusion verification.
function verifyInclusion(leaf, index, size, proof, root) {
  if (index >= size) return false;
  let fn = index, sn = size - 1n, r = leaf;
  for (const p of proof) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = nodeHash(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1n; sn >>= 1n;
  }
  return sn === 0n && r.equals(root);
}

const vkey = parseVkey(args.vkey);
const cpRes = await fetch(prefix + 'checkpoint');
if (cpRes.status !== 200) fail(`GET checkpoint: ${cpRes.status}`);
if (cpRes.headers.get('content-type') !== 'text/plain; charset=utf-8') fail('checkpoint: wrong content type');
const cp = parseCheckpoint(openNote(await cpRes.text(), vkey), vkey);
if (args['min-size'] && cp.size < BigInt(args['min-size'])) fail(`checkpoint covers ${cp.size} records, fewer than ${args['min-size']}`);
const N = cp.size;

// Every tile of the tree of size N, level by level: tiles[L] is the list of hashes at level L.
const tiles = [];
for (let level = 0, span = 1n; N / span > 0n; level++, span *= 256n) {
  const count = N / span;  // complete subtrees of 256^L leaves
  const hashes = [];
  for (let n = 0n; n * 256n < count; n++) {
    const width = count - n * 256n >= 256n ? 256 : Number(count - n * 256n);
    const p = tilePath(level, n, width);
    const got = hashesOf(await fetchBytes(p, 'application/octet-stream'), p);
    if (got.length !== width) fail(`${p}: ${got.length} hashes, not ${width}`);
    hashes.push(...got);
  }
  tiles.push(hashes);
}
// Each full tile at level L hashes to its entry at level L + 1.
for (let level = 0; level + 1 < tiles.length; level++)
  for (let n = 0; (n + 1) * 256 <= tiles[level].length; n++)
    if (!mth(tiles[level].slice(n * 256, n * 256 + 256)).equals(tiles[level + 1][n]))
      fail(`${tilePath(level, BigInt(n), 256)} does not hash to its entry in level ${level + 1}`);

// The root from the right edge alone, as a client of a large log computes it: each set bit h of N is
// a complete subtree, MTH of 2^(h mod 8) consecutive hashes of level floor(h / 8).
let root = null;
for (let h = 0, start = N; h < 64; h++) {
  if (((N >> BigInt(h)) & 1n) === 0n) continue;
  start -= 1n << BigInt(h);
  const level = Math.floor(h / 8), width = 2 ** (h % 8);
  const first = Number(start >> BigInt(8 * level));
  const sub = mth(tiles[level].slice(first, first + width));
  root = root === null ? sub : nodeHash(sub, root);
}
if (N === 0n) root = sha256();
if (!root.equals(cp.root)) fail(`the root from the tiles is not the checkpoint's (size ${N})`);
if (!mth(tiles[0]).equals(cp.root)) fail('the root of the level-0 tiles is not the checkpoint\'s');

// Entry bundles: big-endian uint16 length-prefixed entries, each hashing to its level-0 hash.
let entries = 0n;
for (let n = 0n; n * 256n < N; n++) {
  const width = N - n * 256n >= 256n ? 256 : Number(N - n * 256n);
  const p = `tile/entries/${encodeIndex(n)}${width === 256 ? '' : `.p/${width}`}`;
  const bundle = await fetchBytes(p, 'application/octet-stream');
  let at = 0, i = 0;
  while (at < bundle.length) {
    if (at + 2 > bundle.length) fail(`${p}: truncated length`);
    const len = bundle.readUInt16BE(at);
    if (at + 2 + len > bundle.length) fail(`${p}: truncated entry ${i}`);
    const entry = bundle.subarray(at + 2, at + 2 + len);
    const index = Number(n * 256n) + i;
    if (!leafHash(entry).equals(tiles[0][index])) fail(`${p}: entry ${i} (record ${index}) does not hash to its leaf`);
    at += 2 + len;
    i++;
  }
  if (i !== width) fail(`${p}: ${i} entries, not ${width}`);
  entries += BigInt(i);
}

// Inclusion proofs of a few records: computed here from the tiles, and the exchange's own.
const picks = [...new Set([0n, 1n, N / 2n, N - 1n].filter((i) => i < N))];
for (const index of picks) {
  const proof = path(Number(index), tiles[0]);
  if (!verifyInclusion(tiles[0][Number(index)], index, N, proof, cp.root)) fail(`inclusion of record ${index}`);
  if (args.proofs) {
    const res = await fetch(`${args.proofs}?seq=${index}&treeSize=${N}`);
    if (res.status !== 200) fail(`exchange proof of ${index}: ${res.status}`);
    const lines = (await res.text()).trim().split('\n');
    const theirs = lines.filter((l) => l.startsWith('proof ')).map((l) => Buffer.from(l.slice(6), 'hex'));
    const leaf = Buffer.from(lines.find((l) => l.startsWith('leaf-hash ')).slice(10), 'hex');
    if (!leaf.equals(tiles[0][Number(index)])) fail(`exchange proof of ${index}: another leaf`);
    if (!verifyInclusion(leaf, index, N, theirs, cp.root)) fail(`exchange proof of ${index} does not verify`);
  }
}
console.log(`verified: checkpoint of ${N} records signed by ${vkey.name}; ${tiles.map((t) => t.length).join('/')} hashes at levels 0..${tiles.length - 1}; ${entries} entries; ${picks.length} inclusion proofs`);
