/**
 * 10.3: the bars' presidiums approve the programmes' indicative content. A bar records, per programme (10.1), the
 * content its presidium approved (free text, in Kazakh, Russian and/or English) with the decision's number and date.
 * Approvals are never changed or deleted: a newer one supersedes the one before, which stays on record, so the
 * history of what a bar approved, and when, can always be read back.
 */
import type { Programme } from "./catalog.js";
import { keyedError, type FieldProblem } from "./errors.js";
import { fieldProblem } from "./field-problems.js";
import { isValidDate } from "./time.js";

/** The languages content may be approved in; at least one is given. */
export const CONTENT_LANGS = ["kk", "ru", "en"] as const;
export type ContentLang = (typeof CONTENT_LANGS)[number];

/** The approved text in each language it was approved in; `null` where it was not. */
export type ProgrammeContentText = Record<ContentLang, string | null>;

/**
 * Longest text kept per language: a few pages of topics, which is what an indicative content is. Three languages of
 * Cyrillic at this length still fit the API's 64 KiB body.
 */
export const PROGRAMME_CONTENT_MAX = 8000;
export const DECISION_NUMBER_MAX = 100;

/** The refusals of an approval (10.3), in English with `{name}` values (kk and ru: the catalogues' problemDetails). */
export const PROGRAMME_CONTENT_DETAIL_TEMPLATES = {
  "programme-content-problems": "{count} problem(s) in the approval; nothing was stored.",
  "programme-content-decision-in-future": "decisionDate {decisionDate} is after today ({today}): a presidium approves content it has decided on.",
  "programme-content-before-current": "The content in force was approved on {date} (decision {number}): a newer approval supersedes it, so it cannot be dated before it (10.3).",
} as const;

/** One approval by a bar's presidium of one programme's indicative content (10.3). */
export interface ProgrammeApproval {
  id: string;
  barId: string;
  programme: Programme;
  content: ProgrammeContentText;
  decisionNumber: string;
  /** `YYYY-MM-DD`: the presidium's decision. */
  decisionDate: string;
  recordedAt: string;
  recordedBy: string;
}

/** What a bar states when it records an approval. */
export interface ProgrammeApprovalTerms {
  content: ProgrammeContentText;
  decisionNumber: string;
  decisionDate: string;
}

/**
 * Newest first: by the decision's date, then by when it was recorded, then by id (two approvals recorded in the same
 * instant still have one order, the same on every database).
 */
export function newestFirst(a: ProgrammeApproval, b: ProgrammeApproval): number {
  if (a.decisionDate !== b.decisionDate) return a.decisionDate < b.decisionDate ? 1 : -1;
  if (a.recordedAt !== b.recordedAt) return a.recordedAt < b.recordedAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** 10.3: the approval in force is the newest; every older one is superseded (and kept). */
export function currentApproval(history: readonly ProgrammeApproval[]): ProgrammeApproval | undefined {
  return [...history].sort(newestFirst)[0];
}

/**
 * Checks a bar's approval whole, every problem at once, before anything is stored: at least one language's text, each
 * at most {@link PROGRAMME_CONTENT_MAX} characters; the decision's number; its date a real date, not after `today`
 * (Kazakhstan's), and not before the decision in force (`current`), which a newer approval supersedes: an older
 * decision recorded now would be history out of order, not the content in force.
 */
export function parseProgrammeApproval(input: ProgrammeApprovalTerms, o: { today: string; current?: ProgrammeApproval }): ProgrammeApprovalTerms {
  const problems: FieldProblem[] = [];
  const content = {} as ProgrammeContentText;
  for (const lang of CONTENT_LANGS) {
    const text = input.content?.[lang];
    const trimmed = typeof text === "string" ? text.trim() : "";
    content[lang] = trimmed === "" ? null : trimmed;
    if (trimmed.length > PROGRAMME_CONTENT_MAX) problems.push(fieldProblem(`content/${lang}`, "text-at-most", { max: PROGRAMME_CONTENT_MAX }));
  }
  if (CONTENT_LANGS.every((l) => content[l] === null)) problems.push(fieldProblem("content", "content-required"));
  const decisionNumber = (input.decisionNumber ?? "").trim();
  if (decisionNumber.length < 1 || decisionNumber.length > DECISION_NUMBER_MAX) problems.push(fieldProblem("decisionNumber", "text-length-short", { max: DECISION_NUMBER_MAX }));
  const decisionDate = input.decisionDate ?? "";
  if (!isValidDate(decisionDate)) problems.push(fieldProblem("decisionDate", "date-format-invalid"));
  if (problems.length > 0) throw keyedError("invalid_request", PROGRAMME_CONTENT_DETAIL_TEMPLATES, "programme-content-problems", { count: problems.length }, { problems });
  if (decisionDate > o.today) {
    throw keyedError("rule_violated", PROGRAMME_CONTENT_DETAIL_TEMPLATES, "programme-content-decision-in-future", { decisionDate, today: o.today }, {
      problems: [fieldProblem("decisionDate", "decision-in-future")],
    });
  }
  if (o.current && decisionDate < o.current.decisionDate) {
    throw keyedError("rule_violated", PROGRAMME_CONTENT_DETAIL_TEMPLATES, "programme-content-before-current", { date: o.current.decisionDate, number: o.current.decisionNumber }, {
      problems: [fieldProblem("decisionDate", "decision-before-current", { current: o.current.decisionDate })],
    });
  }
  return { content, decisionNumber, decisionDate };
}

/**
 * The text to show a reader of `lang`: in that language when approved in it, else in the first language it was
 * approved in (kk, ru, en), named so the page can say which.
 */
export function contentFor(content: ProgrammeContentText, lang: ContentLang): { lang: ContentLang; text: string } | undefined {
  const own = content[lang];
  if (own !== null) return { lang, text: own };
  const other = CONTENT_LANGS.find((l) => content[l] !== null);
  return other && { lang: other, text: content[other]! };
}
