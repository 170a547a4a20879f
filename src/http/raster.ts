/**
 * A small anti-aliased scanline rasteriser for the sharing image (src/http/share-image.ts): filled paths (glyph
 * outlines, rectangles) painted in one colour onto an RGB canvas. Plain arithmetic on typed arrays, so it runs the
 * same on Node and on Workers, which have no canvas and take no native module.
 *
 * Curves are flattened to line segments as the path is built; each segment adds its signed area to an accumulation
 * buffer, one cell per pixel (the method of font-rs and stb_truetype); a running sum along each row then gives the
 * winding at every pixel, fractional where an edge crosses it. Coverage is min(1, |winding|): the non-zero rule, with
 * holes (contours wound the other way) left empty and overlapping glyphs filled once.
 */

export type Rgb = readonly [number, number, number];

/** How far a flattened curve may stray from the true one, in pixels: below what anti-aliasing can show. */
const TOLERANCE = 0.2;
const MAX_SEGMENTS = 64;

/** A path in pixel coordinates (x right, y down), flattened to line segments as it is built. */
export class Path {
  /** x0, y0, x1, y1 of each segment. */
  readonly lines: number[] = [];
  private startX = 0;
  private startY = 0;
  private x = 0;
  private y = 0;

  moveTo(x: number, y: number): void {
    this.close();
    this.startX = this.x = x;
    this.startY = this.y = y;
  }

  lineTo(x: number, y: number): void {
    if (x !== this.x || y !== this.y) this.lines.push(this.x, this.y, x, y);
    this.x = x;
    this.y = y;
  }

  quadTo(cx: number, cy: number, x: number, y: number): void {
    const { x: x0, y: y0 } = this;
    // The second difference bounds the distance of the curve from its chord: with n segments it is dd / (4 n²).
    const dd = Math.hypot(x0 - 2 * cx + x, y0 - 2 * cy + y);
    const n = segments(dd / 4);
    for (let i = 1; i <= n; i++) {
      const t = i / n;
      const u = 1 - t;
      this.lineTo(u * u * x0 + 2 * u * t * cx + t * t * x, u * u * y0 + 2 * u * t * cy + t * t * y);
    }
  }

  cubicTo(c1x: number, c1y: number, c2x: number, c2y: number, x: number, y: number): void {
    const { x: x0, y: y0 } = this;
    // For a cubic, the larger second difference of the control points bounds the error: 3/4 dd / n².
    const dd = Math.max(Math.hypot(x0 - 2 * c1x + c2x, y0 - 2 * c1y + c2y), Math.hypot(c1x - 2 * c2x + x, c1y - 2 * c2y + y));
    const n = segments((3 * dd) / 4);
    for (let i = 1; i <= n; i++) {
      const t = i / n;
      const u = 1 - t;
      const a = u * u * u;
      const b = 3 * u * u * t;
      const c = 3 * u * t * t;
      const d = t * t * t;
      this.lineTo(a * x0 + b * c1x + c * c2x + d * x, a * y0 + b * c1y + c * c2y + d * y);
    }
  }

  /** Closes the current contour (a fill closes every contour anyway; this is for what follows). */
  close(): void {
    this.lineTo(this.startX, this.startY);
  }

  rect(x: number, y: number, width: number, height: number): void {
    this.moveTo(x, y);
    this.lineTo(x + width, y);
    this.lineTo(x + width, y + height);
    this.lineTo(x, y + height);
    this.close();
  }
}

/** Segments enough that a curve whose error as one segment is `error` stays within TOLERANCE. */
const segments = (error: number) => Math.min(MAX_SEGMENTS, Math.max(1, Math.ceil(Math.sqrt(error / TOLERANCE))));

/** An RGB canvas, 3 bytes a pixel, rows top to bottom: what encodePng("rgb8") takes. */
export class Raster {
  readonly pixels: Uint8Array;
  /** The accumulation buffer, reused from fill to fill and left all zero by each (it reads and clears each cell). */
  private acc = new Float32Array(0);

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    this.pixels = new Uint8Array(width * height * 3);
    // One pixel, then the filled part copied onto the rest, doubling: a few copies instead of a write per pixel.
    this.pixels.set(background);
    for (let filled = 3; filled < this.pixels.length; filled *= 2) this.pixels.copyWithin(filled, 0, Math.min(filled, this.pixels.length - filled));
  }

  /** Paints `path` (every contour closed) in `colour` at `opacity`, anti-aliased, by the non-zero rule. */
  fill(path: Path, colour: Rgb, opacity = 1): void {
    path.close();
    const l = path.lines;
    if (!l.length) return;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < l.length; i += 2) {
      minX = Math.min(minX, l[i]!);
      maxX = Math.max(maxX, l[i]!);
      minY = Math.min(minY, l[i + 1]!);
      maxY = Math.max(maxY, l[i + 1]!);
    }
    // Only the part of the canvas the path covers is accumulated: a line of text is a thin strip of the image.
    const left = Math.max(0, Math.floor(minX));
    const top = Math.max(0, Math.floor(minY));
    const w = Math.min(this.width, Math.ceil(maxX)) - left;
    const h = Math.min(this.height, Math.ceil(maxY)) - top;
    if (w <= 0 || h <= 0) return;
    // Two spare cells a row: an edge at (or clamped to) the right border writes one and two cells past the last pixel.
    const stride = w + 2;
    if (this.acc.length < stride * h) this.acc = new Float32Array(stride * h);
    const acc = this.acc;
    for (let i = 0; i < l.length; i += 4) accumulate(acc, stride, w, h, l[i]! - left, l[i + 1]! - top, l[i + 2]! - left, l[i + 3]! - top);
    const [r, g, b] = colour;
    const px = this.pixels;
    for (let y = 0; y < h; y++) {
      let winding = 0;
      let o = ((top + y) * this.width + left) * 3;
      const row = y * stride;
      for (let x = 0; x < w; x++, o += 3) {
        winding += acc[row + x]!;
        acc[row + x] = 0;
        const cover = Math.min(1, Math.abs(winding)) * opacity;
        if (cover < 1 / 512) continue;
        px[o] = px[o]! + (r - px[o]!) * cover + 0.5;
        px[o + 1] = px[o + 1]! + (g - px[o + 1]!) * cover + 0.5;
        px[o + 2] = px[o + 2]! + (b - px[o + 2]!) * cover + 0.5;
      }
      acc[row + w] = 0;
      acc[row + w + 1] = 0;
    }
  }

  fillRect(x: number, y: number, width: number, height: number, colour: Rgb, opacity = 1): void {
    const p = new Path();
    p.rect(x, y, width, height);
    this.fill(p, colour, opacity);
  }

  /**
   * A rectangle's outline `thickness` pixels wide, drawn inside the rectangle: four thin rectangles, not one ring, so
   * that no fill runs over the empty middle.
   */
  strokeRect(x: number, y: number, width: number, height: number, thickness: number, colour: Rgb): void {
    this.fillRect(x, y, width, thickness, colour);
    this.fillRect(x, y + height - thickness, width, thickness, colour);
    this.fillRect(x, y + thickness, thickness, height - 2 * thickness, colour);
    this.fillRect(x + width - thickness, y + thickness, thickness, height - 2 * thickness, colour);
  }
}

/**
 * Adds the segment (x0, y0)–(x1, y1) to the accumulation buffer of a `w`×`h` area: in each row it crosses, the signed
 * height it spans there (downwards +1 per row, upwards −1), split between the cells it passes over by the area to
 * their right. A segment beyond the left or right border is clamped to it, where its winding still counts (left) or
 * is never read (right); beyond the top or bottom it is cut.
 */
function accumulate(acc: Float32Array, stride: number, w: number, h: number, x0: number, y0: number, x1: number, y1: number): void {
  if (y0 === y1) return;
  let dir = 1;
  if (y0 > y1) {
    dir = -1;
    [x0, y0, x1, y1] = [x1, y1, x0, y0];
  }
  const dxdy = (x1 - x0) / (y1 - y0);
  let x = y0 < 0 ? x0 - y0 * dxdy : x0;
  const end = Math.min(h, Math.ceil(y1));
  for (let y = Math.max(0, Math.floor(y0)); y < end; y++) {
    const dy = Math.min(y + 1, y1) - Math.max(y, y0);
    const xNext = x + dxdy * dy;
    const d = dy * dir;
    const xa = Math.min(w, Math.max(0, Math.min(x, xNext)));
    const xb = Math.min(w, Math.max(0, Math.max(x, xNext)));
    const row = y * stride;
    const xaFloor = Math.floor(xa);
    const ia = xaFloor;
    const xbCeil = Math.ceil(xb);
    const ib = xbCeil;
    if (ib <= ia + 1) {
      // Within one pixel: the share right of the segment's mid-point goes to the next cell.
      const mid = 0.5 * (xa + xb) - xaFloor;
      acc[row + ia]! += d - d * mid;
      acc[row + ia + 1]! += d * mid;
    } else {
      // Across several pixels: a triangle in the first and last, equal steps between.
      const s = 1 / (xb - xa);
      const fa = xa - xaFloor;
      const a0 = 0.5 * s * (1 - fa) * (1 - fa);
      const fb = xb - xbCeil + 1;
      const am = 0.5 * s * fb * fb;
      acc[row + ia]! += d * a0;
      if (ib === ia + 2) acc[row + ia + 1]! += d * (1 - a0 - am);
      else {
        const a1 = s * (1.5 - fa);
        acc[row + ia + 1]! += d * (a1 - a0);
        for (let i = ia + 2; i < ib - 1; i++) acc[row + i]! += d * s;
        const a2 = a1 + (ib - ia - 3) * s;
        acc[row + ib - 1]! += d * (1 - a2 - am);
      }
      acc[row + ib]! += d * am;
    }
    x = xNext;
  }
}
