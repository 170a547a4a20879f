/**
 * User-facing text in Kazakh, Russian and English. The texts themselves live in one catalogue per language
 * (i18n/kk.ts, i18n/ru.ts, i18n/en.ts, checked key for key against English by tsc); this module picks the visitor's
 * language and hands pages each text as `{ kk, ru, en }`. Code, logs and API field names stay English.
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { WithdrawalGround } from "../domain/catalog.js";
import { fillDetail, type ErrorCode, type FieldProblem, type SenimError } from "../domain/errors.js";
import { fillTemplate } from "../lib/csv.js";
import { en, type Catalogue } from "./i18n/en.js";
import { kk } from "./i18n/kk.js";
import { ru } from "./i18n/ru.js";

export const LANGS = ["kk", "ru", "en"] as const;
export type Lang = (typeof LANGS)[number];
/** Kazakh is the state language: the default when a visitor states no preference we can serve. */
export const DEFAULT_LANG: Lang = "kk";

/** The cookie that remembers the visitor's choice from the language switch. */
export const LANG_COOKIE = "lang";

const isLang = (v: unknown): v is Lang => typeof v === "string" && (LANGS as readonly string[]).includes(v);

/**
 * The language `?lang=` asks for, when it is one we serve; anything else (CR/LF, junk) is `undefined`, so a caller
 * that passes the choice on (a redirect's Location, a cookie) only ever passes on one of {@link LANGS}.
 */
export const requestedLang = (c: Context): Lang | undefined => {
  const q = c.req.query("lang");
  return isLang(q) ? q : undefined;
};

/**
 * `?lang=` wins (the page's switch, remembered in a cookie for a year), then the remembered choice, then the first
 * supported language in Accept-Language. Always one of {@link LANGS}: what the visitor sent never reaches a header.
 */
export function pickLang(c: Context): Lang {
  const q = requestedLang(c);
  c.header("Vary", "Accept-Language, Cookie");
  if (q) {
    if (getCookie(c, LANG_COOKIE) !== q) setCookie(c, LANG_COOKIE, q, { path: "/", maxAge: 365 * 86_400, sameSite: "Lax", secure: new URL(c.req.url).protocol === "https:" });
    return q;
  }
  const remembered = getCookie(c, LANG_COOKIE);
  if (isLang(remembered)) return remembered;
  // Only the first 2 KB: the ranking below is for a handful of tags, not for whatever a client can fit in a header.
  const header = (c.req.header("accept-language") ?? "").slice(0, 2048);
  const ranked = header
    .split(",")
    .slice(0, 20)
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const qv = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { lang: (tag ?? "").toLowerCase().split("-")[0] ?? "", q: qv ? Number(qv.slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const r of ranked) if (isLang(r.lang)) return r.lang;
  return DEFAULT_LANG;
}

type Text = Record<Lang, string>;

const CATALOGUES: Record<Lang, Catalogue> = { kk, ru, en };

/** One section of the catalogues, each key's text in every language side by side, as pages use it. */
function section<S extends keyof Catalogue>(name: S): Record<keyof Catalogue[S], Text> {
  const out = {} as Record<keyof Catalogue[S], Text>;
  for (const k of Object.keys(en[name]) as (keyof Catalogue[S])[]) {
    out[k] = { kk: CATALOGUES.kk[name][k], ru: CATALOGUES.ru[name][k], en: CATALOGUES.en[name][k] };
  }
  return out;
}

export const ERROR_TITLES: Record<ErrorCode, Text> = section("errors");

export const T = section("common");

export const CHECK_NAMES: Record<string, Text> = section("checkNames");

export const OUTCOME_NAMES: Record<string, Text> = section("outcomeNames");

export const STATE_NAMES: Record<string, Text> = section("stateNames");

export const CRITERION_NAMES: Record<string, Text> = section("criterionNames");

export const t = (text: Text, lang: Lang): string => text[lang];

export const CHECK_DETAILS: Record<string, Text> = section("checkDetails");

/** How the `accredited` check of a certificate names its decision (src/credentials/verify.ts accreditationOfTraining). */
const ACCREDITED_BY = /^Accredited by (\S+) \(decision (.+) of (\d{4}-\d{2}-\d{2}[^)]*)\)/;

export function checkDetail(check: { code: string; detail: string }, lang: Lang): string {
  if (lang === "en") return check.detail;
  // The check carries the bar and the decision in its English text only; the reader's sentence names them too.
  const decision = check.code === "accredited" ? ACCREDITED_BY.exec(check.detail) : null;
  if (decision) return fillTemplate(CHECK_DETAILS["accredited-by"]![lang], { bar: decision[1]!, decision: decision[2]!, date: decision[3]! });
  return CHECK_DETAILS[check.code]?.[lang] ?? check.detail;
}

export const WALLET_T = section("wallet");

export const BK = section("bookkeeping");

export const COMPLIANCE_STATUS_NAMES: Record<string, Text> = section("complianceStatus");

export const UI = section("ui");

/** Issue 16: the human certificate number at /verify and on the certificate page, and sharing the page. */
export const NUMBER_T = section("certificateNumber");

/** 9.2's two grounds for withdrawing an accreditation, by name. */
export const WITHDRAWAL_GROUND_NAMES: Record<WithdrawalGround, Text> = { "non-compliance": UI.groundNonCompliance, "repeated-violations": UI.groundRepeated };

const CSV_PROBLEMS: Record<string, Text> = section("csvProblems");
/** 7.3: an announcement's and the calendar filter's problems, by code (src/domain/announcement.ts). */
const CALENDAR_PROBLEMS: Record<string, Text> = section("calendarProblems");
/** 12.3, 11.1, 5.1(4): an event's trainers' and a participant's minutes problems, by code (src/domain/event.ts). */
const LIST_PROBLEMS: Record<string, Text> = section("listsProblems");
/** Issue 16: a field that fails its schema, by the kind of problem (src/http/schemas.ts), and the fields' names. */
const VALIDATION_PROBLEMS: Record<string, Text> = section("validationProblems");
const FIELD_LABELS: Record<string, Text> = section("fieldLabels");
/** Issue 16: what else can be wrong with one field, by code (src/domain/field-problems.ts). */
const FIELD_PROBLEMS: Record<string, Text> = section("fieldProblems");

/** A field's name as a validation problem shows it: `criteria/0/evidence` is "Evidence (1)"; `undefined` when unnamed. */
function fieldLabel(path: string, lang: Lang): string | undefined {
  const segments = path.split("/").filter((s) => s !== "");
  const name = [...segments].reverse().find((s) => !/^\d+$/.test(s));
  const label = name === undefined ? undefined : FIELD_LABELS[name]?.[lang];
  if (label === undefined) return undefined;
  const items = segments.filter((s) => /^\d+$/.test(s)).map((s) => Number(s) + 1);
  return items.length > 0 ? `${label} (${items.join(".")})` : label;
}

/**
 * A refusal's detail in the reader's language: by its key (`problemDetails`) with its values and parts, where
 * `{problems}` is its field problems' texts in that language; without a key it stays the English detail.
 */
export function detailText(e: SenimError, lang: Lang): string {
  const templates = CATALOGUES[lang].problemDetails as Record<string, string>;
  if (e.key === undefined || !(e.key in templates)) return e.message;
  const problems = e.problems.map((p) => problemText(p, lang).text).join("; ");
  return fillDetail(templates, e.key, { problems, ...e.params }, e.parts);
}

const problemTemplate = (p: FieldProblem): Text | undefined =>
  p.code ? (CSV_PROBLEMS[p.code] ?? CALENDAR_PROBLEMS[p.code] ?? LIST_PROBLEMS[p.code] ?? VALIDATION_PROBLEMS[p.code] ?? FIELD_PROBLEMS[p.code]) : undefined;

/**
 * A problem with what was sent, in the page's language: problems with a code (and the values their text names) are
 * translated, a CSV problem says its line and a validation or field problem its field's name; any other keeps the API's
 * English text and its path.
 */
export function problemText(p: FieldProblem, lang: Lang): { where: string; text: string } {
  const template = problemTemplate(p)?.[lang];
  if (!template) return { where: p.path, text: p.message };
  const line = p.params?.line;
  const where = line !== undefined ? `${t(UI.csvLine, lang)} ${line}` : (p.code && (VALIDATION_PROBLEMS[p.code] || FIELD_PROBLEMS[p.code]) ? fieldLabel(p.path, lang) : undefined) ?? p.path;
  return { where, text: fillTemplate(template, p.params) };
}

/** The human name of a check outcome, as the pages show it: green passed, red failed, grey could not check. */
export function outcomeName(outcome: string, lang: Lang): string {
  return t(outcome === "passed" ? UI.outcomePassed : outcome === "failed" ? UI.outcomeFailed : UI.outcomeNotChecked, lang);
}

export const BKC = section("consoleBookkeeping");

/** Refusals of what no request may carry (NUL characters, unreadable forms), for forms' senders. */
export const INPUT_T = section("input");

/** Issue 13: the certificate's message (three languages) and the console's delivery section. */
export const DELIVERY_T = section("delivery");

/** Issue 13: the advocate's sign-in and record at /me, and the sign-in code's message. */
export const ME_T = section("me");

/** Issue 14: a bar's signed annual attestation (12.1, 12.2): its page. */
export const ATTESTATION_T = section("attestation");

/** Issue 13: reminders to members short of the year's requirement (the message and the bar console's page). */
export const REMINDERS_T = section("reminders");

/** 7.3, 2.1(4), 6.1–6.2: the calendar of accredited events, its feeds and the console's announcement. */
export const CAL_T = section("calendar");

/** Issue 14: the reports a presidium can table, as XLSX and A4 PDF (src/http/reports/). */
export const REPORTS_T = section("reports");

/** Issue 14: closing a bar's year (12.1, 12.2, 13.1): the frozen report, late certificates, measures, the console's forms. */
export const CLOSING_T = section("closing");

/** 2.3, 10.2: the reasons on a member's line of the compliance report, by their code (src/domain/compliance.ts). */
export const DUTY_NOTE_T = section("dutyNotes");

/** Issue 14, 12.3: participant lists as they reach the bars, trainers (11.1), minutes, co-organisation (5.1(3)). */
export const LISTS_T = section("lists");

/** Issue 16: the verdict banner of the certificate page and /verify, and the PDF's REVOKED stamp. */
export const VERDICT_T = section("verdict");

/** Issue 16: the sharing image GET /c/{id}.png: the words stamped across a certificate that does not count. */
export const SHARE_T = section("shareImage");

/** Issue 17: /verify checking a certificate in the browser without a connection, against the cached lists. */
export const OFFLINE_T = section("offlineVerify");

/** Issue 16: the bar console's lists (paged, searched, exported), refused forms shown again, a year's closing confirmed. */
export const BLISTS_T = section("consoleLists");

/** Issue 16: the provider's and admin's console: the paged event page, secrets shown once, irreversible steps confirmed. */
export const CF_T = section("consoleForms");
