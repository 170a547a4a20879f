/**
 * The compliance report (12.1, 12.2) as its tabled forms share it: the frame (whose, which year, final or not, closed
 * or live), the policy it was judged by and its totals, the closing (its date, digest, reopenings) and the late
 * certificates, in the report's language. The rows are each renderer's own.
 *
 * A closed year's report is the snapshot frozen at the closing, as the JSON gives it (ComplianceService.report): the
 * files print what it holds and compute nothing of their own, so they say what the snapshot says.
 */
import type { LateCertificate, YearClosing } from "../../compliance/closing.js";
import type { ComplianceReport, MemberReportRow } from "../../compliance/service.js";
import { kzDateTime } from "../../domain/time.js";
import { fillTemplate } from "../../lib/csv.js";
import { BK, CLOSING_T, COMPLIANCE_STATUS_NAMES, REPORTS_T, t, type Lang } from "../i18n.js";
import type { ReportFrame } from "./frame.js";
import { formatNumber } from "./numbers.js";

export interface ComplianceDocument {
  lang: Lang;
  report: ComplianceReport;
  /** 12.1: only the members short of the duty (the report's rows are already filtered to them). */
  onlyShort: boolean;
  barName: string;
  /** Every closing of the year, oldest first (reopened ones with their reason); empty when it was never closed. */
  closings: YearClosing[];
}

export const STATUSES = ["met", "short", "exempt", "no-policy"] as const;

export function complianceFrame(d: ComplianceDocument): ReportFrame {
  return {
    lang: d.lang,
    owner: d.barName,
    title: t(d.onlyShort ? REPORTS_T.shortTitle : BK.complianceTitle, d.lang),
    year: d.report.year,
    final: d.report.final,
    closedOn: d.report.closing?.closedOn ?? null,
    generatedAt: d.report.generatedAt,
  };
}

/** 12.1, 12.2: what the figures are — the snapshot frozen at the closing, or computed anew at each reading. */
export function closingNotice(d: ComplianceDocument): string {
  const { lang, report: r } = d;
  return r.closing
    ? fillTemplate(t(CLOSING_T.closedNotice, lang), { date: r.closing.closedOn, who: r.closing.closedBy, at: kzDateTime(r.closing.closedAt) })
    : fillTemplate(t(CLOSING_T.notClosed, lang), { year: r.year });
}

/** The closing of a closed year as label and printed value: its date, who closed it, when the snapshot was taken, its digest. */
export function closingFields(d: ComplianceDocument): [string, string][] {
  const { lang, report: r } = d;
  if (!r.closing) return [];
  return [
    [t(CLOSING_T.closedOn, lang), r.closing.closedOn],
    [t(REPORTS_T.closedBy, lang), r.closing.closedBy],
    [t(REPORTS_T.snapshotAt, lang), kzDateTime(r.closing.closedAt)],
    [t(CLOSING_T.digest, lang), r.closing.digest],
  ];
}

/** 12.1: the year's earlier closings that were reopened, each with when, by whom and why (kept on record). */
export const reopenings = (d: ComplianceDocument): (YearClosing & { reopenedAt: string })[] =>
  d.closings.filter((c): c is YearClosing & { reopenedAt: string } => c.reopenedAt !== null);

/** One reopening in words: "closed on … by … (…); reopened … by …: reason". */
export function reopeningText(c: YearClosing & { reopenedAt: string }, lang: Lang): string {
  const closed = fillTemplate(t(CLOSING_T.closedEntry, lang), { date: c.closedOn, who: c.closedBy, at: kzDateTime(c.closedAt) });
  const reopened = fillTemplate(t(CLOSING_T.reopenedEntry, lang), { at: kzDateTime(c.reopenedAt), who: c.reopenedBy ?? "—", reason: c.reopenReason ?? "—" });
  return `${closed}; ${reopened}`;
}

/** 13.1: the measure recorded for a member short in the closed year, in words ("—" for a member not short). */
export function measureText(m: MemberReportRow, lang: Lang): string {
  if (m.status !== "short") return "—";
  return m.measure ? fillTemplate(t(CLOSING_T.measureEntry, lang), { decision: m.measure.decision, date: m.measure.decidedOn }) : t(CLOSING_T.noMeasure, lang);
}

export const lateKindName = (c: LateCertificate, lang: Lang): string => t(c.kind === "issued" ? CLOSING_T.lateIssued : CLOSING_T.lateAccepted, lang);

export const statusName = (status: MemberReportRow["status"], lang: Lang): string => t(COMPLIANCE_STATUS_NAMES[status]!, lang);

/** 10.2 for one member: required and attended ✔, required and not ✘, not required —. */
export const foundationsMark = (m: MemberReportRow): string => (m.foundationsRequired ? (m.foundationsDone ? "✔" : "✘") : "—");

/** The policy the year was judged by, as label and printed value. */
export function policyFields(d: ComplianceDocument): [string, string][] {
  const { lang, report: r } = d;
  const rule = r.policy.foundationsRule;
  const wording = r.policy.foundationsSourceWording[lang];
  return [
    [t(BK.required, lang), formatNumber(r.policy.requiredAcademicHours, lang, 1)],
    [t(BK.foundationsRule, lang), rule ? `${rule.operator} ${rule.years} — ${wording}` : "—"],
    [t(BK.teachingCredit, lang), `${formatNumber(r.policy.teachingCreditPercent, lang)} %`],
    [t(BK.prorate, lang), t(r.policy.prorate ? BK.yes : BK.no, lang)],
  ];
}

/** The whole bar's totals (not only the rows listed), as label and number. */
export function totalFigures(d: ComplianceDocument): { label: string; value: number; decimals: number }[] {
  const { lang, report: r } = d;
  return [
    { label: t(BK.members, lang), value: r.totals.members, decimals: 0 },
    ...STATUSES.map((s) => ({ label: statusName(s, lang), value: r.totals[s], decimals: 0 })),
    { label: t(BK.verified, lang), value: r.totals.verifiedHours, decimals: 1 },
    { label: t(BK.selfRecorded, lang), value: r.totals.selfRecordedHours, decimals: 1 },
  ];
}

/**
 * The table's total row: the listed rows' sums. Hours of the whole report are the bar's own totals (summed in minutes
 * before rounding), so the printed total is the one the report's JSON gives; a filtered list sums its rounded rows.
 */
export function listedSums(d: ComplianceDocument): { certificates: number; verifiedHours: number; selfRecordedHours: number; teachingHours: number; acceptedByBarHours: number } {
  const members = d.report.members;
  const sum = (f: (m: MemberReportRow) => number) => Math.round(members.reduce((n, m) => n + f(m), 0) * 10) / 10;
  return {
    certificates: sum((m) => m.certificates),
    verifiedHours: d.onlyShort ? sum((m) => m.verifiedHours) : d.report.totals.verifiedHours,
    selfRecordedHours: d.onlyShort ? sum((m) => m.selfRecordedHours) : d.report.totals.selfRecordedHours,
    teachingHours: sum((m) => m.teachingHours),
    acceptedByBarHours: sum((m) => m.acceptedByBarHours),
  };
}
