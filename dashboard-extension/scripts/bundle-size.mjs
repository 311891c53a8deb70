// The weight of the built extension: the JS and CSS that index.html loads, raw and compressed
// (gzip level 9 and brotli, as a server or proxy would send them), and the font it loads from CSS.
// Run after `npm run build`:  node scripts/bundle-size.mjs [build dir]
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const here = path.dirname(fileURLToPath(import.meta.url));
const buildDir = path.resolve(process.argv[2] ?? path.join(here, "../../saleor_amazon_channel/dashboard"));
const indexHtml = path.join(buildDir, "index.html");

let html;
try {
  html = readFileSync(indexHtml, "utf8");
} catch {
  console.error(`No build at ${buildDir}: run npm run build first.`);
  process.exit(1);
}

// What the page loads up front: its module scripts and stylesheets.
const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map((match) => match[1]);
if (assets.length === 0) {
  console.error(`index.html at ${buildDir} references no JS or CSS.`);
  process.exit(1);
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const rows = assets.map((asset) => {
  const data = readFileSync(path.join(buildDir, asset));
  return {
    asset,
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
});
const total = rows.reduce((sum, row) => ({ raw: sum.raw + row.raw, gzip: sum.gzip + row.gzip, brotli: sum.brotli + row.brotli }), {
  raw: 0,
  gzip: 0,
  brotli: 0,
});

const width = Math.max(...rows.map((row) => row.asset.length), "JS + CSS".length);
console.log(`${"file".padEnd(width)}  ${"raw".padStart(10)}  ${"gzip".padStart(10)}  ${"brotli".padStart(10)}`);
for (const row of [...rows, { asset: "JS + CSS", ...total }]) {
  console.log(`${row.asset.padEnd(width)}  ${kB(row.raw).padStart(10)}  ${kB(row.gzip).padStart(10)}  ${kB(row.brotli).padStart(10)}`);
}

// Fonts come through the CSS (already compressed woff2): listed apart.
const css = rows.filter((row) => row.asset.endsWith(".css")).map((row) => readFileSync(path.join(buildDir, row.asset), "utf8")).join("");
const fonts = [...new Set([...css.matchAll(/url\(["']?\.?\/?([^"')]+\.woff2)["']?\)/g)].map((match) => match[1]))];
for (const font of fonts) {
  const file = path.join(buildDir, "assets", path.basename(font));
  try {
    console.log(`font ${path.basename(font)}: ${kB(statSync(file).size)} (woff2)`);
  } catch {
    /* a font the CSS names but the build did not copy */
  }
}
console.log(`bundle size (JS + CSS, gzip): ${kB(total.gzip)}`);
