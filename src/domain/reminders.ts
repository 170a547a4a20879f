/**
 * Reminders (issue 13): on dates a bar sets for a year, members who are short of the year's requirement are reminded
 * by e-mail before 31 December, the end of the accounting year (12.1, 12.2). Pure rules here: the default dates, the
 * validation of a bar's dates, which dates are due at an instant, and the key that makes a reminder one per member
 * and date.
 */
import type { FieldProblem } from "./errors.js";
import { isValidDate, kzDate } from "./time.js";

/** A bar sets at most one date a month's worth: more would be nagging, not reminding. */
export const MAX_REMINDER_DATES = 12;

/** 1 November and 1 December: two months and one month before the year's hours are counted (12.1). */
export function defaultReminderDates(year: number): string[] {
  return [`${year}-11-01`, `${year}-12-01`];
}

export type ReminderDateProblemCode = "date-invalid" | "date-outside-year" | "date-repeated" | "too-many-dates";

export interface ReminderDateProblem extends FieldProblem {
  code: ReminderDateProblemCode;
}

/**
 * A bar's dates for `year`: each a real `YYYY-MM-DD` within that year, none twice, at most {@link MAX_REMINDER_DATES}.
 * Returns them sorted, or every problem (nothing is half-accepted). An empty list is allowed: the bar reminds nobody.
 */
export function validateReminderDates(year: number, dates: readonly string[]): { dates: string[]; problems: [] } | { dates?: undefined; problems: ReminderDateProblem[] } {
  const problems: ReminderDateProblem[] = [];
  const seen = new Set<string>();
  dates.forEach((d, i) => {
    const path = `dates/${i}`;
    const date = String(d);
    if (!isValidDate(date)) problems.push({ path, code: "date-invalid", message: `${JSON.stringify(date)} is not a date YYYY-MM-DD`, params: { date } });
    else if (date.slice(0, 4) !== String(year)) problems.push({ path, code: "date-outside-year", message: `${date} is not in ${year}`, params: { date, year } });
    else if (seen.has(date)) problems.push({ path, code: "date-repeated", message: `${date} is given twice`, params: { date } });
    seen.add(date);
  });
  if (dates.length > MAX_REMINDER_DATES) problems.push({ path: "dates", code: "too-many-dates", message: `at most ${MAX_REMINDER_DATES} dates a year`, params: { max: MAX_REMINDER_DATES } });
  if (problems.length > 0) return { problems };
  return { dates: [...seen].sort(), problems: [] };
}

/** The year whose reminders may be due at an instant: the calendar year in Kazakhstan (12.2). */
export const reminderYearAt = (now: string): number => Number(kzDate(now).slice(0, 4));

/**
 * Which of a year's dates are due at `now`: a date is due from its start in Kazakhstan (00:00 UTC+05:00) until the
 * year ends, so a server that was down on the day catches up later in the year, and never in the next one (a
 * reminder about a year already counted would be a finding, not a reminder).
 */
export function dueReminderDates(year: number, dates: readonly string[], now: string): string[] {
  const today = kzDate(now);
  if (reminderYearAt(now) !== year) return [];
  return dates.filter((d) => d <= today).sort();
}

/**
 * What a run does for one bar and year, given the dates that are due and those already done: it reminds for the
 * latest due date not yet done; earlier due dates not done (the server was down over both) are closed as superseded
 * by it, so nobody gets two reminders in one go, and a date already done closes the earlier ones the same way.
 */
export function planReminderRun(due: readonly string[], done: ReadonlySet<string>): { remind: string | undefined; supersede: { date: string; by: string }[] } {
  const latest = [...due].sort().at(-1);
  if (latest === undefined) return { remind: undefined, supersede: [] };
  const supersede = due.filter((d) => d !== latest && !done.has(d)).map((date) => ({ date, by: latest }));
  return { remind: done.has(latest) ? undefined : latest, supersede };
}

/**
 * The text a reminder's id is derived from (the service hashes it): fixed by (bar, year, date, licence), so a retry
 * or a second runner derives the same id and its write finds the row already there.
 */
export function reminderKey(barId: string, year: number, date: string, licence: string): string {
  return JSON.stringify(["senim-reminder-v1", barId, year, date, licence]);
}
