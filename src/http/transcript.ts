/**
 * The year's transcript (issue 13): one A4 PDF, in the visitor's language, of what the advocate's record shows for a
 * calendar year — the bar's requirement and the status in words, every credited certificate (issued here, presented to
 * the bar under 2.2.4, outside ones the bar accepted) with its verification link, and self-recorded hours (2.2(2))
 * listed apart as not counted. It prints the record (AdvocateService.record, itself the compliance report's row), so
 * the transcript, the page and the bar's report never disagree. Drawn with the printable certificate's writer and fonts.
 */
import { PDFDocument, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import fontkit from "@pdf-lib/fontkit";
import type { AdvocateRecord } from "../advocates/service.js";
import type { Submission } from "../compliance/submissions.js";
import { academicHours, kzDate } from "../domain/time.js";
import { fillTemplate } from "../lib/csv.js";
import type { Vocabulary } from "../registry/model.js";
import { ME_T, t, type Lang } from "./i18n.js";
import { hoursText, statusWords } from "./pages/me.js";
import { A4, fontForText, wrap, type CertificateFonts } from "./pdf.js";

const M = ME_T;

/** What the transcript prints, every text already in its language. */
export interface Transcript {
  lang: Lang;
  title: string;
  /** Label and value rows of the header: advocate, licence, bar, year, requirement, status in words. */
  header: [string, string][];
  /** Sentences under the header: credited hours, 2.3 suspensions, the 10.2 rule. */
  notes: string[];
  certificatesTitle: string;
  /** Credited certificates, by date. */
  entries: { heading: string; details: string; link: string }[];
  none: string;
  selfTitle: string;
  selfNote: string;
  selfRecorded: string[];
  footer: string;
}

/** The record of a year as the transcript's texts. `certificateUrl`: the verification link of Senim's own. */
export function transcriptOf(
  r: AdvocateRecord,
  o: { lang: Lang; barName: string; vocabulary: Vocabulary; submissions: Submission[]; certificateUrl: (id: string) => string; today: string },
): Transcript {
  const { lang } = o;
  const a = r.assessment;
  const name = (list: Vocabulary["programmes"], code: string) => list.find((v) => v.code === code)?.names[lang] ?? code;
  const status = statusWords(r, lang);
  // The member's own requirement (prorated for 2.3 suspensions when the bar says so), else the bar's for the year.
  const required = a ? a.requiredHours : r.policy.requiredAcademicHours;
  const requirement = required === null ? fillTemplate(t(M.noPolicy, lang), { year: r.year }) : fillTemplate(t(M.transcriptHours, lang), { hours: hoursText(required) });
  const details = (parts: [string, string][]) => parts.map(([label, value]) => `${label}: ${value}`).join("; ");

  type Row = { date: string; heading: string; details: string; link: string };
  const rows: Row[] = [];
  // Only what counts: a revoked certificate is credited to nobody (the record shows it, marked).
  for (const c of r.certificates.filter((x) => !x.revoked)) {
    const date = kzDate(c.endedAt);
    const hours = `${hoursText(academicHours(c.minutes))}${c.role === "teacher" ? ` (${t(M.teacher, lang)})` : ""}`;
    rows.push({
      date,
      heading: c.topic,
      details: details([
        [t(M.organiser, lang), c.organiser],
        [t(M.transcriptDate, lang), date],
        [t(M.programme, lang), name(o.vocabulary.programmes, c.programme)],
        [t(M.hours, lang), hours],
        [t(M.proof, lang), t(c.provenBy === "issued" ? M.provenIssued : M.provenPresented, lang)],
      ]),
      link: `${t(M.transcriptLinkLabel, lang)}: ${o.certificateUrl(c.certificateId)}`,
    });
  }
  for (const x of a?.acceptedByBar ?? []) {
    // An outside certificate uploaded with its signed credential is verified at the credential's own id when that is
    // a web address; a paper one was checked by the bar, on review.
    const credentialId = o.submissions.find((s) => s.id === x.submissionId)?.credential?.credentialId ?? null;
    rows.push({
      date: x.completedOn,
      heading: x.topic,
      details: details([
        [t(M.organiser, lang), x.organiser],
        [t(M.transcriptDate, lang), x.completedOn],
        [t(M.hours, lang), hoursText(x.creditedHours)],
        [t(M.proof, lang), fillTemplate(t(M.provenAccepted, lang), { by: x.decidedBy, at: kzDate(x.decidedAt) })],
      ]),
      link: `${t(M.transcriptLinkLabel, lang)}: ${credentialId && /^https?:\/\//.test(credentialId) ? credentialId : t(M.transcriptNoLink, lang)}`,
    });
  }
  rows.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));

  return {
    lang,
    title: fillTemplate(t(M.transcriptTitle, lang), { year: r.year }),
    header: [
      [t(M.transcriptAdvocate, lang), r.fullName],
      [t(M.licence, lang), r.licence],
      [t(M.bar, lang), o.barName],
      [t(M.year, lang), String(r.year)],
      [t(M.transcriptRequirement, lang), requirement],
      [t(M.transcriptStatus, lang), status ? `${status.name} — ${status.sentence}` : fillTemplate(t(M.notMember, lang), { year: r.year })],
    ],
    notes: [
      ...(a ? [fillTemplate(t(M.credited, lang), { hours: hoursText(a.verifiedHours), count: a.certificates })] : []),
      ...(a && a.suspendedDays > 0 ? [fillTemplate(t(M.suspended, lang), { days: a.suspendedDays })] : []),
      ...(a?.foundationsRequired ? [`${t(M.foundationsRequired, lang)} ${t(a.foundationsDone ? M.foundationsDone : M.foundationsMissing, lang)}`] : []),
    ],
    certificatesTitle: t(M.certificatesTitle, lang),
    entries: rows.map((x, i) => ({ heading: `${i + 1}. ${x.heading}`, details: x.details, link: x.link })),
    none: t(M.none, lang),
    selfTitle: t(M.selfTitle, lang),
    selfNote: t(M.selfNote, lang),
    selfRecorded: r.selfRecorded.map(
      (s) => `• ${s.description} — ${name(o.vocabulary.programmes, s.programme)}, ${fillTemplate(t(M.selfMinutes, lang), { hours: hoursText(academicHours(s.minutes)), minutes: s.minutes })} (${t(M.notCounted, lang)})`,
    ),
    footer: fillTemplate(t(M.transcriptGenerated, lang), { date: o.today }),
  };
}

const MARGIN = 48;
const FOOTER = 28;
const INK = rgb(0.1, 0.1, 0.1);
const MUTED = rgb(0.33, 0.33, 0.33);

/** Draws the transcript on as many A4 pages as it needs, each with the footer and its page number. */
export async function renderTranscriptPdf(x: Transcript, fonts: CertificateFonts): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  // A fresh parse per document, as the certificate's (src/http/pdf.ts says why).
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(fontForText(JSON.stringify(x), fonts), { subset: true });
  doc.setTitle(x.title);
  doc.setLanguage(x.lang);
  doc.setProducer("Senim");
  doc.setCreator("Senim");
  const width = A4[0] - 2 * MARGIN;
  const pages: PDFPage[] = [];
  let page!: PDFPage;
  let y = 0;
  const newPage = () => {
    page = doc.addPage(A4);
    pages.push(page);
    y = A4[1] - MARGIN;
  };
  /** Lines of `text` at `size`, from `x0`, a new page first when they would run into the footer. */
  const lines = (text: string, size: number, o: { indent?: number; color?: typeof INK; keep?: number } = {}) => {
    const indent = o.indent ?? 0;
    const wrapped = wrap(font, text, size, width - indent);
    // `keep`: points that must fit with the first line (a heading stays with what follows it).
    if (y - size * 1.35 - (o.keep ?? 0) < MARGIN + FOOTER) newPage();
    for (const line of wrapped) {
      if (y - size * 1.35 < MARGIN + FOOTER) newPage();
      y -= size * 1.35;
      page.drawText(line, { x: MARGIN + indent, y, size, font, color: o.color ?? INK });
    }
  };
  const gap = (h: number) => (y -= h);

  newPage();
  lines(x.title, 16, { keep: 40 });
  gap(8);
  const labelWidth = 120;
  for (const [label, value] of x.header) {
    const wrapped = wrap(font, value, 11, width - labelWidth);
    if (y - 11 * 1.35 * wrapped.length < MARGIN + FOOTER) newPage();
    page.drawText(label, { x: MARGIN, y: y - 11 * 1.3, size: 9, font, color: MUTED });
    for (const line of wrapped) {
      y -= 11 * 1.35;
      page.drawText(line, { x: MARGIN + labelWidth, y, size: 11, font, color: INK });
    }
    gap(3);
  }
  gap(4);
  for (const note of x.notes) lines(note, 10);
  gap(10);
  page.drawLine({ start: { x: MARGIN, y }, end: { x: MARGIN + width, y }, thickness: 0.7, color: MUTED });
  gap(8);

  lines(x.certificatesTitle, 13, { keep: 40 });
  gap(4);
  if (x.entries.length === 0) lines(x.none, 10);
  for (const e of x.entries) {
    lines(e.heading, 11, { keep: 28 });
    lines(e.details, 9, { indent: 14 });
    lines(e.link, 8.5, { indent: 14, color: MUTED });
    gap(6);
  }

  gap(8);
  lines(x.selfTitle, 13, { keep: 40 });
  lines(x.selfNote, 9, { color: MUTED });
  gap(2);
  for (const s of x.selfRecorded) lines(s, 9.5, { indent: 6 });

  // Footers last, when the number of pages is known.
  pages.forEach((p, i) => footer(p, font, x.footer, fillTemplate(t(M.transcriptPage, x.lang), { page: i + 1, pages: pages.length }), width));
  return doc.save();
}

function footer(page: PDFPage, font: PDFFont, text: string, number: string, width: number): void {
  const size = 7.5;
  const numberWidth = font.widthOfTextAtSize(number, size);
  let y = MARGIN + FOOTER - 10;
  for (const line of wrap(font, text, size, width - numberWidth - 16)) {
    page.drawText(line, { x: MARGIN, y, size, font, color: MUTED });
    y -= size * 1.3;
  }
  page.drawText(number, { x: MARGIN + width - numberWidth, y: MARGIN + FOOTER - 10, size, font, color: MUTED });
}
