import { keyedError } from "./errors.js";

/**
 * Dates and hours as the Procedure counts them.
 * Kazakhstan keeps one time zone, UTC+05:00, since 1 March 2024; decisions dated by a presidium take effect from the
 * start of that day there.
 */
export const KZ_OFFSET = "+05:00";

/** 10.6: one academic hour is 45 minutes. */
export const ACADEMIC_HOUR_MINUTES = 45;

/** Academic hours with one decimal, as shown to people. Durations are stored in minutes and never in 60-minute hours. */
export function academicHours(minutes: number): number {
  return Math.round((minutes / ACADEMIC_HOUR_MINUTES) * 10) / 10;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/**
 * RFC 3339 `date-time` as VC 2.0's `dateTimeStamp` (XML Schema) spells it: four-digit year, seconds and a zone
 * required, `T` and `Z` in upper case. Fractions are bounded so the text stays short.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,12})?(?:Z|[+-](\d{2}):(\d{2}))$/;
/** What people and forms may send to the API ({@link parseInstant}): the same, the seconds optional, any case. */
const INPUT_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,12})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * The one date-time check, wherever a date-time is accepted (API input, credentials signed or verified): an RFC 3339
 * date-time ({@link DATE_TIME}) that names a real moment. Every field is range-checked by itself, because
 * `Date.parse` silently rolls 2026-02-30 over to March and 24:00 to the next day, and returns NaN for a leap second
 * (23:59:60), which code comparing instants would read as "no date" (a `validUntil` that never comes). So: month
 * 1–12, day within the month (leap years included), hour 0–23, minute 0–59, second 0–59 (no clock we compare with
 * keeps leap seconds), offset within ±14:00 (XML Schema's range), and `Date.parse` must give a number.
 */
export function isRealDateTime(text: string): boolean {
  return typeof text === "string" && isRealMoment(DATE_TIME.exec(text), text);
}

function isRealMoment(m: RegExpExecArray | null, text: string): boolean {
  if (!m) return false;
  const [y, mo, d, h, mi, sec, oh, om] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v))) as [number, number, number, number, number, number, number, number];
  return (
    mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) &&
    h <= 23 && mi <= 59 && sec <= 59 &&
    oh <= 14 && om <= 59 && !(oh === 14 && om > 0) &&
    Number.isFinite(Date.parse(text))
  );
}

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function isRealDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/**
 * Accepts `YYYY-MM-DD` (the start of that day in Kazakhstan) or an RFC 3339 date-time with an offset, and returns a
 * normalised UTC instant `YYYY-MM-DDTHH:MM:SSZ`; `undefined` when the text is neither or not a real date.
 */
export function parseInstant(text: string): string | undefined {
  let iso: string;
  if (DATE_ONLY.test(text)) {
    const [y, m, d] = text.split("-").map(Number);
    if (!isRealDate(y!, m!, d!)) return undefined;
    iso = `${text}T00:00:00${KZ_OFFSET}`;
  } else if (isRealMoment(INPUT_DATE_TIME.exec(text), text)) iso = text;
  else return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : toInstant(ms);
}

/** `YYYY-MM-DDTHH:MM:SSZ`: the one form instants take in storage and in credentials (VC 2.0 dateTimeStamp). */
/** RFC 7519 §2 NumericDate of an instant: whole seconds since the epoch (the JWT claims `iat`, `nbf`, `exp`). */
export function numericDate(instant: string): number {
  return Math.floor(Date.parse(instant) / 1000);
}

/** The instant a JWT's `iat` states, when it is a NumericDate a clock can hold; a claim of another type says nothing. */
export function instantOfNumericDate(value: unknown): string | undefined {
  return typeof value === "number" && Number.isFinite(value) && Math.abs(value) < 1e11 ? new Date(value * 1000).toISOString() : undefined;
}

export function toInstant(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** The calendar date in Kazakhstan of an instant (12.2 accounts per calendar year there). */
export function kzDate(instant: string): string {
  const ms = Date.parse(instant) + 5 * 3600_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:MM` in Kazakhstan time, as people there read it. */
export function kzDateTime(instant: string): string {
  return new Date(Date.parse(instant) + 5 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
}

export const isValidDate = (text: string): boolean => DATE_ONLY.test(text) && parseInstant(text) !== undefined;

/** The refusal of {@link requireInstant}, in English (`problemDetails` of the catalogues translates it). */
export const TIME_DETAIL_TEMPLATES = {
  "instant-invalid": "{field} must be a date (YYYY-MM-DD) or an RFC 3339 date-time.",
} as const;

/** {@link parseInstant}, or a 400 naming the field (its problem's code `not-a-date`, the catalogues' `validationProblems`). */
export function requireInstant(text: string, field: string): string {
  const value = parseInstant(text);
  if (!value) {
    throw keyedError("invalid_request", TIME_DETAIL_TEMPLATES, "instant-invalid", { field }, { problems: [{ path: field, message: "not a date", code: "not-a-date" }] });
  }
  return value;
}
