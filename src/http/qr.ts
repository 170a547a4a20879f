/**
 * QR codes of certificate URLs. Medium error correction survives a crease or a smudge on paper; a short URL keeps
 * the symbol at version 5 or below, so it prints small and scans from a phone at arm's length.
 *
 * The `qrcode` package only computes the symbol here; the PNG is encoded by src/http/png.ts with Web APIs
 * (CompressionStream), because the package's own PNG writer needs Node (zlib, Buffer) and its browser build needs a
 * canvas, and Workers have neither.
 */
import QRCode from "qrcode";
import { encodePng, pngRowBytes } from "./png.js";

export const MAX_QR_VERSION = 5;
const OPTIONS = { errorCorrectionLevel: "M" as const, margin: 2 };

export function qrVersion(text: string): number {
  return QRCode.create(text, OPTIONS).version;
}

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...OPTIONS, type: "svg" });
}

/** The quiet zone around the symbol, in modules: what qrPng draws and what a drawing of {@link qrModules} leaves. */
export const QR_MARGIN = OPTIONS.margin;

/** The symbol's modules without the quiet zone: `size` per side, `dark(row, col)`, for a caller that draws them. */
export function qrModules(text: string): { size: number; dark(row: number, col: number): boolean } {
  const { modules } = QRCode.create(text, OPTIONS);
  return { size: modules.size, dark: (row, col) => Boolean(modules.get(row, col)) };
}

/** A 1-bit greyscale PNG: `scale` pixels per module, a quiet zone of `QR_MARGIN` modules. */
export async function qrPng(text: string, scale = 8): Promise<Uint8Array> {
  const modules = qrModules(text);
  const n = modules.size;
  const side = (n + 2 * QR_MARGIN) * scale;
  const stride = pngRowBytes("grey1", side); // 8 pixels per byte (1 = white)
  const pixels = new Uint8Array(stride * side);
  for (let y = 0; y < side; y++) {
    const my = Math.floor(y / scale) - QR_MARGIN;
    const row = y * stride;
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - QR_MARGIN;
      const dark = mx >= 0 && my >= 0 && mx < n && my < n && modules.dark(my, mx);
      if (!dark) pixels[row + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return encodePng({ width: side, height: side, format: "grey1", pixels });
}
