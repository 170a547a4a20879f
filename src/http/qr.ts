/**
 * QR codes of certificate URLs. Medium error correction survives a crease or a smudge on paper; a short URL keeps
 * the symbol at version 5 or below, so it prints small and scans from a phone at arm's length.
 *
 * The `qrcode` package only computes the symbol here; the PNG is encoded below with Web APIs (CompressionStream),
 * because the package's own PNG writer needs Node (zlib, Buffer) and its browser build needs a canvas, and Workers
 * have neither.
 */
import QRCode from "qrcode";

export const MAX_QR_VERSION = 5;
const OPTIONS = { errorCorrectionLevel: "M" as const, margin: 2 };

export function qrVersion(text: string): number {
  return QRCode.create(text, OPTIONS).version;
}

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { ...OPTIONS, type: "svg" });
}

/** A 1-bit greyscale PNG: `scale` pixels per module, a quiet zone of `OPTIONS.margin` modules. */
export async function qrPng(text: string, scale = 8): Promise<Uint8Array> {
  const { modules } = QRCode.create(text, OPTIONS);
  const n = modules.size;
  const side = (n + 2 * OPTIONS.margin) * scale;
  const stride = 1 + Math.ceil(side / 8); // filter byte, then 8 pixels per byte (1 = white)
  const raw = new Uint8Array(stride * side);
  for (let y = 0; y < side; y++) {
    const my = Math.floor(y / scale) - OPTIONS.margin;
    const row = y * stride;
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - OPTIONS.margin;
      const dark = mx >= 0 && my >= 0 && mx < n && my < n && modules.get(my, mx);
      if (!dark) raw[row + 1 + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, side);
  view.setUint32(4, side);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, adaptive filtering, no interlace
  const idat = new Uint8Array(await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate"))).arrayBuffer());
  return concat([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", idat), chunk("IEND", new Uint8Array(0))]);
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
