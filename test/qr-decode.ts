/**
 * The QR reader of the tests is the /verify camera page's own: public/js/qr-decoder.js (ZXing, built from
 * tools/qr-decoder.entry.js), run here as the browser runs it, so a code the tests read is one the page reads.
 */
import { readFileSync } from "node:fs";
import { runInThisContext } from "node:vm";
import { PNG } from "pngjs";

type PageDecoder = (rgba: Uint8Array | Uint8ClampedArray, width: number, height: number) => string | null;

const bundle = readFileSync(new URL("../public/js/qr-decoder.js", import.meta.url), "utf8");
// Run in this realm (the bundle sets globalThis.SenimQr, as in the page): a vm context's globals are several times slower.
runInThisContext(bundle);

/** RGBA pixels → the text of the QR code the page's decoder finds, or null. */
export const decodeQrRgba: PageDecoder = (globalThis as unknown as { SenimQr: { decode: PageDecoder } }).SenimQr.decode;

/** PNG bytes → the text of its QR code; throws when the page's decoder finds none. Transparency is composited on white. */
export function decodeQrPng(png: Uint8Array): { text: string; width: number; height: number } {
  const { width, height, data } = PNG.sync.read(Buffer.from(png));
  for (let i = 0; i < data.length; i += 4) {
    const a = data[i + 3]! / 255;
    for (let k = 0; k < 3; k++) data[i + k] = Math.round(data[i + k]! * a + 255 * (1 - a));
  }
  const text = decodeQrRgba(data, width, height);
  if (text === null) throw new Error(`no QR code read in this ${width}×${height} image`);
  return { text, width, height };
}

/** URLs whose qrPng (8 px per module) stock ZXing 0.21 QRCodeReader does not read: version 3, masks 2 and 0, each with
 * a false finder pattern in its data (see tools/qr-decoder.entry.js). The page's reader must read them. */
export const STOCK_ZXING_MISSES = ["https://senim.kz/c/9w7ym171cy5f0r1z", "https://senim.kz/c/q88x9zjpyacetvba", "https://senim.kz/c/b8gcga6hdtw3ap39"];

/**
 * An SVG QR code as src/http/qr.ts draws it (the `qrcode` package: dark runs `M x y h n …`, one module high), painted
 * into pixels and given to the /verify page's own decoder: its text, or null.
 */
export function decodeQrSvg(svg: string): string | null {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
  const d = /<path stroke="#000000" d="([^"]+)"/.exec(svg)![1]!;
  const dark: [number, number, number][] = [];
  let x = 0;
  let y = 0;
  for (const [, op, args] of d.matchAll(/([MmHhVv])([^MmHhVv]*)/g)) {
    const n = args!.trim().split(/[\s,]+/).map(Number);
    if (op === "M") [x, y] = [n[0]!, n[1]!];
    else if (op === "m") [x, y] = [x + n[0]!, y + n[1]!];
    else if (op === "h") {
      dark.push([x, Math.floor(y), n[0]!]);
      x += n[0]!;
    } else throw new Error(`unexpected path command ${op}`);
  }
  const scale = 8;
  const side = size * scale;
  const rgba = new Uint8ClampedArray(side * side * 4).fill(255);
  for (const [x0, row, len] of dark) {
    for (let py = row * scale; py < (row + 1) * scale; py++) {
      for (let px = x0 * scale; px < (x0 + len) * scale; px++) rgba.fill(0, (py * side + px) * 4, (py * side + px) * 4 + 3);
    }
  }
  return decodeQrRgba(rgba, side, side);
}

/** The QR code drawn inline on a wallet offer's page (`<figure data-offer-qr>`, /me), read back: its text, or null. */
export function decodeInlineQr(html: string): string | null {
  return decodeQrSvg(/<figure[^>]*data-offer-qr[^>]*>([\s\S]*?)<\/figure>/.exec(html)![1]!);
}
