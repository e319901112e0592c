// Builds the web interface into web/dist: one bundle (esbuild) with content-hashed names under
// assets/, and index.html naming them. Fails when the first page is over its budget gzipped.
import { build } from "esbuild";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const BUDGET_GZIP_BYTES = 300 * 1024;  // the first page (index, script, style), gzipped

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
const result = await build({
  absWorkingDir: here,
  entryPoints: [join(here, "src", "main.ts")],
  bundle: true,
  format: "esm",
  target: ["es2022"],
  minify: true,
  sourcemap: false,
  outdir: join(dist, "assets"),
  entryNames: "app-[hash]",
  metafile: true,
  logLevel: "warning",
  legalComments: "none",
});
const outputs = Object.keys(result.metafile.outputs);
const js = outputs.find((f) => f.endsWith(".js"));
const css = outputs.find((f) => f.endsWith(".css"));
if (!js || !css) throw new Error("web build: the bundle has no script or no stylesheet");
const html = readFileSync(join(here, "index.html"), "utf8").replace("%JS%", basename(js)).replace("%CSS%", basename(css));
writeFileSync(join(dist, "index.html"), html);

const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
const total = gz(Buffer.from(html)) + gz(readFileSync(join(here, js))) + gz(readFileSync(join(here, css)));
console.log(`web: built ${dist} (first page ${(total / 1024).toFixed(1)} KB gzipped, budget ${BUDGET_GZIP_BYTES / 1024} KB)`);
if (total > BUDGET_GZIP_BYTES) {
  console.error("web: the first page is over its budget");
  process.exit(1);
}
