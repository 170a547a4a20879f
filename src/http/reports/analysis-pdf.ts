/**
 * 3.2: the annual analysis as a printable A4 document: the year's figures, then its charts drawn as vector bars, and
 * for the RBA each territorial bar's figures as a table.
 */
import { BK, REPORTS_T, T, t } from "../i18n.js";
import type { CertificateFonts } from "../pdf.js";
import { A4Document, MUTED } from "../pdf-table.js";
import { analysisCharts, analysisClosingNote, analysisFigures, analysisFrame, decimalsOf, type AnalysisDocument } from "./analysis-summary.js";
import { STATUSES, statusName } from "./compliance-summary.js";
import { frameTitle, runningHead } from "./frame.js";
import { formatNumber } from "./numbers.js";
import { drawBarChart } from "./pdf-charts.js";

export async function analysisPdf(d: AnalysisDocument, fonts: CertificateFonts): Promise<Uint8Array> {
  const { lang, analysis: a } = d;
  const frame = analysisFrame(d);
  const charts = analysisCharts(d);
  const doc = await A4Document.create({
    fonts,
    text: `${d.barName}${JSON.stringify(charts)}`,
    head: runningHead(frame),
    meta: { title: `${frameTitle(frame)} — ${d.barName}`, lang, author: d.barName, createdAt: a.generatedAt },
  });
  doc.heading(frameTitle(frame));
  doc.paragraph(d.barName, { color: MUTED });
  if (!frame.final) doc.paragraph(t(BK.provisional, lang));
  const closing = analysisClosingNote(d);
  if (closing) doc.paragraph(closing);
  doc.fields(analysisFigures(d).map((f) => [f.label, formatNumber(f.value, lang, decimalsOf(f.format))]));
  doc.gap(4);
  for (const chart of charts) drawBarChart(doc, chart, lang);
  if (a.byBar) {
    const n = (v: number, decimals = 0) => formatNumber(v, lang, decimals);
    doc.heading(t(REPORTS_T.byBarTable, lang), 11);
    doc.table(
      [
        { header: t(REPORTS_T.number, lang), width: 4, align: "right" },
        { header: t(T.bar, lang), width: 30 },
        { header: t(BK.certificates, lang), width: 10, align: "right" },
        { header: t(BK.hours, lang), width: 10, align: "right" },
        { header: t(BK.members, lang), width: 9, align: "right" },
        ...STATUSES.map((s) => ({ header: statusName(s, lang), width: 9, align: "right" as const })),
      ],
      a.byBar.map((b, i) => [n(i + 1), d.bars.find((x) => x.id === b.barId)?.names[lang] ?? b.barId, n(b.certificates), n(b.academicHours, 1), n(b.members.total), ...STATUSES.map((s) => n(b.members[s]))]),
      { footRows: [["", t(REPORTS_T.total, lang), n(a.byBar.reduce((x, b) => x + b.certificates, 0)), n(Math.round(a.byBar.reduce((x, b) => x + b.academicHours, 0) * 10) / 10, 1), n(a.members.total), ...STATUSES.map((s) => n(a.members[s]))]] },
    );
  }
  return doc.save();
}
