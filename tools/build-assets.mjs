// Builds the browser assets that come from npm packages into public/js (committed, so every runtime serves the
// same files and no build runs at deploy). Run after upgrading @zxing/library: npm run build:assets
// test/assets.test.ts rebuilds into a temporary folder and checks the committed file is what this produces.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

export async function buildQrDecoder(outfile = `${root}public/js/qr-decoder.js`) {
  await build({
    entryPoints: [`${root}tools/qr-decoder.entry.js`],
    outfile,
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2022"],
    legalComments: "eof",
    banner: { js: "/* ZXing QR reader (Apache-2.0, https://github.com/zxing-js/library), bundled for Senim */" },
    logLevel: "silent",
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildQrDecoder();
