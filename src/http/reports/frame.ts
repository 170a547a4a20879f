/**
 * What every tabled report says around its figures, in its language: whose it is, what and which year, whether the
 * figures are final (the year has ended, 12.1) or provisional, whether the bar has closed the year (12.1, 12.2) or the
 * figures are live, when they were generated (Kazakhstan time) and page n of N — the same words on the PDF's every
 * page and atop the spreadsheet.
 */
import { kzDateTime } from "../../domain/time.js";
import { fillTemplate } from "../../lib/csv.js";
import { REPORTS_T, t, type Lang } from "../i18n.js";
import type { RunningHead } from "../pdf-table.js";

export interface ReportFrame {
  lang: Lang;
  /** Whose report: the bar's name (the provider's, for a participant list). */
  owner: string;
  title: string;
  /** The calendar year the figures are of, if any. */
  year?: number;
  /** Whether the year has ended; undefined when the report is not of a year. */
  final?: boolean;
  /**
   * 12.1, 12.2: the date the bar closed the year on, whose frozen report the figures are; `null` while the year is not
   * closed (live figures); undefined when closing does not apply (a participant list, the RBA's analysis).
   */
  closedOn?: string | null;
  generatedAt: string;
}

export const frameTitle = (f: ReportFrame): string => (f.year === undefined ? f.title : `${f.title} — ${f.year}`);

export const finalMark = (f: ReportFrame): string | undefined => (f.final === undefined ? undefined : t(f.final ? REPORTS_T.final : REPORTS_T.provisional, f.lang));

/** "Closed on …" or "Not closed — live figures", for a report of a bar's year. */
export const closingMark = (f: ReportFrame): string | undefined =>
  f.closedOn === undefined ? undefined : f.closedOn === null ? t(REPORTS_T.liveMark, f.lang) : fillTemplate(t(REPORTS_T.closedMark, f.lang), { date: f.closedOn });

export const generatedLine = (f: ReportFrame): string => fillTemplate(t(REPORTS_T.generatedAt, f.lang), { at: kzDateTime(f.generatedAt) });

/** The PDF's running head and foot for this report. */
export function runningHead(f: ReportFrame): RunningHead {
  const mark = finalMark(f);
  const closing = closingMark(f);
  return {
    left: f.owner,
    right: frameTitle(f),
    ...(mark ? { mark: { text: mark, tone: f.final ? "plain" : "warn" } } : {}),
    ...(closing ? { note: { text: closing, tone: f.closedOn ? "plain" : "warn" } } : {}),
    foot: generatedLine(f),
    pageLabel: (page, pages) => fillTemplate(t(REPORTS_T.page, f.lang), { page, pages }),
  };
}

/** The attachment's name: ASCII only (the bar's id, not its name), so every client saves it as sent. */
export const reportFilename = (parts: (string | number)[], extension: "xlsx" | "pdf"): string => `${parts.join("-").replace(/[^A-Za-z0-9._-]/g, "_")}.${extension}`;
