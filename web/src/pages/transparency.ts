// Transparency: the newest signed checkpoint, its signature checked here against the log's key (kept
// from this browser's first visit); a consistency proof from the checkpoint this browser saw last to
// the newest, checked here (a red warning when the log was rewritten); and an inclusion proof of the
// journal record of each order placed from this browser: the record itself fetched and decoded here,
// signed by this browser's key over an order of that market, and its leaf proven under the checkpoint's root.
import { errorText, get } from "../api";
import type { Page } from "../context";
import { currentPublicKey } from "../keys";
import { placedOrders } from "../ledger_store";
import { equalBytes, fromBase64, toBase64, toHex } from "../lib/bytes";
import { verify } from "../lib/ed25519";
import { decodeRecordText, type JournalRecord } from "../lib/journal_record";
import { parseVerifierKey, verifyCheckpoint, type Checkpoint, type Verifier } from "../lib/checkpoint";
import { h, replace, table } from "../lib/dom";
import { verifyConsistency, verifyInclusion } from "../lib/merkle";
import { parseConsistencyProof, parseInclusionProof } from "../lib/proof_text";

const STORE = "glassbook.log";
interface Kept { verifier: string; checkpoint?: string }

function kept(): Kept | null {
  try {
    return JSON.parse(localStorage.getItem(STORE) ?? "null") as Kept | null;
  } catch {
    return null;
  }
}

const good = (testid: string, text: string) => h("div", { class: "verdict good", "data-testid": testid }, "✔ ", text);
const bad = (testid: string, text: string) => h("div", { class: "verdict bad", "data-testid": testid, role: "alert" }, "✘ ", text);

// Why the record fetched for an order placed here is not that order, or null: it must be the record
// at that seq, signed by this browser's key over an order of that market, with a valid signature.
function recordVerdict(record: JournalRecord, seq: bigint, symbol: string): string | null {
  if (record.seq !== seq) return `the server sent record ${record.seq}, not ${seq}`;
  const key = currentPublicKey();
  if (key === null || !equalBytes(record.signer, fromBase64(key))) return `record ${seq} was not signed by this browser's key`;
  if (!verify(record.signature, record.signed, record.signer)) return `record ${seq}'s signature does not verify`;
  const text = new TextDecoder().decode(record.signed);
  if (!text.startsWith("instruction=orderExecute&") || !text.includes(`&symbol=${symbol}&`)) return `record ${seq} is not an order on ${symbol}: ${text.slice(0, 80)}`;
  return null;
}

export const transparencyPage: Page = (root, ctx) => {
  const keyBox = h("div", { class: "panel" });
  const cpBox = h("div", { class: "panel" });
  const consBox = h("div", { class: "panel" });
  const inclBox = h("div", { class: "panel" });
  const again = h("button", { "data-testid": "check-again", onclick: () => void run() }, "Check again");
  root.append(h("h1", {}, "Transparency ", again),
    h("p", { class: "muted" }, "Everything on this page is checked by code running in your browser, against the log's public key: not the exchange's word."),
    keyBox, cpBox, consBox, inclBox);

  async function logKey(): Promise<Verifier> {
    const published = (await get<string>("/api/v1/glassbook/verifier")).trim();
    const k = kept();
    if (k && k.verifier !== published) {
      replace(keyBox, h("h2", {}, "Log key"), bad("log-key", `The log's key changed since this browser first saw it (${k.verifier}); it is now ${published}. Checkpoints are checked against the key first seen.`));
      return parseVerifierKey(k.verifier);
    }
    if (!k) localStorage.setItem(STORE, JSON.stringify({ verifier: published }));
    replace(keyBox, h("h2", {}, "Log key"), h("p", {}, h("code", { "data-testid": "verifier" }, published)),
      h("p", { class: "muted" }, k ? "The same key this browser first saw." : "First visit: this key is kept in this browser and every later checkpoint must be signed by it."));
    return parseVerifierKey(published);
  }

  async function run(): Promise<void> {
    try {
      const verifier = await logKey();
      const note = await get<string>("/api/v1/glassbook/checkpoint");
      let cp: Checkpoint;
      try {
        cp = verifyCheckpoint(note, verifier);
      } catch (e) {
        replace(cpBox, h("h2", {}, "Newest checkpoint"), bad("checkpoint-verdict", `The checkpoint fails: ${errorText(e)}`), h("pre", {}, note));
        return;
      }
      replace(cpBox, h("h2", {}, "Newest checkpoint"),
        good("checkpoint-verdict", `Signed by the log's key ${verifier.name}`),
        table("checkpoint", ["Origin", "Records", "Merkle root", "State root"], [[cp.origin, h("span", { "data-testid": "tree-size" }, String(cp.treeSize)), h("code", {}, toHex(cp.root)), h("code", {}, toHex(cp.stateRoot))]]));
      await consistency(verifier, cp);
      await inclusions(cp);
    } catch (e) {
      ctx.notify(`Transparency: ${errorText(e)}`);
    }
  }

  async function consistency(verifier: Verifier, cp: Checkpoint): Promise<void> {
    const k = kept()!;
    const keep = () => localStorage.setItem(STORE, JSON.stringify({ ...k, checkpoint: cp.text }));
    if (!k.checkpoint) {
      keep();
      return replace(consBox, h("h2", {}, "Consistency"), h("p", { "data-testid": "consistency-verdict" }, `First checkpoint seen by this browser (${cp.treeSize} records): kept, and the next one must extend it.`));
    }
    const old = verifyCheckpoint(k.checkpoint, verifier);
    let verdict: string | null;
    if (old.origin !== cp.origin) verdict = `the log's origin changed from ${old.origin} to ${cp.origin}`;
    else if (cp.treeSize < old.treeSize) verdict = `the log was rewritten: it shrank from ${old.treeSize} to ${cp.treeSize} records`;
    else if (cp.treeSize === old.treeSize) verdict = verifyConsistency(old.treeSize, cp.treeSize, old.root, cp.root, []);
    else {
      let text = "";
      try {
        text = await get<string>("/api/v1/glassbook/proof/consistency", { from: String(old.treeSize), to: String(cp.treeSize) });
        const proof = parseConsistencyProof(text);
        verdict = proof.oldSize !== old.treeSize || proof.newSize !== cp.treeSize
          ? `the proof is for ${proof.oldSize} → ${proof.newSize}, not ${old.treeSize} → ${cp.treeSize}`
          : verifyConsistency(old.treeSize, cp.treeSize, old.root, cp.root, proof.path);
      } catch (e) {
        verdict = `no valid proof: ${errorText(e)}`;
      }
    }
    if (verdict === null) {
      keep();
      return replace(consBox, h("h2", {}, "Consistency"), good("consistency-verdict", `The log of ${cp.treeSize} records extends the ${old.treeSize} this browser saw before (root ${toBase64(old.root).slice(0, 12)}…): nothing was rewritten.`));
    }
    replace(consBox, h("h2", {}, "Consistency"), bad("consistency-verdict", `LOG REWRITTEN? The newest checkpoint (${cp.treeSize} records) does not extend the one this browser saw (${old.treeSize} records): ${verdict}.`));
  }

  async function inclusions(cp: Checkpoint): Promise<void> {
    const orders = placedOrders(currentPublicKey());
    const rows = await Promise.all(orders.map(async (o) => {
      let verdict: HTMLElement;
      if (BigInt(o.seq) >= cp.treeSize) verdict = h("span", { class: "muted", "data-testid": "inclusion-waiting" }, "waiting for a checkpoint that covers it");
      else {
        let reason: string | null;
        try {
          const record = decodeRecordText(await get<string>("/api/v1/glassbook/record", { seq: String(o.seq) }));
          reason = recordVerdict(record, BigInt(o.seq), o.symbol);
          if (reason === null) {
            const proof = parseInclusionProof(await get<string>("/api/v1/glassbook/proof/inclusion", { seq: String(o.seq), treeSize: String(cp.treeSize) }));
            reason = proof.index !== BigInt(o.seq) || proof.treeSize !== cp.treeSize
              ? `the proof is for record ${proof.index} of ${proof.treeSize}, not ${o.seq} of ${cp.treeSize}`
              : verifyInclusion(proof.index, proof.treeSize, record.leaf, proof.path, cp.root);
          }
        } catch (e) {
          reason = `no valid record or proof: ${errorText(e)}`;
        }
        verdict = reason === null ? h("span", { class: "badge good", "data-testid": "inclusion-ok" }, "✔ in the log")
          : h("span", { class: "badge bad", "data-testid": "inclusion-failed", role: "alert" }, `✘ ${reason}`);
      }
      return [String(o.seq), o.symbol, o.what, o.orderId, verdict];
    }));
    replace(inclBox, h("h2", {}, "Your orders in the journal"),
      h("p", { class: "muted" }, "Each order placed from this browser is a journal record: fetched and decoded here, it must carry this browser's signature over that order, and its leaf hash, with its inclusion proof, must lead to the signed checkpoint's root."),
      table("inclusions", ["Record", "Market", "Order", "Id", "Inclusion proof"], rows, "no orders placed from this browser with this key"));
  }

  void run();
  return () => {};
};
