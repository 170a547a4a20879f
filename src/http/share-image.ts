/**
 * Issue 16: the sharing image of a certificate (GET /c/{id}.png), 1200×630, the size link previews (OpenGraph, X,
 * Telegram, WhatsApp, LinkedIn) show: whose it is (large and bold), the topic, the academic hours, the organiser, the
 * date of issue, the human number and the QR code, under a band in the colour and words of the page's banner. A
 * certificate that no longer counts carries its word across the image as the PDF's stamp does; "genuine" is written
 * only on a genuine one.
 *
 * Drawn with fontkit's layout and glyph outlines (the PDF's fonts, src/http/pdf.ts) by src/http/raster.ts and encoded
 * by src/http/png.ts: no canvas and no native module, so Node and Workers run this same code.
 */
import fontkit, { type Font, type GlyphRun } from "@pdf-lib/fontkit";
import { kzDate } from "../domain/time.js";
import { fillTemplate } from "../lib/csv.js";
import { NUMBER_T, SHARE_T, T, t, VERDICT_T, type Lang } from "./i18n.js";
import type { VerdictState } from "./pages/verdict.js";
import { fontForText, hasEveryCharacter, wrap, type CertificateFonts, type PrintableCertificate } from "./pdf.js";
import { encodePng } from "./png.js";
import { QR_MARGIN, qrModules } from "./qr.js";
import { Path, Raster, type Rgb } from "./raster.js";
import { formatNumber } from "./reports/numbers.js";

export const SHARE_IMAGE = { width: 1200, height: 630 } as const;

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [26, 26, 26];
const MUTED: Rgb = [84, 84, 84];
/** The PDF's dark blue (src/http/pdf.ts ACCENT): the frame and the bar's name. */
const ACCENT: Rgb = [28, 59, 107];

/** The banner's colours (public/styles.css: --ok, --bad, --revoked, --expired, --unchecked). */
export const STATE_COLOURS: Record<VerdictState, Rgb> = {
  genuine: [0x0a, 0x6b, 0x2d],
  "not-genuine": [0xa3, 0x12, 0x1b],
  revoked: [0x9a, 0x4a, 0x00],
  suspended: [0x9a, 0x4a, 0x00],
  expired: [0x6b, 0x5a, 0x2e],
  unchecked: [0x4a, 0x4a, 0x4a],
};

/** The image's parts, in pixels: the band across the top, the text column on the left, the QR column on the right. */
const FRAME = 16;
const BAND = { top: 36, height: 68 };
const LEFT = 64;
const QR_COLUMN = { left: 880, width: 264, top: 134 };
const TEXT_WIDTH = QR_COLUMN.left - 40 - LEFT;
const BOTTOM = 590;

/** A font parsed once per file: layout and outlines keep no state between images (unlike pdf-lib's subsetting). */
const parsed = new WeakMap<Uint8Array, Face>();

/** How many laid-out texts a font keeps: an image lays out a few dozen words and lines, many the same as the last. */
const LAYOUT_CACHE = 2000;

/** A parsed font, its layouts kept (fontkit's layout is the costliest step, and it does not depend on the size). */
class Face {
  private readonly layouts = new Map<string, GlyphRun>();

  private constructor(readonly font: Font) {}

  layout(text: string): GlyphRun {
    let run = this.layouts.get(text);
    if (!run) {
      if (this.layouts.size >= LAYOUT_CACHE) this.layouts.clear();
      this.layouts.set(text, (run = this.font.layout(text)));
    }
    return run;
  }

  static of(bytes: Uint8Array): Face {
    let face = parsed.get(bytes);
    if (!face) parsed.set(bytes, (face = new Face(fontkit.create(bytes))));
    return face;
  }

  at(size: number): Sized {
    return new Sized(this, size);
  }
}

interface PathCommand {
  command: "moveTo" | "lineTo" | "quadraticCurveTo" | "bezierCurveTo" | "closePath";
  args: number[];
}

/** A font at a size in pixels: measures (for pdf.ts's wrap) and draws text into a Path. */
class Sized {
  private readonly scale: number;

  constructor(
    readonly face: Face,
    readonly size: number,
  ) {
    this.scale = size / face.font.unitsPerEm;
  }

  /** pdf.ts's wrap measures with this; `size` is always this face's own. */
  widthOfTextAtSize(text: string): number {
    return this.face.layout(text).positions.reduce((n, p) => n + p.xAdvance, 0) * this.scale;
  }

  wrap(text: string, width: number, maxLines: number): string[] {
    const lines = wrap(this, text, this.size, width);
    if (lines.length <= maxLines) return lines;
    // Cut after the last line that fits, with an ellipsis: a preview is a glance, the page has the whole text.
    let last = `${lines[maxLines - 1]!} ${lines[maxLines]!}`;
    while (last.length > 1 && this.widthOfTextAtSize(`${last}…`) > width) last = last.slice(0, -1).trimEnd();
    return [...lines.slice(0, maxLines - 1), `${last}…`];
  }

  /** Adds `text`'s outlines to `path`, its baseline starting at (x, baseline). */
  draw(path: Path, text: string, x: number, baseline: number): void {
    const run = this.face.layout(text);
    const k = this.scale;
    let pen = 0;
    run.glyphs.forEach((glyph, i) => {
      const pos = run.positions[i]!;
      const ox = x + (pen + pos.xOffset) * k;
      const oy = baseline - pos.yOffset * k;
      const X = (v: number) => ox + v * k;
      const Y = (v: number) => oy - v * k; // font units point up, pixels down
      for (const { command, args: a } of (glyph.path as unknown as { commands: PathCommand[] }).commands) {
        if (command === "moveTo") path.moveTo(X(a[0]!), Y(a[1]!));
        else if (command === "lineTo") path.lineTo(X(a[0]!), Y(a[1]!));
        else if (command === "quadraticCurveTo") path.quadTo(X(a[0]!), Y(a[1]!), X(a[2]!), Y(a[3]!));
        else if (command === "bezierCurveTo") path.cubicTo(X(a[0]!), Y(a[1]!), X(a[2]!), Y(a[3]!), X(a[4]!), Y(a[5]!));
        else path.close();
      }
      pen += pos.xAdvance;
    });
  }
}

/** The state's line in the band: the page's banner word, with the date of a revocation. */
function bandLine(state: VerdictState, c: PrintableCertificate): string {
  const { lang } = c;
  switch (state) {
    case "genuine":
      return `✔ ${t(T.genuine, lang)}`;
    case "not-genuine":
      return `✘ ${t(T.notGenuine, lang)}`;
    case "revoked":
      return c.lapse?.state === "revoked" && c.lapse.at ? fillTemplate(t(VERDICT_T.stampRevokedOn, lang), { date: kzDate(c.lapse.at) }) : t(VERDICT_T.revoked, lang);
    case "suspended":
      return t(VERDICT_T.stampSuspendedLine, lang);
    case "expired":
      return c.summary.validUntil ? `${t(VERDICT_T.expired, lang)}. ${fillTemplate(t(VERDICT_T.expiredOn, lang), { date: kzDate(c.summary.validUntil) })}` : t(VERDICT_T.expired, lang);
    case "unchecked":
      return t(VERDICT_T.unchecked, lang);
  }
}

/** The word stamped across a certificate that does not count (the PDF's stamp), none on a genuine or unchecked one. */
function stampWord(state: VerdictState, lang: Lang): string | null {
  if (state === "revoked") return t(VERDICT_T.stampRevoked, lang);
  if (state === "suspended") return t(VERDICT_T.stampSuspended, lang);
  if (state === "expired") return t(SHARE_T.stampExpired, lang);
  if (state === "not-genuine") return t(SHARE_T.stampNotGenuine, lang);
  return null;
}

/** The largest size from `sizes` at which `text` wraps to at most `maxLines` lines of `width`, else the smallest. */
function fitting(face: Face, text: string, sizes: readonly number[], width: number, maxLines: number): Sized {
  for (const size of sizes) {
    const sized = face.at(size);
    if (wrap(sized, text, size, width).length <= maxLines) return sized;
  }
  return face.at(sizes[sizes.length - 1]!);
}

/** The sharing image of `c` in its language, stamped for `state` (certificateToPrint's, src/http/printable-certificate.ts). */
export async function renderShareImage(c: PrintableCertificate, state: VerdictState, fonts: CertificateFonts): Promise<Uint8Array> {
  const { lang, summary: s } = c;
  const { width, height } = SHARE_IMAGE;
  const raster = new Raster(width, height, WHITE);
  const colour = STATE_COLOURS[state];
  // A failed credential's claims are nobody's word: as on the page's banner, its name, topic and hours are not shown.
  const facts = state !== "not-genuine";
  const heading = t(T.certificate, lang).toUpperCase();
  const band = bandLine(state, c);
  const stamp = stampWord(state, lang);
  const labels = [t(T.hours, lang), t(T.organiser, lang), t(T.issued, lang), t(NUMBER_T.number, lang), heading, band, stamp ?? ""].join(" ");
  const regularText = [labels, c.barName, s.topic, s.issuer.name, s.participant.name].join(" ");
  const regular = Face.of(fontForText(regularText, fonts));
  const boldText = [band, c.barName, s.participant.name, c.number, t(T.hours, lang), formatNumber(s.academicHours, lang, 1), stamp ?? ""].join(" ");
  // A name with a letter beyond the bold cut is drawn in the regular weight, as on the PDF.
  const bold = hasEveryCharacter(fonts.bold, boldText) ? Face.of(fonts.bold) : regular;

  // The frame, as on the PDF: a heavy line and a fine one inside it.
  raster.strokeRect(FRAME, FRAME, width - 2 * FRAME, height - 2 * FRAME, 4, ACCENT);
  raster.strokeRect(FRAME + 8, FRAME + 8, width - 2 * FRAME - 16, height - 2 * FRAME - 16, 1.5, ACCENT);

  // The band: the state in the banner's colour and words, white on it.
  const bandLeft = FRAME + 20;
  const bandWidth = width - 2 * bandLeft;
  raster.fillRect(bandLeft, BAND.top, bandWidth, BAND.height, colour);
  const bandFace = fitting(bold, band, [30, 27, 24, 21, 18], bandWidth - 48, 1);
  const bandPath = new Path();
  const bandText = bandFace.wrap(band, bandWidth - 48, 1)[0]!;
  bandFace.draw(bandPath, bandText, bandLeft + 24, BAND.top + BAND.height / 2 + bandFace.size * 0.36);
  raster.fill(bandPath, WHITE);

  // The text column, top down: who vouches (the bar), what it is; then whose, what, how much, by whom, when, that
  // block moved down by a third of the height left, so a short name and topic do not leave the bottom empty.
  const placed: { face: Sized; text: string; rgb: Rgb; y: number; block: "header" | "facts" }[] = [];
  let y = BAND.top + BAND.height + 12;
  const lines = (block: "header" | "facts", face: Sized, text: string, maxLines: number, rgb: Rgb, gapAfter = 0) => {
    for (const line of face.wrap(text, TEXT_WIDTH, maxLines)) {
      y += face.size * 1.22;
      if (y > BOTTOM) return;
      placed.push({ face, text: line, rgb, y, block });
    }
    y += gapAfter;
  };
  lines("header", bold.at(22), c.barName, 1, ACCENT, 2);
  lines("header", regular.at(17), heading, 1, MUTED, 14);
  if (facts) {
    lines("facts", fitting(bold, s.participant.name, [60, 54, 48, 42, 36], TEXT_WIDTH, 2), s.participant.name, 2, INK, 18);
    lines("facts", regular.at(28), s.topic, 2, INK, 14);
    lines("facts", bold.at(26), `${t(T.hours, lang)}: ${formatNumber(s.academicHours, lang, 1)}`, 1, ACCENT, 10);
    lines("facts", regular.at(21), `${t(T.organiser, lang)}: ${s.issuer.name}`, 2, MUTED, 2);
    lines("facts", regular.at(21), `${t(T.issued, lang)}: ${kzDate(s.validFrom)}`, 1, MUTED);
  }
  const shift = Math.max(0, (BOTTOM - 10 - y) / 3);
  const ink = new Map<Rgb, Path>();
  for (const l of placed) {
    const path = ink.get(l.rgb) ?? ink.set(l.rgb, new Path()).get(l.rgb)!;
    l.face.draw(path, l.text, LEFT, l.block === "facts" ? l.y + shift : l.y);
  }
  for (const [rgb, path] of ink) raster.fill(path, rgb);

  // The stamp over the text column, diagonal and translucent as on the PDF, so the text beneath stays legible.
  if (stamp) drawStamp(raster, bold, stamp, colour);

  // The QR code last, on its own white ground, so nothing drawn before can make it unreadable; the number under it.
  const qr = qrModules(c.url);
  const side = qr.size + 2 * QR_MARGIN;
  const cell = Math.floor(QR_COLUMN.width / side);
  const qrSide = cell * side;
  const qrLeft = QR_COLUMN.left + Math.floor((QR_COLUMN.width - qrSide) / 2);
  raster.fillRect(qrLeft, QR_COLUMN.top, qrSide, qrSide, WHITE);
  const modules = new Path();
  for (let row = 0; row < qr.size; row++) {
    for (let col = 0; col < qr.size; ) {
      if (!qr.dark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < qr.size && qr.dark(row, col)) col++;
      modules.rect(qrLeft + (start + QR_MARGIN) * cell, QR_COLUMN.top + (row + QR_MARGIN) * cell, (col - start) * cell, cell);
    }
  }
  raster.fill(modules, [0, 0, 0]);
  const centre = QR_COLUMN.left + QR_COLUMN.width / 2;
  const caption = new Path();
  const label = regular.at(16);
  const labelText = label.wrap(t(NUMBER_T.number, lang), QR_COLUMN.width, 1)[0]!;
  label.draw(caption, labelText, centre - label.widthOfTextAtSize(labelText) / 2, QR_COLUMN.top + qrSide + 30);
  raster.fill(caption, MUTED);
  const number = new Path();
  const numberFace = fitting(bold, c.number, [28, 24, 20], QR_COLUMN.width, 1);
  numberFace.draw(number, c.number, centre - numberFace.widthOfTextAtSize(c.number) / 2, QR_COLUMN.top + qrSide + 66);
  raster.fill(number, INK);

  return encodePng({ width, height, format: "rgb8", pixels: raster.pixels });
}

/** The stamp's word in a frame, turned along the text column's diagonal, as large as fits in the column. */
function drawStamp(raster: Raster, face: Face, word: string, colour: Rgb): void {
  const area = { left: FRAME + 24, top: BAND.top + BAND.height + 8, right: QR_COLUMN.left - 16, bottom: SHARE_IMAGE.height - FRAME - 24 };
  const w = area.right - area.left;
  const h = area.bottom - area.top;
  const angle = -Math.atan2(h, w); // rising to the right
  // The frame's half-width and half-height per pixel of size (the word, DejaVu's cap height 0.73, a pad of 0.25 each
  // side): the size is the largest at which the turned frame stays inside the column, at most 120 px.
  const halfWidth = face.at(1).widthOfTextAtSize(word) / 2 + 0.25;
  const halfHeight = 0.73 / 2 + 0.25;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const size = Math.min(120, w / 2 / (halfWidth * Math.abs(cos) + halfHeight * Math.abs(sin)), h / 2 / (halfWidth * Math.abs(sin) + halfHeight * Math.abs(cos)));
  const sized = face.at(size);
  const textWidth = sized.widthOfTextAtSize(word);
  const capHeight = size * 0.73;
  const pad = size * 0.25;
  // Drawn level about the origin, then turned and moved to the column's centre.
  const text = new Path();
  sized.draw(text, word, -textWidth / 2, capHeight / 2);
  const frame = new Path();
  const fw = textWidth / 2 + pad;
  const fh = capHeight / 2 + pad;
  const stroke = Math.max(4, size * 0.06);
  frame.rect(-fw, -fh, 2 * fw, 2 * fh);
  // The inner contour wound the other way: the non-zero rule leaves it empty, a frame.
  frame.moveTo(-fw + stroke, -fh + stroke);
  frame.lineTo(-fw + stroke, fh - stroke);
  frame.lineTo(fw - stroke, fh - stroke);
  frame.lineTo(fw - stroke, -fh + stroke);
  frame.close();
  const cx = (area.left + area.right) / 2;
  const cy = (area.top + area.bottom) / 2;
  for (const p of [text, frame]) {
    p.close();
    const l = p.lines;
    for (let i = 0; i < l.length; i += 2) {
      const x = l[i]!;
      const y = l[i + 1]!;
      l[i] = cx + x * cos - y * sin;
      l[i + 1] = cy + x * sin + y * cos;
    }
  }
  raster.fill(frame, colour, 0.55);
  raster.fill(text, colour, 0.4);
}
