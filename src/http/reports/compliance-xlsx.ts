/**
 * 12.1, 12.2: the compliance report as a spreadsheet — the policy, the bar's totals, and a row per member with every
 * figure of the report's JSON as a number (hours to one decimal, 10.6), its status and 10.2 in words.
 */
import { fillTemplate } from "../../lib/csv.js";
import { BK, REPORTS_T, T, t } from "../i18n.js";
import { complianceFrame, listedSums, policyFields, statusName, totalFigures, type ComplianceDocument } from "./compliance-summary.js";
import { addSheet, dateValue, newWorkbook, workbookBytes, writeFields, writeTable, writeTitleBlock, type SheetColumn, type SheetValue } from "./xlsx.js";

export async function complianceXlsx(d: ComplianceDocument): Promise<Uint8Array> {
  const { lang, report: r } = d;
  const frame = complianceFrame(d);
  const wb = await newWorkbook(frame);
  // The members first, their header row just under a two-line title (frozen, it leaves the screen to the rows); the
  // policy and the bar's totals on a sheet of their own.
  const ws = addSheet(wb, t(REPORTS_T.sheetReport, lang), frame, { landscape: true });
  const summary = addSheet(wb, t(REPORTS_T.sheetSummary, lang), frame);
  const [required, ...policy] = policyFields(d);
  writeFields(summary, writeTitleBlock(summary, frame, r.policy.requiredMinutes === null ? [t(BK.noPolicy, lang)] : []), [
    [required![0], r.policy.requiredAcademicHours, "hours"],
    ...policy.map(([label, value]): [string, SheetValue] => [label, value]),
    ...totalFigures(d).map((f): [string, SheetValue, "hours" | "count"] => [f.label, f.value, f.decimals ? "hours" : "count"]),
  ]);
  summary.getColumn(1).width = 44;
  summary.getColumn(2).width = 60;
  let row = writeTitleBlock(ws, frame, [], { compact: true });

  const yesNo = (v: boolean) => t(v ? BK.yes : BK.no, lang);
  const columns: SheetColumn[] = [
    { header: t(REPORTS_T.number, lang), width: 6, format: "count" },
    { header: t(T.licence, lang), width: 12 },
    { header: t(BK.name, lang), width: 34 },
    { header: t(REPORTS_T.admissionDate, lang), width: 13, format: "date" },
    { header: t(BK.practice, lang), width: 10, format: "count" },
    { header: t(REPORTS_T.activeDays, lang), width: 12, format: "count" },
    { header: t(REPORTS_T.suspendedDays, lang), width: 12, format: "count" },
    { header: t(BK.certificates, lang), width: 12, format: "count" },
    { header: t(BK.verified, lang), width: 12, format: "hours" },
    { header: t(REPORTS_T.teachingHours, lang), width: 12, format: "hours" },
    { header: t(REPORTS_T.acceptedByBarHours, lang), width: 12, format: "hours" },
    { header: t(BK.selfRecorded, lang), width: 14, format: "hours" },
    { header: t(BK.required, lang), width: 12, format: "hours" },
    { header: t(REPORTS_T.foundationsRequired, lang), width: 12 },
    { header: t(REPORTS_T.foundationsDone, lang), width: 12 },
    { header: t(BK.status, lang), width: 14 },
    { header: t(BK.acceptedByBar, lang), width: 50 },
  ];
  const rows: SheetValue[][] = r.members.map((m, i) => [
    i + 1,
    m.licence,
    m.fullName,
    dateValue(m.admissionDate),
    m.practiceYears,
    m.activeDays,
    m.suspendedDays,
    m.certificates,
    m.verifiedHours,
    m.teachingHours,
    m.acceptedByBarHours,
    m.selfRecordedHours,
    m.requiredHours,
    yesNo(m.foundationsRequired),
    m.foundationsRequired ? yesNo(m.foundationsDone) : "—",
    statusName(m.status, lang),
    m.acceptedByBar.map((a) => fillTemplate(t(BK.acceptedDecided, lang), { hours: a.creditedHours.toFixed(1), topic: a.topic, organiser: a.organiser, who: a.decidedBy, when: a.decidedAt })).join("\n") || null,
  ]);
  const sums = listedSums(d);
  const footRows: SheetValue[][] = rows.length
    ? [[null, t(REPORTS_T.total, lang), null, null, null, null, null, sums.certificates, sums.verifiedHours, sums.teachingHours, sums.acceptedByBarHours, sums.selfRecordedHours]]
    : [];
  row = writeTable(ws, row, columns, rows, { footRows, main: true });
  if (rows.length === 0) ws.getCell(row - 1, 1).value = t(REPORTS_T.noMembers, lang);
  return workbookBytes(wb);
}
