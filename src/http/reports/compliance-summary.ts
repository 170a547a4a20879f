/**
 * The compliance report (12.1, 12.2) as its tabled forms share it: the frame (whose, which year, final or not), the
 * policy it was judged by and its totals, in the report's language. The rows are each renderer's own.
 */
import type { ComplianceReport, MemberReportRow } from "../../compliance/service.js";
import { BK, COMPLIANCE_STATUS_NAMES, REPORTS_T, t, type Lang } from "../i18n.js";
import type { ReportFrame } from "./frame.js";
import { formatNumber } from "./numbers.js";

export interface ComplianceDocument {
  lang: Lang;
  report: ComplianceReport;
  /** 12.1: only the members short of the duty (the report's rows are already filtered to them). */
  onlyShort: boolean;
  barName: string;
}

export const STATUSES = ["met", "short", "exempt", "no-policy"] as const;

export function complianceFrame(d: ComplianceDocument): ReportFrame {
  return {
    lang: d.lang,
    owner: d.barName,
    title: t(d.onlyShort ? REPORTS_T.shortTitle : BK.complianceTitle, d.lang),
    year: d.report.year,
    final: d.report.final,
    generatedAt: d.report.generatedAt,
  };
}

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
