// Bundles the page's pure modules (src/lib) with esbuild for node's test runner and imports them.
import { build } from "esbuild";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const web = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export async function loadLib() {
  const out = mkdtempSync(join(tmpdir(), "glassbook-web-unit-"));
  await build({
    absWorkingDir: web,
    stdin: {
      contents: ["bytes", "checkpoint", "commands", "decimal", "ed25519", "journal_record", "key_seal", "merkle", "proof_text", "signing"].map((m) => `export * from "./src/lib/${m}";`).join("\n"),
      resolveDir: web,
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "node",
    outfile: join(out, "lib.mjs"),
    logLevel: "warning",
  });
  return import(pathToFileURL(join(out, "lib.mjs")).href);
}

export const vector = (name) => join(web, "test", "vectors", name);
