/**
 * The printable certificate (7.5, the paper form): one A4 page drawn on the server with pdf-lib, text in an embedded
 * font that has every Kazakh letter (ә ғ қ ң ө ұ ү һ і), and a vector QR code of the certificate's URL.
 * The fonts' bytes are passed in (see AppOptions.loadFonts): Node reads them from assets/fonts, Workers import them.
 */
import fontkit from "@pdf-lib/fontkit";
import { degrees, drawSvgPath as svgPathOperators, fill, PDFDocument, PDFOperator, PDFOperatorNames, popGraphicsState, pushGraphicsState, rectangle, rgb, setFillingRgbColor, type Color, type PDFFont, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import type { AttestationSummary } from "../credentials/checks.js";
import type { CertificateSummary } from "../credentials/verify.js";
import { kzDate, kzDateTime } from "../domain/time.js";
import { parseSafeSvg, type LogoMediaType } from "../domain/party-logo.js";
import { ATTESTATION_T, BK, NUMBER_T, T, t, VERDICT_T, type Lang } from "./i18n.js";
import { fillTemplate } from "../lib/csv.js";
import { formatNumber } from "./reports/numbers.js";

export interface PrintableCertificate {
  lang: Lang;
  id: string;
  url: string;
  verified: boolean;
  summary: CertificateSummary;
  /** The bar whose accreditation the certificate was issued under, in the page's language. */
  barName: string;
  coOrganiserName: string | null;
  participantBarName: string | null;
  programmeName: string;
  formName: string;
  deliveryName: string;
  /**
   * 7.5: the participant's own survey link, printed only on the copy made for them (GET /c/{id}.pdf?survey=<their
   * token>); the public PDF has none.
   */
  surveyUrl?: string | null;
  /**
   * Issue 16: a certificate that no longer counts is stamped on every page, so a paper copy cannot pass for a valid
   * one: revoked (with the date, when known) or suspended.
   */
  lapse?: { state: "revoked"; at: string | null } | { state: "suspended" } | null;
  /** Issue 16: the human number (src/domain/certificate-number.ts), printed under the QR code. */
  number: string;
  /** Issue 16: the organiser's logo (PUT /api/parties/{id}/logo), drawn in the header; checked when it was stored. */
  logo?: { mediaType: LogoMediaType; bytes: Uint8Array } | null;
}

/** DejaVu Sans three times over (see AppOptions.loadFonts). */
export interface CertificateFonts {
  /**
   * Cut to Latin, Cyrillic with every Kazakh letter, and the signs the catalogues print (tools/subset-font.sh): what
   * nearly every certificate needs, and pdf-lib lays out and subsets it several times faster than the whole font.
   */
  common: Uint8Array;
  /** The whole font, for a name, topic or place with a letter the common cut lacks. */
  full: Uint8Array;
  /**
   * Issue 16: DejaVu Sans Bold cut to the same letters (tools/subset-font.sh), for the participant's name and the
   * headings. A name with a letter beyond it is drawn in the regular weight (of the whole font if need be): a lighter
   * name is better than a missing letter, and the whole bold font would add 700 KB to every Worker.
   */
  bold: Uint8Array;
}

// Code points per font file, parsed once: a Set of numbers is immutable, unlike a parsed fontkit font (see below).
const characterSets = new WeakMap<Uint8Array, Set<number>>();

export function hasEveryCharacter(fontBytes: Uint8Array, text: string): boolean {
  let set = characterSets.get(fontBytes);
  if (!set) characterSets.set(fontBytes, (set = new Set(fontkit.create(fontBytes).characterSet)));
  for (const ch of text) if (!set.has(ch.codePointAt(0)!)) return false;
  return true;
}

/**
 * The common cut when it can draw every character of `text` (a document's values), else the whole font. The
 * catalogues' own texts are in the common cut (test/pdf.test.ts checks every one), so only the values decide.
 */
export function fontForText(text: string, fonts: CertificateFonts): Uint8Array {
  return hasEveryCharacter(fonts.common, text) ? fonts.common : fonts.full;
}

export const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.33, 0.33, 0.33);
/** Issue 16: the frame, the headings and the rules: a dark blue, apart from the stamp's orange and a forgery's red. */
const ACCENT = rgb(0.11, 0.23, 0.42);
/** The logo's box in the header (points, about 2.2 cm): large enough to recognise, small beside the bar's name. */
const LOGO_BOX = 62;
/** The stamp of a certificate that no longer counts: the page's dark orange for a revocation, not a forgery's red. */
const STAMP = rgb(0.6, 0.29, 0);

/**
 * Wraps text to lines no wider than `width` at `size` (words; over-long words are cut). Each word is measured once and
 * lines are summed from the words and spaces: fontkit's layout is the PDF's main cost, and re-measuring every candidate
 * line made wrapping quadratic. The sum can differ from the measured line only by kerning at a space, a fraction of a
 * point against a 56-point margin.
 */
export function wrap(font: Pick<PDFFont, "widthOfTextAtSize">, text: string, size: number, width: number): string[] {
  const measure = (s: string) => font.widthOfTextAtSize(s, size);
  const space = measure(" ");
  const lines: string[] = [];
  let line = "";
  let lineWidth = 0;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const wordWidth = measure(word);
    if (line && lineWidth + space + wordWidth <= width) {
      line += ` ${word}`;
      lineWidth += space + wordWidth;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    lineWidth = wordWidth;
    while (lineWidth > width && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && measure(line.slice(0, cut)) > width) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
      lineWidth = measure(line);
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

/**
 * Draws the QR code's dark modules as one filled path (sharp at any print size, no image decoder needed), each run of
 * dark modules in a row as one rectangle: one `re` operator per run instead of a drawRectangle call, with its own
 * graphics state, per module. Exported for test/qr-readability.test.ts.
 */
export function drawQr(page: PDFPage, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + 2 * quiet);
  page.drawRectangle({ x, y, width: size, height: size, color: rgb(1, 1, 1) });
  const path: PDFOperator[] = [];
  for (let row = 0; row < n; row++) {
    const bottom = y + size - (row + quiet + 1) * cell;
    for (let col = 0; col < n; ) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && qr.modules.get(row, col)) col++;
      path.push(rectangle(x + (start + quiet) * cell, bottom, (col - start) * cell, cell));
    }
  }
  page.pushOperators(pushGraphicsState(), setFillingRgbColor(0, 0, 0), ...path, fill(), popGraphicsState());
}

/** `#rrggbb` (as src/domain/party-logo.ts normalises every SVG colour) as a PDF colour. */
const hexColour = (hex: string): Color => rgb(parseInt(hex.slice(1, 3), 16) / 255, parseInt(hex.slice(3, 5), 16) / 255, parseInt(hex.slice(5, 7), 16) / 255);

/**
 * One A4 page of a signed document on paper (a certificate, an annual attestation): centred heading lines, a table of
 * labelled values, and at the foot the QR code of the document's URL beside the words to scan it. Both documents
 * share this layout, so they read alike and a change to the frame is made once.
 */
class CredentialSheet {
  readonly width = A4[0] - 2 * MARGIN;
  private y = A4[1] - MARGIN;

  private constructor(
    readonly doc: PDFDocument,
    readonly page: PDFPage,
    readonly font: PDFFont,
    /** The bold cut, or the regular font when `boldText` has a letter the cut lacks. */
    readonly bold: PDFFont,
  ) {}

  static async open(o: { lang: Lang; title: string; author: string; url: string; fontText: string; boldText: string; fonts: CertificateFonts }): Promise<CredentialSheet> {
    const doc = await PDFDocument.create();
    // A fresh parse per document: a parsed fontkit font keeps per-subset state, and sharing it between documents
    // dropped glyphs from later PDFs (test/pdf.test.ts caught it).
    doc.registerFontkit(fontkit);
    // Subset: only the glyphs used are embedded, so the file stays small whatever the font's size.
    const font = await doc.embedFont(fontForText(o.fontText, o.fonts), { subset: true });
    const bold = hasEveryCharacter(o.fonts.bold, o.boldText) ? await doc.embedFont(o.fonts.bold, { subset: true }) : font;
    doc.setTitle(o.title);
    doc.setAuthor(o.author);
    doc.setSubject(o.url);
    doc.setLanguage(o.lang);
    doc.setProducer("Senim");
    doc.setCreator("Senim");
    const sheet = new CredentialSheet(doc, doc.addPage(A4), font, bold);
    sheet.frame();
    return sheet;
  }

  /** Issue 16: a double frame around the page, so the sheet reads as a document and a cut-down copy shows. */
  private frame(): void {
    const [w, h] = A4;
    for (const [inset, thickness] of [[24, 1.6], [29, 0.5]] as const) {
      this.page.drawRectangle({ x: inset, y: inset, width: w - 2 * inset, height: h - 2 * inset, borderColor: ACCENT, borderWidth: thickness, opacity: 0 });
    }
  }

  /**
   * Issue 16: the header: the organiser's logo at the left when it has one, and the names beside it, centred on the
   * page (the text keeps clear of the logo on both sides, so centring stays true); then a rule.
   */
  async header(logo: PrintableCertificate["logo"], lines: readonly { text: string; size: number; bold?: boolean; color?: Color }[]): Promise<void> {
    const top = this.y;
    const inset = logo ? LOGO_BOX + 12 : 0;
    // A logo was checked when it was stored; should one still fail to draw (a rule tightened since), the certificate
    // prints without it rather than not at all.
    if (logo) await this.drawLogo(logo, MARGIN, top - LOGO_BOX, LOGO_BOX).catch(() => undefined);
    for (const l of lines) this.centred(l.text, l.size, l.color ?? INK, l.bold ? this.bold : this.font, inset);
    if (logo) this.y = Math.min(this.y, top - LOGO_BOX);
    this.gap(8);
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + this.width, y: this.y }, thickness: 1.2, color: ACCENT });
  }

  /** The logo scaled into a `box`-point square at (x, y) (its lower left corner), centred in it. */
  private async drawLogo(logo: NonNullable<PrintableCertificate["logo"]>, x: number, y: number, box: number): Promise<void> {
    if (logo.mediaType === "image/png") {
      const image = await this.doc.embedPng(logo.bytes);
      const { width, height } = image.scaleToFit(box, box);
      this.page.drawImage(image, { x: x + (box - width) / 2, y: y + (box - height) / 2, width, height });
      return;
    }
    // The safe subset only (src/domain/party-logo.ts): paths with plain colours, drawn as vectors.
    const svg = parseSafeSvg(logo.bytes);
    const [minX, minY, vw, vh] = svg.viewBox;
    const scale = Math.min(box / vw, box / vh);
    // drawSvgPath puts the path's origin at (x, y) with SVG's y axis pointing down: the viewBox's top left corner
    // goes to the box's top left, centred.
    const left = x + (box - vw * scale) / 2 - minX * scale;
    const top = y + box - (box - vh * scale) / 2 + minY * scale;
    for (const p of svg.paths) {
      const ops = svgPathOperators(p.d, {
        x: left,
        y: top,
        scale,
        color: p.fill ? hexColour(p.fill) : undefined,
        borderColor: p.stroke ? hexColour(p.stroke) : undefined,
        borderWidth: p.stroke ? p.strokeWidth * scale : 0,
      });
      // pdf-lib paints with the nonzero rule; a path that asks for evenodd gets PDF's own even-odd operators.
      const evenOdd = (op: PDFOperator) => (op.toString() === "f" ? PDFOperator.of(PDFOperatorNames.FillEvenOdd) : op.toString() === "B" ? PDFOperator.of(PDFOperatorNames.FillEvenOddAndStroke) : op);
      this.page.pushOperators(...(p.evenOdd ? ops.map(evenOdd) : ops));
    }
  }

  gap(points: number): void {
    this.y -= points;
  }

  /** Centred lines; `inset` keeps them that far from both edges (clear of the header's logo). */
  centred(value: string, size: number, color: Color = INK, font = this.font, inset = 0): void {
    const width = this.width - 2 * inset;
    for (const line of wrap(font, value, size, width)) {
      this.y -= size * 1.3;
      this.page.drawText(line, { x: MARGIN + inset + (width - font.widthOfTextAtSize(line, size)) / 2, y: this.y, size, font, color });
    }
  }

  rule(): void {
    this.gap(8);
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + this.width, y: this.y }, thickness: 0.7, color: ACCENT });
    this.gap(6);
  }

  /** Label on the left, the value wrapped beside it. */
  rows(rows: readonly [string, string][]): void {
    const labelWidth = 150;
    for (const [label, value] of rows) {
      this.page.drawText(label, { x: MARGIN, y: this.y - 11 * 1.25, size: 9, font: this.font, color: MUTED });
      for (const line of wrap(this.font, value, 11, this.width - labelWidth)) {
        this.y -= 11 * 1.3;
        this.page.drawText(line, { x: MARGIN + labelWidth, y: this.y, size: 11, font: this.font, color: INK });
      }
      this.gap(5);
    }
  }

  /**
   * The QR code of `url` bottom right, with the document's number under it when it has one (its label above it), and
   * beside it paragraphs (the first muted: how to check the document, with the URL, printed once; then any the
   * document adds, such as the participant's own survey link), cut to fit.
   */
  foot(url: string, paragraphs: readonly { text: string; muted?: boolean; gapBefore?: number }[], caption?: { label: string; value: string }): void {
    const qrSize = 130;
    const qrX = MARGIN + this.width - qrSize;
    const qrY = MARGIN + (caption ? 24 : 0);
    drawQr(this.page, url, qrX, qrY, qrSize);
    if (caption) {
      const centre = (text: string, size: number, font: PDFFont) => qrX + (qrSize - font.widthOfTextAtSize(text, size)) / 2;
      this.page.drawText(caption.label, { x: centre(caption.label, 8, this.font), y: MARGIN + 13, size: 8, font: this.font, color: MUTED });
      this.page.drawText(caption.value, { x: centre(caption.value, 11, this.bold), y: MARGIN, size: 11, font: this.bold, color: INK });
    }
    this.y = qrY + qrSize;
    for (const p of paragraphs) {
      this.gap(p.gapBefore ?? 0);
      for (const line of wrap(this.font, p.text, 9, this.width - qrSize - 20)) {
        this.y -= 9 * 1.3;
        this.page.drawText(line, { x: MARGIN, y: this.y, size: 9, font: this.font, color: p.muted ? MUTED : INK });
      }
    }
  }

  /**
   * A stamp over every page: the word large and diagonal in a frame across the middle (it cannot be cut off or
   * overlooked, and the text beneath stays legible), and a band across the top with the word and its date.
   */
  stamp(word: string, line: string): void {
    const [w, h] = A4;
    const angle = Math.atan2(h, w);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    // As large as fits along 70 % of the diagonal, at most 90 points.
    const size = Math.min(90, (0.7 * Math.hypot(w, h)) / this.font.widthOfTextAtSize(word, 1));
    const textWidth = this.font.widthOfTextAtSize(word, size);
    const textHeight = size * 0.72; // DejaVu's cap height
    const pad = size * 0.25;
    // The point from which the rotated word (and its frame) run so that their centre is the page's centre.
    const at = (dx: number, dy: number) => ({ x: w / 2 + dx * cos - dy * sin, y: h / 2 + dx * sin + dy * cos });
    const lines = wrap(this.font, line, 11, w - 2 * MARGIN);
    const bandHeight = 12 + lines.length * 11 * 1.3;
    for (const page of this.doc.getPages()) {
      const frame = at(-textWidth / 2 - pad, -textHeight / 2 - pad);
      page.drawRectangle({ ...frame, width: textWidth + 2 * pad, height: textHeight + 2 * pad, rotate: degrees((angle * 180) / Math.PI), borderColor: STAMP, borderWidth: 5, borderOpacity: 0.45, opacity: 0 });
      page.drawText(word, { ...at(-textWidth / 2, -textHeight / 2), size, font: this.font, color: STAMP, opacity: 0.35, rotate: degrees((angle * 180) / Math.PI) });
      // The band sits in the top margin, above every line the sheet draws.
      page.drawRectangle({ x: 0, y: h - bandHeight - 8, width: w, height: bandHeight, color: STAMP });
      lines.forEach((l, i) => page.drawText(l, { x: MARGIN, y: h - 8 - 6 - (i + 1) * 11 * 1.3 + 3, size: 11, font: this.font, color: rgb(1, 1, 1) }));
    }
  }

  /** The red line of a document that does not verify today. */
  notGenuine(text: string): void {
    this.gap(20);
    this.page.drawText(`✘ ${text}`, { x: MARGIN, y: this.y, size: 12, font: this.font, color: rgb(0.64, 0.07, 0.1) });
  }

  save(): Promise<Uint8Array> {
    return this.doc.save();
  }
}

export async function renderCertificatePdf(c: PrintableCertificate, fonts: CertificateFonts): Promise<Uint8Array> {
  const { lang, summary: s } = c;
  const heading = t(T.certificate, lang).toUpperCase();
  const sheet = await CredentialSheet.open({
    lang,
    title: `${t(T.certificate, lang)} — ${s.topic}`,
    author: s.issuer.name,
    url: c.url,
    fontText: JSON.stringify({ ...c, logo: undefined }),
    boldText: [c.barName, s.participant.name, heading, c.number].join(""),
    fonts,
  });
  // Issue 16: who stands behind the paper first (the bar whose accreditation it was issued under, the organiser and
  // its logo), then what it is, then whose it is, largest of all.
  await sheet.header(c.logo, [
    { text: c.barName, size: 13, bold: true, color: ACCENT },
    { text: s.issuer.name, size: 11 },
    ...(c.coOrganiserName && c.coOrganiserName !== c.barName ? [{ text: `${t(T.coOrganiser, lang)}: ${c.coOrganiserName}`, size: 9, color: MUTED }] : []),
  ]);
  sheet.gap(30);
  sheet.centred(heading, 21, ACCENT, sheet.bold);
  sheet.gap(26);
  sheet.centred(s.participant.name, 28, INK, sheet.bold);
  sheet.gap(4); // clear of the large name's descenders
  if (c.participantBarName) sheet.centred(c.participantBarName, 10, MUTED);
  sheet.gap(10);
  sheet.rule();

  const start = kzDateTime(s.eventStart);
  const end = kzDateTime(s.eventEnd);
  const period = start.slice(0, 10) === end.slice(0, 10) ? `${start} – ${end.slice(11)}` : `${start} – ${end}`;
  sheet.rows([
    [t(T.organiser, lang), s.issuer.name],
    [t(T.topic, lang), s.topic],
    [t(T.programme, lang), c.programmeName],
    [t(T.form, lang), `${c.formName}, ${c.deliveryName}`],
    [t(T.hours, lang), `${formatNumber(s.academicHours, lang, 1)} (${t(T.hoursNote, lang)})`],
    [t(T.dates, lang), period],
    [t(T.place, lang), s.venue],
    ...(s.trainers.length ? [[t(T.trainers, lang), s.trainers.join(", ")] as [string, string]] : []),
    [t(T.role, lang), t(s.participant.role === "teacher" ? T.roleTeacher : T.roleAttendee, lang)],
    ...(s.participant.licenceHint ? [[t(T.licence, lang), s.participant.licenceHint] as [string, string]] : []),
    [t(T.issued, lang), kzDate(s.validFrom)],
    ...(s.validUntil ? [[t(T.validUntil, lang), kzDate(s.validUntil)] as [string, string]] : []),
  ]);
  sheet.foot(
    c.url,
    [
      { text: `${t(T.scan, lang)}: ${c.url}`, muted: true },
      // The survey URL is cut anywhere it must be, so it fits beside the QR code; a reader types it as printed.
      ...(c.surveyUrl ? [{ text: `${t(BK.surveyOnPdf, lang)}:`, gapBefore: 10 }, { text: c.surveyUrl }] : []),
    ],
    { label: t(NUMBER_T.number, lang), value: c.number },
  );
  if (c.lapse?.state === "revoked") {
    const line = c.lapse.at ? fillTemplate(t(VERDICT_T.stampRevokedOn, lang), { date: kzDate(c.lapse.at) }) : t(VERDICT_T.stampRevoked, lang);
    sheet.stamp(t(VERDICT_T.stampRevoked, lang), line);
  } else if (c.lapse?.state === "suspended") sheet.stamp(t(VERDICT_T.stampSuspended, lang), t(VERDICT_T.stampSuspendedLine, lang));
  else if (!c.verified) sheet.notGenuine(t(T.notGenuine, lang));
  return sheet.save();
}

/** A bar's annual attestation on paper (12.1, 12.2): printed from the verified credential, with its QR code. */
export interface PrintableAttestation {
  lang: Lang;
  id: string;
  url: string;
  verified: boolean;
  attestation: AttestationSummary;
  /** The bar in the page's language. */
  barName: string;
}

export async function renderAttestationPdf(c: PrintableAttestation, fonts: CertificateFonts): Promise<Uint8Array> {
  const { lang, attestation: a } = c;
  const A = ATTESTATION_T;
  const heading = t(A.title, lang).toUpperCase();
  const sheet = await CredentialSheet.open({ lang, title: `${t(A.title, lang)} — ${c.barName}, ${a.year}`, author: c.barName, url: c.url, fontText: JSON.stringify(c), boldText: [c.barName, heading, a.participant.name].join(""), fonts });
  await sheet.header(null, [{ text: c.barName, size: 13, bold: true, color: ACCENT }]);
  sheet.gap(24);
  sheet.centred(heading, 20, ACCENT, sheet.bold);
  sheet.centred(`№ ${c.id}`, 10, MUTED);
  sheet.gap(18);
  sheet.centred(a.participant.name, 24, INK, sheet.bold);
  sheet.gap(8);
  sheet.centred(t(A.statement, lang), 10, MUTED);
  sheet.rule();
  sheet.rows([
    [t(A.bar, lang), c.barName],
    [t(A.year, lang), String(a.year)],
    [t(A.required, lang), formatNumber(a.requiredHours, lang, 1)],
    [t(A.verified, lang), `${formatNumber(a.verifiedHours, lang, 1)} (${t(T.hoursNote, lang)})`],
    ...(a.participant.licenceHint ? [[t(A.licence, lang), a.participant.licenceHint] as [string, string]] : []),
    [t(A.closedOn, lang), a.closedOn],
    [t(A.digest, lang), a.closingDigest],
    [t(A.issued, lang), kzDate(a.validFrom)],
  ]);
  sheet.foot(c.url, [{ text: `${t(A.scan, lang)}: ${c.url}`, muted: true }]);
  if (!c.verified) sheet.notGenuine(t(A.notGenuine, lang));
  return sheet.save();
}
