/**
 * The printable certificate (7.5, the paper form): one A4 page drawn on the server with pdf-lib, text in an embedded
 * font that has every Kazakh letter (ә ғ қ ң ө ұ ү һ і), and a vector QR code of the certificate's URL.
 * The fonts' bytes are passed in (see AppOptions.loadFonts): Node reads them from assets/fonts, Workers import them.
 */
import fontkit from "@pdf-lib/fontkit";
import { fill, PDFDocument, popGraphicsState, pushGraphicsState, rectangle, rgb, setFillingRgbColor, type PDFFont, type PDFOperator, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import type { AttestationSummary } from "../credentials/checks.js";
import type { CertificateSummary } from "../credentials/verify.js";
import { kzDate, kzDateTime } from "../domain/time.js";
import { ATTESTATION_T, BK, T, t, type Lang } from "./i18n.js";

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
}

/** DejaVu Sans twice over (see AppOptions.loadFonts). */
export interface CertificateFonts {
  /**
   * Cut to Latin, Cyrillic with every Kazakh letter, and the signs the catalogues print (tools/subset-font.sh): what
   * nearly every certificate needs, and pdf-lib lays out and subsets it several times faster than the whole font.
   */
  common: Uint8Array;
  /** The whole font, for a name, topic or place with a letter the common cut lacks. */
  full: Uint8Array;
}

// Code points per font file, parsed once: a Set of numbers is immutable, unlike a parsed fontkit font (see below).
const characterSets = new WeakMap<Uint8Array, Set<number>>();

function hasEveryCharacter(fontBytes: Uint8Array, text: string): boolean {
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

/**
 * Wraps text to lines no wider than `width` at `size` (words; over-long words are cut). Each word is measured once and
 * lines are summed from the words and spaces: fontkit's layout is the PDF's main cost, and re-measuring every candidate
 * line made wrapping quadratic. The sum can differ from the measured line only by kerning at a space, a fraction of a
 * point against a 56-point margin.
 */
export function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
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
  ) {}

  static async open(o: { lang: Lang; title: string; author: string; url: string; fontText: string; fonts: CertificateFonts }): Promise<CredentialSheet> {
    const doc = await PDFDocument.create();
    // A fresh parse per document: a parsed fontkit font keeps per-subset state, and sharing it between documents
    // dropped glyphs from later PDFs (test/pdf.test.ts caught it).
    doc.registerFontkit(fontkit);
    // Subset: only the glyphs used are embedded, so the file stays small whatever the font's size.
    const font = await doc.embedFont(fontForText(o.fontText, o.fonts), { subset: true });
    doc.setTitle(o.title);
    doc.setAuthor(o.author);
    doc.setSubject(o.url);
    doc.setLanguage(o.lang);
    doc.setProducer("Senim");
    doc.setCreator("Senim");
    return new CredentialSheet(doc, doc.addPage(A4), font);
  }

  gap(points: number): void {
    this.y -= points;
  }

  centred(value: string, size: number, color = INK): void {
    for (const line of wrap(this.font, value, size, this.width)) {
      this.y -= size * 1.3;
      this.page.drawText(line, { x: MARGIN + (this.width - this.font.widthOfTextAtSize(line, size)) / 2, y: this.y, size, font: this.font, color });
    }
  }

  rule(): void {
    this.gap(8);
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: MARGIN + this.width, y: this.y }, thickness: 0.7, color: MUTED });
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
   * The QR code of `url` bottom right with the URL under it, and beside it paragraphs (the first muted: how to check
   * the document; then any the document adds, such as the participant's own survey link), cut to fit.
   */
  foot(url: string, paragraphs: readonly { text: string; muted?: boolean; gapBefore?: number }[]): void {
    const qrSize = 130;
    drawQr(this.page, url, MARGIN + this.width - qrSize, MARGIN + 14, qrSize);
    this.page.drawText(url, { x: MARGIN + this.width - this.font.widthOfTextAtSize(url, 8), y: MARGIN, size: 8, font: this.font, color: MUTED });
    this.y = MARGIN + qrSize + 14;
    for (const p of paragraphs) {
      this.gap(p.gapBefore ?? 0);
      for (const line of wrap(this.font, p.text, 9, this.width - qrSize - 20)) {
        this.y -= 9 * 1.3;
        this.page.drawText(line, { x: MARGIN, y: this.y, size: 9, font: this.font, color: p.muted ? MUTED : INK });
      }
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
  const sheet = await CredentialSheet.open({ lang, title: `${t(T.certificate, lang)} — ${s.topic}`, author: s.issuer.name, url: c.url, fontText: JSON.stringify(c), fonts });
  sheet.centred(c.barName, 12, MUTED);
  if (c.coOrganiserName && c.coOrganiserName !== c.barName) sheet.centred(`${t(T.coOrganiser, lang)}: ${c.coOrganiserName}`, 10, MUTED);
  sheet.gap(18);
  sheet.centred(t(T.certificate, lang).toUpperCase(), 20);
  sheet.centred(`№ ${c.id}`, 10, MUTED);
  sheet.gap(14);
  sheet.centred(s.participant.name, 18);
  if (c.participantBarName) sheet.centred(c.participantBarName, 10, MUTED);
  sheet.rule();

  const start = kzDateTime(s.eventStart);
  const end = kzDateTime(s.eventEnd);
  const period = start.slice(0, 10) === end.slice(0, 10) ? `${start} – ${end.slice(11)}` : `${start} – ${end}`;
  sheet.rows([
    [t(T.organiser, lang), s.issuer.name],
    [t(T.topic, lang), s.topic],
    [t(T.programme, lang), c.programmeName],
    [t(T.form, lang), `${c.formName}, ${c.deliveryName}`],
    [t(T.hours, lang), `${s.academicHours.toFixed(1)} (${t(T.hoursNote, lang)})`],
    [t(T.dates, lang), period],
    [t(T.place, lang), s.venue],
    ...(s.trainers.length ? [[t(T.trainers, lang), s.trainers.join(", ")] as [string, string]] : []),
    [t(T.role, lang), t(s.participant.role === "teacher" ? T.roleTeacher : T.roleAttendee, lang)],
    ...(s.participant.licenceHint ? [[t(T.licence, lang), s.participant.licenceHint] as [string, string]] : []),
    [t(T.issued, lang), kzDate(s.validFrom)],
    ...(s.validUntil ? [[t(T.validUntil, lang), kzDate(s.validUntil)] as [string, string]] : []),
  ]);
  sheet.foot(c.url, [
    { text: `${t(T.scan, lang)}: ${c.url}`, muted: true },
    // The survey URL is cut anywhere it must be, so it fits beside the QR code; a reader types it as printed.
    ...(c.surveyUrl ? [{ text: `${t(BK.surveyOnPdf, lang)}:`, gapBefore: 10 }, { text: c.surveyUrl }] : []),
  ]);
  if (!c.verified) sheet.notGenuine(t(T.notGenuine, lang));
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
  const sheet = await CredentialSheet.open({ lang, title: `${t(A.title, lang)} — ${c.barName}, ${a.year}`, author: c.barName, url: c.url, fontText: JSON.stringify(c), fonts });
  sheet.centred(c.barName, 12, MUTED);
  sheet.gap(18);
  sheet.centred(t(A.title, lang).toUpperCase(), 20);
  sheet.centred(`№ ${c.id}`, 10, MUTED);
  sheet.gap(14);
  sheet.centred(a.participant.name, 18);
  sheet.gap(8);
  sheet.centred(t(A.statement, lang), 10, MUTED);
  sheet.rule();
  sheet.rows([
    [t(A.bar, lang), c.barName],
    [t(A.year, lang), String(a.year)],
    [t(A.required, lang), a.requiredHours.toFixed(1)],
    [t(A.verified, lang), `${a.verifiedHours.toFixed(1)} (${t(T.hoursNote, lang)})`],
    ...(a.participant.licenceHint ? [[t(A.licence, lang), a.participant.licenceHint] as [string, string]] : []),
    [t(A.closedOn, lang), a.closedOn],
    [t(A.digest, lang), a.closingDigest],
    [t(A.issued, lang), kzDate(a.validFrom)],
  ]);
  sheet.foot(c.url, [{ text: `${t(A.scan, lang)}: ${c.url}`, muted: true }]);
  if (!c.verified) sheet.notGenuine(t(A.notGenuine, lang));
  return sheet.save();
}
