/**
 * 12.1, 12.2: the compliance report as a printable A4 document (landscape, for its columns): the policy and the bar's
 * totals, then a row per member — hours with the language's separators, 10.2 as ✔ / ✘ / —, the status in words — the
 * header row repeated on every page, and the listed rows' total. The spreadsheet has every column of the JSON; the
 * printed page the ones a presidium decides on. A closed year's document is the year's record: the closing's date and
 * digest under the title and on every page, each short member's measure (13.1) on their row, the late certificates
 * (12.2) in a section of their own and the year's reopenings with their reasons; an open year says its figures are live.
 */
import { fillTemplate } from "../../lib/csv.js";
import type { ComplianceStatus } from "../../domain/compliance.js";
import { kzDateTime } from "../../domain/time.js";
import { BK, CLOSING_T, REPORTS_T, T, t } from "../i18n.js";
import type { CertificateFonts } from "../pdf.js";
import { A4Document, MUTED, type TableColumn } from "../pdf-table.js";
import {
  closingFields, closingNotice, complianceFrame, foundationsMark, lateKindName, listedSums, measureText, policyFields, reopeningText, reopenings, statusName, totalFigures, type ComplianceDocument,
} from "./compliance-summary.js";
import { frameTitle, runningHead } from "./frame.js";
import { formatNumber } from "./numbers.js";

export async function compliancePdf(d: ComplianceDocument, fonts: CertificateFonts): Promise<Uint8Array> {
  const { lang, report: r } = d;
  const frame = complianceFrame(d);
  const doc = await A4Document.create({
    fonts,
    text: `${JSON.stringify(r.members)}${JSON.stringify(r.late ?? null)}${JSON.stringify(d.closings)}${d.barName}`,
    head: runningHead(frame),
    meta: { title: `${frameTitle(frame)} — ${d.barName}`, lang, author: d.barName, createdAt: r.generatedAt },
    landscape: true,
  });
  const n = (v: number | null, decimals = 0) => formatNumber(v, lang, decimals);

  doc.heading(frameTitle(frame));
  doc.paragraph(d.barName, { color: MUTED });
  doc.paragraph(closingNotice(d));
  if (r.closing) doc.fields(closingFields(d), { labelWidth: 260 });
  if (!r.final) doc.paragraph(t(BK.provisional, lang));
  if (r.policy.requiredMinutes === null) doc.paragraph(t(BK.noPolicy, lang));
  doc.fields(policyFields(d), { labelWidth: 260 });
  doc.paragraph(totalFigures(d).map((f) => `${f.label}: ${n(f.value, f.decimals)}`).join(" · "));
  doc.gap(6);

  const columns: TableColumn[] = [
    { header: t(REPORTS_T.number, lang), width: 4, align: "right" },
    { header: t(T.licence, lang), width: 8 },
    { header: t(BK.name, lang), width: 24 },
    { header: t(BK.practice, lang), width: 6, align: "right" },
    { header: t(BK.certificates, lang), width: 8, align: "right" },
    { header: t(BK.verified, lang), width: 8, align: "right" },
    { header: t(BK.selfRecorded, lang), width: 10, align: "right" },
    { header: t(BK.required, lang), width: 9, align: "right" },
    { header: t(BK.foundations, lang), width: 7 },
    { header: t(BK.status, lang), width: 9 },
    ...(r.closing ? [{ header: t(CLOSING_T.measure, lang), width: 20 }] : []),
  ];
  const rows = r.members.map((m, i) => [
    n(i + 1),
    m.licence,
    m.fullName,
    n(m.practiceYears),
    n(m.certificates),
    n(m.verifiedHours, 1),
    n(m.selfRecordedHours, 1),
    n(m.requiredHours, 1),
    foundationsMark(m),
    statusName(m.status, lang),
    ...(r.closing ? [measureText(m, lang)] : []),
  ]);
  if (rows.length === 0) {
    doc.paragraph(t(REPORTS_T.noMembers, lang));
  } else {
    const sums = listedSums(d);
    doc.table(columns, rows, {
      footRows: [["", "", t(REPORTS_T.total, lang), "", n(sums.certificates), n(sums.verifiedHours, 1), n(sums.selfRecordedHours, 1), "", "", "", ...(r.closing ? [""] : [])]],
    });
  }

  if (r.closing) {
    // 13.1: the measures in full (a row shows three lines of each).
    const measured = r.members.filter((m) => m.status === "short" && m.measure);
    if (measured.length > 0) {
      doc.heading(t(CLOSING_T.measuresTitle, lang), 11);
      doc.fields(measured.map((m) => [`${m.licence} ${m.fullName}`, measureText(m, lang)]), { labelWidth: 260 });
    }
  }
  if (r.late) {
    const late = r.late;
    doc.heading(t(CLOSING_T.lateTitle, lang), 11);
    doc.paragraph(fillTemplate(t(CLOSING_T.lateIntro, lang), { year: r.year }));
    if (late.certificates.length === 0) {
      doc.paragraph(t(CLOSING_T.lateNone, lang));
    } else {
      doc.paragraph(fillTemplate(t(CLOSING_T.lateTotal, lang), { count: n(late.certificates.length), hours: n(late.hours, 1) }));
      doc.table(
        [
          { header: t(REPORTS_T.number, lang), width: 4, align: "right" },
          { header: t(T.licence, lang), width: 8 },
          { header: t(BK.name, lang), width: 22 },
          { header: t(CLOSING_T.kind, lang), width: 10 },
          { header: t(CLOSING_T.topic, lang), width: 30 },
          { header: t(BK.hours, lang), width: 7, align: "right" },
          { header: t(CLOSING_T.arrived, lang), width: 12 },
          { header: t(REPORTS_T.certificate, lang), width: 14 },
        ],
        late.certificates.map((c, i) => [n(i + 1), c.licence, c.fullName ?? "—", lateKindName(c, lang), c.topic, n(c.hours, 1), kzDateTime(c.at), c.id]),
      );
      doc.heading(t(REPORTS_T.lateEffect, lang), 10);
      const figures = (f: { verifiedHours: number; status: ComplianceStatus }) => `${n(f.verifiedHours, 1)} · ${statusName(f.status, lang)}`;
      doc.table(
        [
          { header: t(T.licence, lang), width: 8 },
          { header: t(BK.name, lang), width: 24 },
          { header: t(BK.hours, lang), width: 7, align: "right" },
          { header: t(CLOSING_T.frozen, lang), width: 16 },
          { header: t(CLOSING_T.withLate, lang), width: 26 },
        ],
        late.members.map((m) =>
          m.frozen && m.withLate
            ? [m.licence, m.fullName ?? "—", n(m.lateHours, 1), figures(m.frozen), `${figures(m.withLate)}${m.statusWouldChange ? ` (${t(CLOSING_T.wouldChange, lang)})` : ""}`]
            : [m.licence, m.fullName ?? "—", n(m.lateHours, 1), t(CLOSING_T.notInSnapshot, lang), "—"],
        ),
      );
    }
  }
  const reopened = reopenings(d);
  if (reopened.length > 0) {
    doc.heading(t(CLOSING_T.history, lang), 11);
    for (const c of reopened) doc.paragraph(reopeningText(c, lang));
  }
  return doc.save();
}
