/**
 * 12.1, 12.2: the compliance report as a printable A4 document (landscape, for its columns): the policy and the bar's
 * totals, then a row per member — hours with the language's separators, 10.2 as ✔ / ✘ / —, the status in words — the
 * header row repeated on every page, and the listed rows' total. The spreadsheet has every column of the JSON; the
 * printed page the ones a presidium decides on.
 */
import { BK, REPORTS_T, T, t } from "../i18n.js";
import type { CertificateFonts } from "../pdf.js";
import { A4Document, MUTED, type TableColumn } from "../pdf-table.js";
import { complianceFrame, foundationsMark, listedSums, policyFields, statusName, totalFigures, type ComplianceDocument } from "./compliance-summary.js";
import { frameTitle, runningHead } from "./frame.js";
import { formatNumber } from "./numbers.js";

export async function compliancePdf(d: ComplianceDocument, fonts: CertificateFonts): Promise<Uint8Array> {
  const { lang, report: r } = d;
  const frame = complianceFrame(d);
  const doc = await A4Document.create({
    fonts,
    text: `${JSON.stringify(r.members)}${d.barName}`,
    head: runningHead(frame),
    meta: { title: `${frameTitle(frame)} — ${d.barName}`, lang, author: d.barName, createdAt: r.generatedAt },
    landscape: true,
  });
  const n = (v: number | null, decimals = 0) => formatNumber(v, lang, decimals);

  doc.heading(frameTitle(frame));
  doc.paragraph(d.barName, { color: MUTED });
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
  ]);
  if (rows.length === 0) {
    doc.paragraph(t(REPORTS_T.noMembers, lang));
  } else {
    const sums = listedSums(d);
    doc.table(columns, rows, {
      footRows: [["", "", t(REPORTS_T.total, lang), "", n(sums.certificates), n(sums.verifiedHours, 1), n(sums.selfRecordedHours, 1), "", "", ""]],
    });
  }
  return doc.save();
}
