/**
 * The certificate fonts' bytes on Node: read once from assets/fonts beside the code. On Workers the same files are
 * imported as Data modules (wrangler `rules: [{ type: "Data", globs: ["**\/*.ttf"] }]`) and passed as `loadFonts`.
 */
import { readFile } from "node:fs/promises";
import type { CertificateFonts } from "../http/pdf.js";

let fonts: Promise<CertificateFonts> | undefined;

async function read(name: string): Promise<Uint8Array> {
  const b = await readFile(new URL(`../../assets/fonts/${name}`, import.meta.url));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function loadNodeFonts(): Promise<CertificateFonts> {
  return (fonts ??= Promise.all([read("DejaVuSans-LatinCyrillic.ttf"), read("DejaVuSans.ttf"), read("DejaVuSans-Bold-LatinCyrillic.ttf")]).then(([common, full, bold]) => ({ common, full, bold })));
}
