/**
 * The certificate font's bytes on Node: read once from assets/fonts beside the code. On Workers the same file is
 * imported as a Data module (wrangler `rules: [{ type: "Data", globs: ["**\/*.ttf"] }]`) and passed as `loadFont`.
 */
import { readFile } from "node:fs/promises";

let font: Promise<Uint8Array> | undefined;

export function loadNodeFont(): Promise<Uint8Array> {
  return (font ??= readFile(new URL("../../assets/fonts/DejaVuSans.ttf", import.meta.url)).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
}
