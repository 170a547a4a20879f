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
 * The common cut when it can draw every value of this certificate, else the whole font. The catalogues' own texts are
 * in the common cut (test/pdf.test.ts checks every one), so only the certificate's values decide.
 */
export function fontFor(c: PrintableCertificate, fonts: CertificateFonts): Uint8Array {
  return fontForText(JSON.stringify(c), fonts);
}

/** The common cut when it can draw every character of `text`, else the whole font (also the year's transcript's). */
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

export async function renderCertificatePdf(c: PrintableCertificate, fonts: CertificateFonts): Promise<Uint8Array> {
  const { lang, summary: s } = c;
  const doc = await PDFDocument.create();
  // A fresh parse per document: a parsed fontkit font keeps per-subset state, and sharing it between documents
  // dropped glyphs from later PDFs (test/pdf.test.ts caught it).
  doc.registerFontkit(fontkit);
  // Subset: only the glyphs used are embedded, so the file stays small whatever the font's size.
  const font = await doc.embedFont(fontFor(c, fonts), { subset: true });
  doc.setTitle(`${t(T.certificate, lang)} — ${s.topic}`);
  doc.setAuthor(s.issuer.name);
  doc.setSubject(c.url);
  doc.setLanguage(lang);
  doc.setProducer("Senim");
  doc.setCreator("Senim");
  const page = doc.addPage(A4);
  const width = A4[0] - 2 * MARGIN;
  let y = A4[1] - MARGIN;

  const centred = (value: string, size: number, color = INK) => {
    for (const line of wrap(font, value, size, width)) {
      y -= size * 1.3;
      page.drawText(line, { x: MARGIN + (width - font.widthOfTextAtSize(line, size)) / 2, y, size, font, color });
    }
  };

  centred(c.barName, 12, MUTED);
  if (c.coOrganiserName && c.coOrganiserName !== c.barName) centred(`${t(T.coOrganiser, lang)}: ${c.coOrganiserName}`, 10, MUTED);
  y -= 18;
  centred(t(T.certificate, lang).toUpperCase(), 20);
  centred(`№ ${c.id}`, 10, MUTED);
  y -= 14;
  centred(s.participant.name, 18);
  if (c.participantBarName) centred(c.participantBarName, 10, MUTED);
  y -= 8;
  page.drawLine({ start: { x: MARGIN, y }, end: { x: MARGIN + width, y }, thickness: 0.7, color: MUTED });
  y -= 6;

  const start = kzDateTime(s.eventStart);
  const end = kzDateTime(s.eventEnd);
  const period = start.slice(0, 10) === end.slice(0, 10) ? `${start} – ${end.slice(11)}` : `${start} – ${end}`;
  const rows: [string, string][] = [
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
  ];
  const labelWidth = 150;
  for (const [label, value] of rows) {
    const top = y;
    const lines = wrap(font, value, 11, width - labelWidth);
    page.drawText(label, { x: MARGIN, y: top - 11 * 1.25, size: 9, font, color: MUTED });
    for (const line of lines) {
      y -= 11 * 1.3;
      page.drawText(line, { x: MARGIN + labelWidth, y, size: 11, font, color: INK });
    }
    y -= 5;
  }

  // The QR code and its URL, bottom right; a verdict line when the certificate does not verify today.
  const qrSize = 130;
  drawQr(page, c.url, MARGIN + width - qrSize, MARGIN + 14, qrSize);
  page.drawText(c.url, { x: MARGIN + width - font.widthOfTextAtSize(c.url, 8), y: MARGIN, size: 8, font, color: MUTED });
  y = MARGIN + qrSize + 14;
  const note = wrap(font, `${t(T.scan, lang)}: ${c.url}`, 9, width - qrSize - 20);
  for (const line of note) {
    y -= 9 * 1.3;
    page.drawText(line, { x: MARGIN, y, size: 9, font, color: MUTED });
  }
  if (c.surveyUrl) {
    y -= 10;
    for (const line of wrap(font, `${t(BK.surveyOnPdf, lang)}:`, 9, width - qrSize - 20)) {
      y -= 9 * 1.3;
      page.drawText(line, { x: MARGIN, y, size: 9, font, color: INK });
    }
    // The URL cut anywhere it must be, so it fits beside the QR code; a reader types it as printed.
    for (const line of wrap(font, c.surveyUrl, 9, width - qrSize - 20)) {
      y -= 9 * 1.3;
      page.drawText(line, { x: MARGIN, y, size: 9, font, color: INK });
    }
  }
  if (!c.verified) {
    y -= 20;
    page.drawText(`✘ ${t(T.notGenuine, lang)}`, { x: MARGIN, y, size: 12, font, color: rgb(0.64, 0.07, 0.1) });
  }
  return doc.save();
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
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit); // a fresh parse per document, as for certificates
  const font = await doc.embedFont(fontForText(JSON.stringify(c), fonts), { subset: true });
  doc.setTitle(`${t(A.title, lang)} — ${c.barName}, ${a.year}`);
  doc.setAuthor(c.barName);
  doc.setSubject(c.url);
  doc.setLanguage(lang);
  doc.setProducer("Senim");
  doc.setCreator("Senim");
  const page = doc.addPage(A4);
  const width = A4[0] - 2 * MARGIN;
  let y = A4[1] - MARGIN;
  const centred = (value: string, size: number, color = INK) => {
    for (const line of wrap(font, value, size, width)) {
      y -= size * 1.3;
      page.drawText(line, { x: MARGIN + (width - font.widthOfTextAtSize(line, size)) / 2, y, size, font, color });
    }
  };
  centred(c.barName, 12, MUTED);
  y -= 18;
  centred(t(A.title, lang).toUpperCase(), 20);
  centred(`№ ${c.id}`, 10, MUTED);
  y -= 14;
  centred(a.participant.name, 18);
  y -= 8;
  centred(t(A.statement, lang), 10, MUTED);
  y -= 8;
  page.drawLine({ start: { x: MARGIN, y }, end: { x: MARGIN + width, y }, thickness: 0.7, color: MUTED });
  y -= 6;
  const rows: [string, string][] = [
    [t(A.bar, lang), c.barName],
    [t(A.year, lang), String(a.year)],
    [t(A.required, lang), a.requiredHours.toFixed(1)],
    [t(A.verified, lang), `${a.verifiedHours.toFixed(1)} (${t(T.hoursNote, lang)})`],
    ...(a.participant.licenceHint ? [[t(A.licence, lang), a.participant.licenceHint] as [string, string]] : []),
    [t(A.closedOn, lang), a.closedOn],
    [t(A.digest, lang), a.closingDigest],
    [t(A.issued, lang), kzDate(a.validFrom)],
  ];
  const labelWidth = 150;
  for (const [label, value] of rows) {
    const top = y;
    page.drawText(label, { x: MARGIN, y: top - 11 * 1.25, size: 9, font, color: MUTED });
    for (const line of wrap(font, value, 11, width - labelWidth)) {
      y -= 11 * 1.3;
      page.drawText(line, { x: MARGIN + labelWidth, y, size: 11, font, color: INK });
    }
    y -= 5;
  }
  const qrSize = 130;
  drawQr(page, c.url, MARGIN + width - qrSize, MARGIN + 14, qrSize);
  page.drawText(c.url, { x: MARGIN + width - font.widthOfTextAtSize(c.url, 8), y: MARGIN, size: 8, font, color: MUTED });
  y = MARGIN + qrSize + 14;
  for (const line of wrap(font, `${t(A.scan, lang)}: ${c.url}`, 9, width - qrSize - 20)) {
    y -= 9 * 1.3;
    page.drawText(line, { x: MARGIN, y, size: 9, font, color: MUTED });
  }
  if (!c.verified) {
    y -= 20;
    page.drawText(`✘ ${t(A.notGenuine, lang)}`, { x: MARGIN, y, size: 12, font, color: rgb(0.64, 0.07, 0.1) });
  }
  return doc.save();
}
