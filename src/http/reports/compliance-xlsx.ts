/**
 * 12.1, 12.2: the compliance report as a spreadsheet — the policy, the bar's totals, and a row per member with every
 * figure of the report's JSON as a number (hours to one decimal, 10.6), its status and 10.2 in words. A closed year's
 * workbook is the year's record: the closing (date, who, when, digest) atop the report and on the summary with the
 * year's reopenings, each short member's measure (13.1) on their row, and the late certificates (12.2) on a sheet of
 * their own; an open year's says its figures are live.
 */
import { fillTemplate } from "../../lib/csv.js";
import { kzDateTime } from "../../domain/time.js";
import { BK, CLOSING_T, REPORTS_T, T, t } from "../i18n.js";
import { closingFields, closingNotice, complianceFrame, lateKindName, listedSums, policyFields, reopenings, statusName, totalFigures, type ComplianceDocument } from "./compliance-summary.js";
import { addSheet, dateValue, newWorkbook, workbookBytes, writeFields, writeTable, writeTitleBlock, type SheetColumn, type SheetValue } from "./xlsx.js";

export async function complianceXlsx(d: ComplianceDocument): Promise<Uint8Array> {
  const { lang, report: r } = d;
  const frame = complianceFrame(d);
  const wb = await newWorkbook(frame);
  // The members first, their header row just under a short title (frozen, it leaves the screen to the rows); the
  // policy, the bar's totals and the closing on a sheet of their own.
  const ws = addSheet(wb, t(REPORTS_T.sheetReport, lang), frame, { landscape: true });
  const summary = addSheet(wb, t(REPORTS_T.sheetSummary, lang), frame);
  const [required, ...policy] = policyFields(d);
  const closedOn = r.closing ? [[t(CLOSING_T.closedOn, lang), dateValue(r.closing.closedOn), "date"] as [string, SheetValue, "date"]] : [];
  let summaryRow = writeFields(summary, writeTitleBlock(summary, frame, [closingNotice(d), ...(r.policy.requiredMinutes === null ? [t(BK.noPolicy, lang)] : [])]), [
    ...closedOn,
    ...closingFields(d).slice(1).map(([label, value]): [string, SheetValue] => [label, value]),
    [required![0], r.policy.requiredAcademicHours, "hours"],
    ...policy.map(([label, value]): [string, SheetValue] => [label, value]),
    ...totalFigures(d).map((f): [string, SheetValue, "hours" | "count"] => [f.label, f.value, f.decimals ? "hours" : "count"]),
  ]);
  const reopened = reopenings(d);
  if (reopened.length > 0) {
    // 12.1: the year's earlier closings and why each was reopened, kept on record.
    summary.getCell(summaryRow, 1).value = t(CLOSING_T.history, lang);
    summary.getCell(summaryRow, 1).font = { bold: true };
    summaryRow = writeTable(
      summary,
      summaryRow + 1,
      [
        { header: t(CLOSING_T.closedOn, lang), width: 16, format: "date" },
        { header: t(REPORTS_T.closedBy, lang), width: 24 },
        { header: t(REPORTS_T.reopenedAt, lang), width: 20 },
        { header: t(REPORTS_T.reopenedBy, lang), width: 24 },
        { header: t(CLOSING_T.reason, lang), width: 60 },
      ],
      reopened.map((c) => [dateValue(c.closedOn), c.closedBy, kzDateTime(c.reopenedAt), c.reopenedBy, c.reopenReason]),
    );
  }
  summary.getColumn(1).width = 44;
  summary.getColumn(2).width = 66;
  const digest = r.closing ? [`${t(CLOSING_T.digest, lang)}: ${r.closing.digest}`] : [];
  let row = writeTitleBlock(ws, frame, [closingNotice(d), ...digest], { compact: true });

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
    // 13.1: the measure for a member short in the closed year, its decision and date.
    ...(r.closing ? [{ header: t(CLOSING_T.measure, lang), width: 40 }, { header: t(CLOSING_T.decidedOn, lang), width: 13, format: "date" as const }] : []),
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
    ...(r.closing ? measureCells(m, lang) : []),
  ]);
  const sums = listedSums(d);
  const footRows: SheetValue[][] = rows.length
    ? [[null, t(REPORTS_T.total, lang), null, null, null, null, null, sums.certificates, sums.verifiedHours, sums.teachingHours, sums.acceptedByBarHours, sums.selfRecordedHours]]
    : [];
  row = writeTable(ws, row, columns, rows, { footRows, main: true });
  if (rows.length === 0) ws.getCell(row - 1, 1).value = t(REPORTS_T.noMembers, lang);

  if (r.late) lateSheet(d, r.late, addSheet(wb, t(REPORTS_T.sheetLate, lang), frame, { landscape: true }));
  return workbookBytes(wb);
}

/** 13.1: a short member's measure as decision and date cells; nothing recorded (or not short): empty. */
function measureCells(m: ComplianceDocument["report"]["members"][number], lang: ComplianceDocument["lang"]): SheetValue[] {
  if (m.status !== "short") return [null, null];
  return m.measure ? [m.measure.decision, dateValue(m.measure.decidedOn)] : [t(CLOSING_T.noMeasure, lang), null];
}

/** 12.2: the certificates that arrived after the closing, and what they would change beside the frozen figures. */
function lateSheet(d: ComplianceDocument, late: NonNullable<ComplianceDocument["report"]["late"]>, ws: ReturnType<typeof addSheet>): void {
  const { lang } = d;
  const frame = complianceFrame(d);
  const total = late.certificates.length === 0 ? t(CLOSING_T.lateNone, lang) : fillTemplate(t(CLOSING_T.lateTotal, lang), { count: late.certificates.length, hours: late.hours.toFixed(1) });
  // (Not the page's intro, which speaks of "the figures above": here they are on the report's sheet.)
  let row = writeTitleBlock(ws, frame, [t(CLOSING_T.lateTitle, lang), total], { compact: true });
  row = writeTable(
    ws,
    row,
    [
      { header: t(REPORTS_T.number, lang), width: 6, format: "count" },
      { header: t(T.licence, lang), width: 12 },
      { header: t(BK.name, lang), width: 34 },
      { header: t(CLOSING_T.kind, lang), width: 18 },
      { header: t(CLOSING_T.topic, lang), width: 40 },
      { header: t(BK.hours, lang), width: 12, format: "hours" },
      { header: t(CLOSING_T.arrived, lang), width: 18 },
      { header: t(REPORTS_T.certificate, lang), width: 22 },
    ],
    late.certificates.map((c, i) => [i + 1, c.licence, c.fullName, lateKindName(c, lang), c.topic, c.hours, kzDateTime(c.at), c.id]),
    { main: true, freeze: false },
  );
  if (late.members.length === 0) return;
  ws.getCell(row, 1).value = t(REPORTS_T.lateEffect, lang);
  ws.getCell(row, 1).font = { bold: true };
  const frozen = t(CLOSING_T.frozen, lang);
  const withLate = t(CLOSING_T.withLate, lang);
  writeTable(
    ws,
    row + 1,
    [
      { header: t(T.licence, lang), width: 12 },
      { header: t(BK.name, lang), width: 34 },
      { header: t(BK.hours, lang), width: 12, format: "hours" },
      { header: `${frozen}: ${t(BK.verified, lang)}`, width: 14, format: "hours" },
      { header: `${frozen}: ${t(BK.status, lang)}`, width: 16 },
      { header: `${withLate}: ${t(BK.verified, lang)}`, width: 14, format: "hours" },
      { header: `${withLate}: ${t(BK.status, lang)}`, width: 16 },
      { header: t(CLOSING_T.wouldChange, lang), width: 14 },
    ],
    late.members.map((m) => [
      m.licence,
      m.fullName ?? t(CLOSING_T.notInSnapshot, lang),
      m.lateHours,
      m.frozen?.verifiedHours ?? null,
      m.frozen ? statusName(m.frozen.status, lang) : null,
      m.withLate?.verifiedHours ?? null,
      m.withLate ? statusName(m.withLate.status, lang) : null,
      t(m.statusWouldChange ? BK.yes : BK.no, lang),
    ]),
  );
}
