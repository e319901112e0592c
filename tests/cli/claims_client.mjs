// A creditor's, a claims agent's and a KYC provider's client for tests/cli/claims_cli.sh, written from
// docs/claims.md and docs/api.md alone (node:crypto only): native commands in their signed bytes
// ("glassbook/command/v1", the kind byte, every field little-endian) as the JSON body of
// POST /api/v1/glassbook/command, the agent's link attestation, and Backpack request signatures.
// Keys derive from labels as the demo's do: the Ed25519 seed is SHA-256(label).
//
//   node claims_client.mjs pub LABEL                       base64 public key
//   node claims_client.mjs sign LABEL TEXT                 base64 signature of TEXT
//   node claims_client.mjs hash SALT EMAIL                 hex SHA-256(SALT ":" EMAIL), the legacy hash
//   node claims_client.mjs command LABEL KIND JSON         the body of POST /api/v1/glassbook/command
//   node claims_client.mjs watch LABEL WS_URL FILE         subscribe to account.claimUpdate (signed) and
//                                                          append each frame to FILE, one a line, until killed
//                                                          ('ws' from tests/e2e/node_modules: npm ci --prefix tests/e2e)
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";

const seedOf = (label) => crypto.createHash("sha256").update(label).digest();
const privateKey = (label) =>
  crypto.createPrivateKey({
    key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seedOf(label)]),
    format: "der",
    type: "pkcs8",
  });
const publicKey = (label) => crypto.createPublicKey(privateKey(label)).export({ format: "der", type: "spki" }).subarray(12);
const sign = (label, bytes) => crypto.sign(null, bytes, privateKey(label));

// Little-endian field writers.
const u8 = (v) => Buffer.from([v]);
const u16 = (v) => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
const u64 = (v) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(v)); return b; };
const i64 = (v) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(v)); return b; };
const str = (s) => Buffer.concat([u32(Buffer.byteLength(s)), Buffer.from(s)]);
const hex32 = (h) => { const b = Buffer.from(h, "hex"); if (b.length !== 32) throw new Error("not 32 bytes: " + h); return b; };

// docs/claims.md, "Commands": kinds and fields in signing order.
const kinds = {
  register: [0, (f) => [publicKey(f.label)]],
  "attest-claim": [15, (f) => [u16(f.estate), u64(f.claim), u32(f.revision), i64(f.face), u8(f.status), hex32(f.hash)]],
  "link-claim": [16, (f) => [u32(f.account), u16(f.estate), u64(f.claim), hex32(f.hash), Buffer.from(f.agentSignature, "base64")]],
  "attest-kyc": [17, (f) => [u16(f.estate), u32(f.account), u8(f.level), str(f.jurisdiction), i64(f.issuedAt), i64(f.expiresAt)]],
  declare: [26, (f) => [u16(f.estate), u32(f.round), u32(f.account), u16(f.asset), u64(f.numerator), u64(f.denominator), u64(f.recordSeq)]],
  pay: [27, (f) => [u16(f.estate), u32(f.round)]],
  release: [28, (f) => [u32(f.account), u16(f.estate), u16(f.asset)]],
  // The claims agent's attestation that an account controls a legacy identifier (claim_link_bytes).
};

const linkBytes = (f) =>
  Buffer.concat([Buffer.from("glassbook/claim-link/v1"), str(f.estateName), u64(f.claim), u32(f.account), Buffer.from(f.accountKey, "base64"),
    hex32(f.hash)]);

const [what, ...args] = process.argv.slice(2);
const out = (s) => process.stdout.write(s + "\n");
if (what === "pub") out(publicKey(args[0]).toString("base64"));
else if (what === "sign") out(sign(args[0], Buffer.from(args[1])).toString("base64"));
else if (what === "hash") out(crypto.createHash("sha256").update(`${args[0]}:${args[1]}`).digest("hex"));
else if (what === "link-signature") out(sign(args[0], linkBytes(JSON.parse(args[1]))).toString("base64"));
else if (what === "command") {
  const [label, kind, json] = args;
  const fields = { label, ...JSON.parse(json || "{}") };
  if (!kinds[kind]) throw new Error("unknown kind " + kind);
  const [byte, encode] = kinds[kind];
  const bytes = Buffer.concat([Buffer.from("glassbook/command/v1"), u8(byte), ...encode(fields)]);
  out(JSON.stringify({ command: bytes.toString("base64"), signer: publicKey(label).toString("base64"),
    signature: sign(label, bytes).toString("base64") }));
} else if (what === "watch") {
  const [label, url, file] = args;
  const WebSocket = createRequire(new URL("../e2e/package.json", import.meta.url))("ws");
  const ws = new WebSocket(url);
  ws.on("open", () => {
    const ts = Date.now();
    const sig = sign(label, Buffer.from(`instruction=subscribe&timestamp=${ts}&window=5000`)).toString("base64");
    ws.send(JSON.stringify({ method: "SUBSCRIBE", params: ["account.claimUpdate"],
      signature: [publicKey(label).toString("base64"), sig, String(ts), "5000"] }));
    // The server answers a successful SUBSCRIBE with nothing, and one connection's messages in order:
    // the error of a second, unknown stream says the first is in place.
    ws.send(JSON.stringify({ method: "SUBSCRIBE", params: ["no.such.stream"], id: 7 }));
  });
  ws.on("message", (data) => {
    const text = data.toString();
    if (JSON.parse(text).id === 7) fs.writeFileSync(file + ".ready", "subscribed\n");
    else fs.appendFileSync(file, text + "\n");
  });
  ws.on("close", () => process.exit(0));
} else {
  throw new Error("usage: pub|sign|hash|link-signature|command|watch ...");
}
