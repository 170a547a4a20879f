/**
 * 3.2: the annual analysis as its tabled forms share it — the frame, the year's figures, and each chart's data (the
 * same charts as the HTML page: hours by programme, form and delivery, members by status, survey ratings, and for the
 * RBA certificates by bar). The PDF draws them; the spreadsheet carries their figures.
 */
import type { AnnualAnalysis, Breakdown } from "../../compliance/analysis.js";
import { kzYearRange } from "../../domain/compliance.js";
import type { Bar, Vocabulary } from "../../registry/model.js";
import { fillTemplate } from "../../lib/csv.js";
import { BK, REPORTS_T, t, type Lang } from "../i18n.js";
import { STATUSES, statusName } from "./compliance-summary.js";
import type { ReportFrame } from "./frame.js";

export interface AnalysisDocument {
  lang: Lang;
  analysis: AnnualAnalysis;
  barName: string;
  bars: Bar[];
  vocabulary: Vocabulary;
}

export type FigureFormat = "count" | "hours" | "rating";
const DECIMALS: Record<FigureFormat, number> = { count: 0, hours: 1, rating: 1 };
export const decimalsOf = (f: FigureFormat): number => DECIMALS[f];

export interface Figure {
  label: string;
  value: number | null;
  format: FigureFormat;
}

export interface ChartData {
  title: string;
  /** What the bars draw. */
  value: { header: string; format: FigureFormat };
  /** Figures listed beside it in the spreadsheet (certificates beside hours). */
  also: { header: string; format: FigureFormat }[];
  /** The scale's end (5 for ratings); else the largest value. */
  max?: number;
  items: { label: string; value: number; also: number[] }[];
}

export function analysisFrame(d: AnalysisDocument): ReportFrame {
  const a = d.analysis;
  return { lang: d.lang, owner: d.barName, title: t(BK.analysisTitle, d.lang), year: a.year, final: a.generatedAt >= kzYearRange(a.year).to, closedOn: closedOnOf(a), generatedAt: a.generatedAt };
}

/**
 * 12.1, 12.2: the frame's closing — a bar's closing date, or `null` (live); for the RBA `null` while no bar has closed
 * the year, else none (its bars differ: {@link analysisClosingNote} says which figures are frozen).
 */
function closedOnOf(a: AnnualAnalysis): string | null | undefined {
  if (a.byBar) return a.byBar.some((b) => b.closedOn !== null) ? undefined : null;
  return a.closing?.closedOn ?? null;
}

/** Which figures of a closed year are frozen at its closing (the members') and which are live; none for an open year. */
export function analysisClosingNote(d: AnalysisDocument): string | undefined {
  const { lang, analysis: a } = d;
  if (a.byBar) {
    const closed = a.byBar.filter((b) => b.closedOn !== null).length;
    return closed === 0 ? undefined : fillTemplate(t(REPORTS_T.analysisBarsClosed, lang), { closed, bars: a.byBar.length });
  }
  return a.closing ? fillTemplate(t(REPORTS_T.analysisClosed, lang), { date: a.closing.closedOn }) : undefined;
}

export function analysisFigures(d: AnalysisDocument): Figure[] {
  const { lang, analysis: a } = d;
  return [
    { label: t(BK.events, lang), value: a.events, format: "count" },
    { label: t(BK.certificates, lang), value: a.certificates, format: "count" },
    { label: t(BK.hours, lang), value: a.academicHours, format: "hours" },
    { label: t(BK.providers, lang), value: a.activeProviders, format: "count" },
    { label: t(BK.advocates, lang), value: a.advocatesTrained, format: "count" },
    { label: t(BK.members, lang), value: a.members.total, format: "count" },
    { label: `${t(BK.surveys, lang)}: ${t(BK.responses, lang).toLowerCase()}`, value: a.surveys.responses, format: "count" },
  ];
}

export function analysisCharts(d: AnalysisDocument): ChartData[] {
  const { lang, analysis: a, vocabulary: v } = d;
  const hours = { header: t(BK.hours, lang), format: "hours" as const };
  const certificates = { header: t(BK.certificates, lang), format: "count" as const };
  const breakdown = (title: string, list: Vocabulary[keyof Vocabulary], b: Breakdown[]): ChartData => ({
    title: `${title}, ${t(BK.hours, lang).toLowerCase()}`,
    value: hours,
    also: [certificates],
    items: b.map((x) => ({ label: list.find((e) => e.code === x.code)?.names[lang] ?? x.code, value: x.academicHours, also: [x.certificates] })),
  });
  const charts: ChartData[] = [
    breakdown(t(BK.byProgramme, lang), v.programmes, a.byProgramme),
    breakdown(t(BK.byForm, lang), v.forms, a.byForm),
    breakdown(t(BK.byDelivery, lang), v.deliveryModes, a.byDeliveryMode),
    {
      title: t(BK.membersStatus, lang),
      value: { header: t(BK.members, lang), format: "count" },
      also: [],
      items: STATUSES.map((s) => ({ label: statusName(s, lang), value: a.members[s], also: [] })),
    },
  ];
  const s = a.surveys;
  if (s.responses > 0) {
    charts.push({
      title: `${t(BK.surveys, lang)}, 1–5`,
      value: { header: t(REPORTS_T.value, lang), format: "rating" },
      also: [],
      max: 5,
      items: (["quality", "effectiveness", "usefulness"] as const).map((k) => ({ label: t(BK[k], lang), value: s[k] ?? 0, also: [] })),
    });
  }
  if (a.byBar) {
    // As on the HTML page, the bars that had certificates (every bar's figures are in the RBA's table).
    charts.push({
      title: t(REPORTS_T.byBar, lang),
      value: certificates,
      also: [hours],
      items: a.byBar.filter((b) => b.certificates > 0).map((b) => ({ label: d.bars.find((x) => x.id === b.barId)?.names[lang] ?? b.barId, value: b.certificates, also: [b.academicHours] })),
    });
  }
  return charts;
}
