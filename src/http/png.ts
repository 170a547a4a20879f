/**
 * PNG encoding with Web APIs only (CompressionStream's deflate), so that the same code runs on Node and on Workers:
 * `pngjs` and the `qrcode` package's own PNG writer need Node's zlib and Buffer, and Workers have neither. The QR code
 * (src/http/qr.ts, 1-bit greyscale) and the sharing image (src/http/share-image.ts, 8-bit RGB) are both written here.
 */

/** The pixel formats written: 1-bit and 8-bit greyscale, 8-bit RGB (PNG colour types 0 and 2). */
export type PngFormat = "grey1" | "grey8" | "rgb8";

const FORMATS: Record<PngFormat, { bitDepth: number; colourType: number; bitsPerPixel: number }> = {
  grey1: { bitDepth: 1, colourType: 0, bitsPerPixel: 1 },
  grey8: { bitDepth: 8, colourType: 0, bitsPerPixel: 8 },
  rgb8: { bitDepth: 8, colourType: 2, bitsPerPixel: 24 },
};

/** Bytes per row of pixels in `format`, without the filter byte. */
export function pngRowBytes(format: PngFormat, width: number): number {
  return Math.ceil((width * FORMATS[format].bitsPerPixel) / 8);
}

/**
 * A PNG of `pixels`: rows top to bottom, each `pngRowBytes(format, width)` bytes, packed as PNG packs them (1-bit
 * pixels most significant bit first, 1 = white). Rows are written unfiltered: on flat colour and text, deflate alone
 * did better than PNG's "Up" filter, smaller and faster (the sharing image: 118 KB against 147 KB).
 */
export async function encodePng(o: { width: number; height: number; format: PngFormat; pixels: Uint8Array }): Promise<Uint8Array> {
  const { width, height, format, pixels } = o;
  const row = pngRowBytes(format, width);
  if (pixels.length !== row * height) throw new Error(`encodePng: ${pixels.length} bytes for ${height} rows of ${row}`);
  const raw = new Uint8Array((row + 1) * height);
  // Each row after its filter byte, 0: none.
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * row, (y + 1) * row), y * (row + 1) + 1);
  const { bitDepth, colourType } = FORMATS[format];
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([bitDepth, colourType, 0, 0, 0], 8); // deflate, adaptive filtering, no interlace
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

/** CRC-32 as PNG chunks carry it (ISO 3309). */
export function crc32(bytes: Uint8Array): number {
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
